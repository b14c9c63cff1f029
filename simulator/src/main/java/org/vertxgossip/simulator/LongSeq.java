package org.vertxgossip.simulator;

import java.util.Arrays;

/** A growable list of primitive longs (view sequences of thousands of nodes stay small). */
final class LongSeq {
  private long[] values = new long[8];
  private int size;

  void add(long v) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = v;
  }

  long get(int i) {
    return values[i];
  }

  int size() {
    return size;
  }
}
