package org.vertxgossip.checker;

import java.util.Objects;

/**
 * Lowe's memoisation for the linearizability search: the configurations (set of operations linearized so far,
 * model state) already explored. Reaching one again cannot succeed where it failed before, so the search
 * skips it; this is what makes the Wing and Gong search practical.
 *
 * <p>An open-addressing table of compact copies. The search hands in the live bit set with a hash it keeps
 * incrementally (Zobrist: the XOR of one random word per operation in the set), so a probe costs no allocation;
 * an entry stores the set as the number of leading all-ones words plus the words up to the last set bit, since
 * everything well before the search's frontier is linearized. That keeps an entry to a few words whatever the
 * history's length.
 */
final class LinearizationCache {

  private long[] hashes = new long[1024];
  private long[][] sets = new long[1024][];
  private Object[] states = new Object[1024];
  private int size;

  int size() {
    return size;
  }

  /** Adds the configuration; false if it was already there. */
  boolean add(long hash, long[] words, Object state) {
    int mask = hashes.length - 1;
    int i = (int) hash & mask;
    while (sets[i] != null) {
      if (hashes[i] == hash && Objects.equals(states[i], state) && sameSet(sets[i], words)) {
        return false;
      }
      i = (i + 1) & mask;
    }
    hashes[i] = hash;
    sets[i] = compact(words);
    states[i] = state;
    if (++size * 2 > hashes.length) {
      grow();
    }
    return true;
  }

  private void grow() {
    long[] oldHashes = hashes;
    long[][] oldSets = sets;
    Object[] oldStates = states;
    int capacity = oldHashes.length * 2;
    hashes = new long[capacity];
    sets = new long[capacity][];
    states = new Object[capacity];
    int mask = capacity - 1;
    for (int j = 0; j < oldSets.length; j++) {
      if (oldSets[j] != null) {
        int i = (int) oldHashes[j] & mask;
        while (sets[i] != null) {
          i = (i + 1) & mask;
        }
        hashes[i] = oldHashes[j];
        sets[i] = oldSets[j];
        states[i] = oldStates[j];
      }
    }
  }

  /** {@code [leading all-ones words, words from there to the last non-zero one...]}. */
  private static long[] compact(long[] words) {
    int leading = 0;
    while (leading < words.length && words[leading] == -1L) {
      leading++;
    }
    int last = words.length;
    while (last > leading && words[last - 1] == 0) {
      last--;
    }
    long[] c = new long[1 + last - leading];
    c[0] = leading;
    System.arraycopy(words, leading, c, 1, last - leading);
    return c;
  }

  private static boolean sameSet(long[] compact, long[] words) {
    int leading = (int) compact[0];
    int tail = compact.length - 1;
    for (int i = 0; i < leading; i++) {
      if (words[i] != -1L) {
        return false;
      }
    }
    for (int k = 0; k < tail; k++) {
      if (words[leading + k] != compact[1 + k]) {
        return false;
      }
    }
    for (int i = leading + tail; i < words.length; i++) {
      if (words[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
