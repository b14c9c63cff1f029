package org.vertxgossip.replication;

/**
 * Versions of keyed-store entries: a hybrid logical clock, wall milliseconds shifted left by 12 plus a counter.
 * A version is above every version this member has seen, so the writes of a new owner order after those of the
 * previous one, and lock fencing tokens (grant versions) only grow.
 */
final class HybridClock {

  private long last;

  /** A version above {@code floor}, every version seen, and the wall clock. */
  long next(long wallMs, long floor) {
    long v = Math.max(wallMs << 12, Math.max(last, floor) + 1);
    last = v;
    return v;
  }

  void observe(long version) {
    last = Math.max(last, version);
  }
}
