package org.vertxgossip.benchmark;

import java.util.Arrays;

/**
 * Latencies of one measured window, kept whole up to {@value #CAPACITY} samples (32 MiB) so that percentiles are
 * exact; past that, operations are still counted but no longer timed.
 */
final class LatencySamples {

  static final int CAPACITY = 4 << 20;
  private long[] nanos = new long[1024];
  private int kept;
  private long count;

  void add(long latencyNanos) {
    count++;
    if (kept == nanos.length) {
      if (kept == CAPACITY) {
        return;
      }
      nanos = Arrays.copyOf(nanos, Math.min(CAPACITY, kept * 2));
    }
    nanos[kept++] = latencyNanos;
  }

  long count() {
    return count;
  }

  /** The p-th percentile in microseconds (100: the maximum), 0 when nothing was timed. */
  long percentileMicros(double p) {
    if (kept == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(nanos, kept);
    Arrays.sort(sorted);
    int i = (int) Math.min(kept - 1, Math.max(0, Math.ceil(p / 100.0 * kept) - 1));
    return sorted[i] / 1_000;
  }
}
