package org.vertxgossip.replication;

import java.util.ArrayDeque;
import java.util.List;
import org.vertxgossip.replication.StoreMessage.Apply;

/**
 * The writes an owner sent in the last few seconds, re-sent to members a view adds (they may have been admitted
 * while a write was in flight). Bounded by age, count and the bytes of the values they carry, oldest first out.
 */
final class RecentApplies {

  private record Sent(Apply apply, long at) {
  }

  private final long maxAgeMs;
  private final int maxCount;
  private final long maxBytes;
  private final ArrayDeque<Sent> sent = new ArrayDeque<>();
  private long bytes;

  RecentApplies(long maxAgeMs, int maxCount, long maxBytes) {
    this.maxAgeMs = maxAgeMs;
    this.maxCount = maxCount;
    this.maxBytes = maxBytes;
  }

  void add(Apply apply, long now) {
    sent.add(new Sent(apply, now));
    bytes += sizeOf(apply);
    trim(now);
  }

  /** The applies sent within the age bound, oldest first. */
  List<Apply> since(long now) {
    trim(now);
    return sent.stream().map(Sent::apply).toList();
  }

  long bytes() {
    return bytes;
  }

  private void trim(long now) {
    while (!sent.isEmpty() && (sent.size() > maxCount || bytes > maxBytes || now - sent.peek().at() > maxAgeMs)) {
      bytes -= sizeOf(sent.poll().apply());
    }
  }

  private static long sizeOf(Apply a) {
    byte[] v = a.entry().value();
    byte[] r = a.result().value();
    return a.key().length + (v == null ? 0 : v.length) + (r == null ? 0 : r.length);
  }
}
