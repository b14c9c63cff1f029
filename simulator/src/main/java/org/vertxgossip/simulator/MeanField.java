package org.vertxgossip.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The mean-field model of push gossip as the protocol runs it: each round, every member that still has
 * transmissions left sends to {@code fanout} random members, and stops after {@code limit} transmissions. A
 * member that lacks the item escapes one round with probability {@code e^{−fanout·active}}, so far into the tail
 * the fraction lacking decays as {@code e^{−λt}} with {@code λ = fanout·active}.
 */
final class MeanField {

  private MeanField() {
  }

  /** Fraction of members lacking the item after each round 0..rounds-1, starting from one informed member. */
  static List<Double> lacking(int n, int fanout, int limit, int rounds) {
    int lifetime = Math.max(1, (int) Math.ceil(limit / (double) fanout));
    double[] newly = new double[rounds + 1];
    List<Double> out = new ArrayList<>();
    double informed = 1.0 / n;
    newly[0] = informed;
    for (int t = 0; t < rounds; t++) {
      out.add(1 - informed);
      double active = 0;
      for (int k = Math.max(0, t - lifetime + 1); k <= t; k++) {
        active += newly[k];
      }
      double gained = (1 - informed) * (1 - Math.exp(-fanout * active));
      newly[t + 1] = gained;
      informed += gained;
    }
    return out;
  }
}
