package org.vertxgossip.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The mean-field model of dissemination as the protocol runs it, in continuous time (gossip rounds are not
 * aligned across members). A member that has the item sends it at {@code rate} datagrams per round (the gossip
 * fanout, plus the pings and acks it piggybacks on) until it has spent its transmit {@code limit}. A member that
 * lacks it then receives it at rate {@code rate · active}, where {@code active} is the fraction of members still
 * sending: {@code dP/dt = −rate · active(t) · P(t)}. While the sending fraction stays near its plateau, the
 * fraction lacking decays as {@code e^{−λt}}, the model the issue names.
 */
final class MeanField {

  private static final int STEPS_PER_ROUND = 100;

  private MeanField() {
  }

  /** Fraction lacking the item at each sample (every {@code 1/samplesPerRound} round), from one informed member. */
  static List<Double> lacking(int n, double rate, int limit, int samplesPerRound, int samples) {
    double lifetime = limit / rate;
    int lifeSteps = (int) Math.round(lifetime * STEPS_PER_ROUND);
    int total = samples * STEPS_PER_ROUND / samplesPerRound + 1;
    double[] newly = new double[total + 1];
    double dt = 1.0 / STEPS_PER_ROUND;
    double informed = 1.0 / n;
    newly[0] = informed;
    double active = informed;
    List<Double> out = new ArrayList<>();
    for (int step = 0; step < total; step++) {
      if (step % (STEPS_PER_ROUND / samplesPerRound) == 0) {
        out.add(Math.max(0, 1 - informed));
        if (out.size() == samples) {
          break;
        }
      }
      double gained = (1 - informed) * (1 - Math.exp(-rate * active * dt));
      newly[step + 1] = gained;
      informed += gained;
      active += gained;
      if (step + 1 - lifeSteps >= 0) {
        active -= newly[step + 1 - lifeSteps];
      }
    }
    return out;
  }
}
