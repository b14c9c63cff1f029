package org.vertxgossip.simulator.stores;

import java.util.PriorityQueue;

/** Virtual time in microseconds and the events due at each; ties run in the order they were scheduled. */
final class EventQueue {

  private record Event(long at, long seq, Runnable action) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
    }
  }

  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private long now;
  private long seq;

  long now() {
    return now;
  }

  void at(long time, Runnable action) {
    queue.add(new Event(Math.max(time, now), seq++, action));
  }

  void after(long micros, Runnable action) {
    at(now + micros, action);
  }

  /** Runs every event due up to {@code until}. */
  void runUntil(long until) {
    while (!queue.isEmpty() && queue.peek().at() <= until) {
      Event e = queue.poll();
      now = e.at();
      e.action().run();
    }
    now = Math.max(now, until);
  }
}
