package org.vertxgossip.replication;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.vertxgossip.membership.NodeId;

/**
 * Highest-random-weight hashing: a key's owner is the member whose id mixed with the key's hash is largest. Every
 * member with the same view picks the same owner, and a view change moves only the keys of the members that came
 * or went.
 */
final class Rendezvous {

  private Rendezvous() {
  }

  static long hash(String store, byte[] key) {
    long h = 0x9E3779B97F4A7C15L;
    for (byte b : store.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ b) * 0x100000001B3L;
    }
    h = mix(h);
    for (byte b : key) {
      h = (h ^ b) * 0x100000001B3L;
    }
    return mix(h);
  }

  static NodeId owner(List<NodeId> view, long keyHash) {
    NodeId best = null;
    long bestWeight = 0;
    for (NodeId m : view) {
      long w = mix(m.mix() ^ keyHash);
      if (best == null || Long.compareUnsigned(w, bestWeight) > 0) {
        best = m;
        bestWeight = w;
      }
    }
    return best;
  }

  /** SplitMix64's finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
