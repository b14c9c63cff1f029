package org.vertxgossip.membership;

/**
 * Lifeguard's local health score: 0 is healthy, up to {@code max - 1}. A node that misses acks and nacks, or has to
 * refute accusations, or notices that it was paused, is probably the slow one itself, so it probes less often and
 * waits longer before it accuses anyone.
 */
final class Awareness {

  private final int max;
  private int score;

  Awareness(int max) {
    this.max = max;
  }

  void apply(int delta) {
    score = Math.max(0, Math.min(max - 1, score + delta));
  }

  int score() {
    return score;
  }

  long scale(long durationMs) {
    return durationMs * (score + 1);
  }
}
