package org.vertxgossip.membership;

import java.util.PriorityQueue;

/** The core's own timers, ordered by deadline. The environment only ever hears of the earliest one. */
final class TimerQueue {

  /** A timer's action learns how late it runs, which is how the core notices that its host was paused. */
  interface Action {
    void run(long lateMs);
  }

  static final class Timer implements Comparable<Timer> {
    final long at;
    final long seq;
    final Action action;
    boolean cancelled;

    Timer(long at, long seq, Action action) {
      this.at = at;
      this.seq = seq;
      this.action = action;
    }

    void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Timer o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final PriorityQueue<Timer> queue = new PriorityQueue<>();
  private long seq;

  Timer schedule(long at, Action action) {
    Timer t = new Timer(at, seq++, action);
    queue.add(t);
    return t;
  }

  /** Runs every timer due at {@code now}, including ones scheduled by the timers it runs. */
  void runDue(long now) {
    Timer t;
    while ((t = queue.peek()) != null && t.at <= now) {
      queue.poll();
      if (!t.cancelled) {
        t.action.run(now - t.at);
      }
    }
  }

  /** The earliest live deadline, or {@link Long#MAX_VALUE}. */
  long nextDeadline() {
    Timer t;
    while ((t = queue.peek()) != null && t.cancelled) {
      queue.poll();
    }
    return t == null ? Long.MAX_VALUE : t.at;
  }

  int size() {
    return queue.size();
  }
}
