package org.vertxgossip.replication;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answers of recent requests, kept so that a retry sent to a new owner is answered rather than applied twice.
 * Bounded by count and by the bytes of the values the answers carry, oldest first out: an answer may hold a
 * replaced value as large as an entry, and every member keeps the answers it sees.
 *
 * @param <K> the request's identity
 */
final class RecentResults<K> {

  private final int maxCount;
  private final long maxBytes;
  private final Map<K, StoreResult> byRequest = new LinkedHashMap<>();
  private long bytes;

  RecentResults(int maxCount, long maxBytes) {
    this.maxCount = maxCount;
    this.maxBytes = maxBytes;
  }

  StoreResult get(K request) {
    return byRequest.get(request);
  }

  void put(K request, StoreResult result) {
    StoreResult old = byRequest.put(request, result);
    bytes += sizeOf(result) - (old == null ? 0 : sizeOf(old));
    Iterator<StoreResult> oldest = byRequest.values().iterator();
    while ((byRequest.size() > maxCount || bytes > maxBytes) && oldest.hasNext()) {
      bytes -= sizeOf(oldest.next());
      oldest.remove();
    }
  }

  int size() {
    return byRequest.size();
  }

  long bytes() {
    return bytes;
  }

  private static long sizeOf(StoreResult r) {
    return r.value() == null ? 0 : r.value().length;
  }
}
