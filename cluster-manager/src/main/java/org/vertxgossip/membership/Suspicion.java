package org.vertxgossip.membership;

import java.util.HashSet;
import java.util.Set;

/**
 * Lifeguard's dynamic suspicion timeout. It starts at {@code max} and falls towards {@code min} as independent
 * members confirm the suspicion: {@code timeout(n) = max − (ln(n+1) / ln(k+1)) · (max − min)}, never below
 * {@code min}, where k confirmations are wanted. With k = 0 the timeout is {@code min} from the start.
 */
final class Suspicion {

  final int incarnation;
  private final long start;
  private final long minMs;
  private final long maxMs;
  private final int wanted;
  private final Set<NodeId> confirmers = new HashSet<>();
  /** A hard cap on the deadline, set when a refused connection gave strong evidence. */
  private long capAt = Long.MAX_VALUE;
  TimerQueue.Timer timer;
  /** Set once the final direct check of an unconfirmed suspicion has been made. */
  boolean verified;

  Suspicion(int incarnation, NodeId accuser, long start, long minMs, long maxMs, int wanted) {
    this.incarnation = incarnation;
    this.start = start;
    this.minMs = minMs;
    this.maxMs = maxMs;
    this.wanted = wanted;
    confirmers.add(accuser);
  }

  /** Counts {@code from} once; the original accuser is not a confirmation. Returns true if it was new. */
  boolean confirm(NodeId from) {
    return confirmers.add(from);
  }

  int confirmations() {
    return confirmers.size() - 1;
  }

  boolean confirmed() {
    return confirmations() >= wanted || isCapped();
  }

  /** Strong evidence (a refused connection): the deadline is capped and no further check is needed. */
  void capAt(long at) {
    capAt = Math.min(capAt, at);
  }

  boolean isCapped() {
    return capAt != Long.MAX_VALUE;
  }

  long deadline() {
    return Math.min(capAt, start + timeoutMs(confirmations()));
  }

  long timeoutMs(int n) {
    if (wanted == 0) {
      return minMs;
    }
    double fraction = Math.log(n + 1.0) / Math.log(wanted + 1.0);
    long t = (long) Math.floor(maxMs - fraction * (maxMs - minMs));
    return Math.max(minMs, t);
  }
}
