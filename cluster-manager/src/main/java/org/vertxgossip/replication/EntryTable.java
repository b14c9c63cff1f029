package org.vertxgossip.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The entries this member holds, store by store: written on the loop, read from any thread (entries are immutable).
 * Merges keep the newer entry by version (last writer wins); the caller decides which writes may merge at all.
 */
final class EntryTable {

  private final Map<String, Map<ByteKey, StoredEntry>> stores = new ConcurrentHashMap<>();
  /** Key and value bytes held, tombstones' keys included: what the stores weigh, for metrics (on the loop). */
  private long bytes;

  StoredEntry get(String store, ByteKey key) {
    Map<ByteKey, StoredEntry> s = stores.get(store);
    return s == null ? null : s.get(key);
  }

  Map<ByteKey, StoredEntry> store(String name) {
    return stores.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
  }

  void put(String store, ByteKey key, StoredEntry entry) {
    bytes += weight(key, entry) - weight(key, store(store).put(key, entry));
  }

  private static long weight(ByteKey key, StoredEntry entry) {
    return entry == null ? 0 : key.bytes().length + (entry.value() == null ? 0 : entry.value().length);
  }

  /** Puts {@code entry} if it is newer than what is held; true if it was. */
  boolean merge(String store, ByteKey key, StoredEntry entry) {
    Map<ByteKey, StoredEntry> s = store(store);
    if (entry.newerThan(s.get(key))) {
      bytes += weight(key, entry) - weight(key, s.put(key, entry));
      return true;
    }
    return false;
  }

  Set<String> names() {
    return stores.keySet();
  }

  /** Every entry visible at wall time {@code now}, as (key, value) pairs. */
  List<Map.Entry<byte[], byte[]>> visible(String store, long now) {
    List<Map.Entry<byte[], byte[]>> out = new ArrayList<>();
    Map<ByteKey, StoredEntry> s = stores.get(store);
    if (s != null) {
      s.forEach((k, e) -> {
        if (e.visibleAt(now)) {
          out.add(Map.entry(k.bytes(), e.value()));
        }
      });
    }
    return out;
  }

  void forEach(String store, BiConsumer<ByteKey, StoredEntry> action) {
    Map<ByteKey, StoredEntry> s = stores.get(store);
    if (s != null) {
      s.forEach(action);
    }
  }

  /** Drops tombstones whose version is below {@code horizon}. */
  void collectTombstones(long horizon) {
    for (Map<ByteKey, StoredEntry> s : stores.values()) {
      s.entrySet().removeIf(e -> {
        boolean gone = e.getValue().isTombstone() && e.getValue().version() < horizon;
        if (gone) {
          bytes -= weight(e.getKey(), e.getValue());
        }
        return gone;
      });
    }
  }

  int size() {
    int n = 0;
    for (Map<ByteKey, StoredEntry> s : stores.values()) {
      n += s.size();
    }
    return n;
  }

  long bytes() {
    return bytes;
  }

  void clear() {
    stores.clear();
    bytes = 0;
  }
}
