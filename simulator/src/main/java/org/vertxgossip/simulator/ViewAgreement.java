package org.vertxgossip.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a group of nodes delivered the same sequence of views. Each node's sequence starts where it joined, so
 * the comparison starts at the latest first view of the group and ends at the earliest last one, within a time
 * window; inside that range every node must have delivered exactly the same (id, hash) pairs, without gaps.
 */
final class ViewAgreement {

  private ViewAgreement() {
  }

  static boolean same(Recorder rec, List<Integer> group, long fromUs, long untilUs) {
    List<List<long[]>> seqs = new ArrayList<>();
    for (int idx : group) {
      LongSeq[] s = rec.views.get(idx);
      List<long[]> seq = new ArrayList<>();
      for (int i = 0; i < s[0].size(); i++) {
        long t = s[2].get(i);
        if (t >= fromUs && t < untilUs) {
          seq.add(new long[] {s[0].get(i), s[1].get(i)});
        }
      }
      if (seq.isEmpty()) {
        continue;
      }
      for (int i = 1; i < seq.size(); i++) {
        if (seq.get(i)[0] != seq.get(i - 1)[0] + 1) {
          return false;
        }
      }
      seqs.add(seq);
    }
    if (seqs.isEmpty()) {
      return true;
    }
    long lo = Long.MIN_VALUE;
    long hi = Long.MAX_VALUE;
    for (List<long[]> s : seqs) {
      lo = Math.max(lo, s.get(0)[0]);
      hi = Math.min(hi, s.get(s.size() - 1)[0]);
    }
    if (lo > hi) {
      return true;
    }
    long[] reference = null;
    for (List<long[]> s : seqs) {
      long[] hashes = new long[(int) (hi - lo + 1)];
      for (long[] v : s) {
        if (v[0] >= lo && v[0] <= hi) {
          hashes[(int) (v[0] - lo)] = v[1];
        }
      }
      if (reference == null) {
        reference = hashes;
      } else if (!java.util.Arrays.equals(reference, hashes)) {
        return false;
      }
    }
    return true;
  }

  /** Index of the first view, across the group, that every node delivered with all {@code size} members. */
  static boolean allFinal(Simulation sim, List<Integer> group, int size) {
    Long id = null;
    Long hash = null;
    for (int idx : group) {
      var v = sim.nodes.get(idx).membership.view();
      if (v == null || v.size() != size) {
        return false;
      }
      if (id == null) {
        id = v.id();
        hash = v.hash();
      } else if (id != v.id() || hash != v.hash()) {
        return false;
      }
    }
    return true;
  }
}
