package org.vertxgossip.shareddata;

import io.vertx.core.Future;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vertxgossip.replication.StoreOp;
import org.vertxgossip.replication.StoreRequest;

/**
 * A clustered {@link AsyncMap}: writes go to the owner of the key, which replicates them to every member before
 * answering; a {@code get} is local unless a write of the key is still uncommitted here (then it asks the owner). TTLs behave as in Vert.x's local map: a plain put clears an earlier TTL, and
 * {@code putIfAbsent} with a TTL on an existing key leaves it alone. Futures complete on the caller's context.
 */
final class GossipAsyncMap<K, V> implements AsyncMap<K, V> {

  private final String name;
  private final StoreAccess access;

  GossipAsyncMap(String name, StoreAccess access) {
    this.name = name;
    this.access = access;
  }

  private StoreRequest request(StoreOp op, K k, Object value, Object other, long ttl) {
    return new StoreRequest(name, ValueCodec.encode(k), op, value == null ? null : ValueCodec.encode(value),
        other == null ? null : ValueCodec.encode(other), ttl, 0, 0);
  }

  private static long checkTtl(long ttl) {
    if (ttl <= 0) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    return ttl;
  }

  /** An operation whose answer is nothing but its completion. */
  private Future<Void> done(StoreRequest q) {
    return access.call(q, r -> null);
  }

  /** An operation that answers with the value it found (previous, existing or removed), or null. */
  private Future<V> found(StoreRequest q) {
    return access.call(q, r -> access.decode(r.value()));
  }

  /** A conditional operation that answers whether its condition held. */
  private Future<Boolean> held(StoreRequest q) {
    return access.call(q, r -> r.number() == 1);
  }

  @Override
  public Future<V> get(K k) {
    return access.read(name, ValueCodec.encode(k), access::<V>decode);
  }

  @Override
  public Future<Void> put(K k, V v) {
    return done(request(StoreOp.PUT, k, v, null, 0));
  }

  @Override
  public Future<Void> put(K k, V v, long ttl) {
    return done(request(StoreOp.PUT, k, v, null, checkTtl(ttl)));
  }

  @Override
  public Future<V> putIfAbsent(K k, V v) {
    return found(request(StoreOp.PUT_IF_ABSENT, k, v, null, 0));
  }

  @Override
  public Future<V> putIfAbsent(K k, V v, long ttl) {
    return found(request(StoreOp.PUT_IF_ABSENT, k, v, null, checkTtl(ttl)));
  }

  @Override
  public Future<V> remove(K k) {
    return found(request(StoreOp.REMOVE, k, null, null, 0));
  }

  @Override
  public Future<Boolean> removeIfPresent(K k, V v) {
    return held(request(StoreOp.REMOVE_IF_PRESENT, k, v, null, 0));
  }

  @Override
  public Future<V> replace(K k, V v) {
    return found(request(StoreOp.REPLACE, k, v, null, 0));
  }

  @Override
  public Future<V> replace(K k, V v, long ttl) {
    return found(request(StoreOp.REPLACE, k, v, null, checkTtl(ttl)));
  }

  @Override
  public Future<Boolean> replaceIfPresent(K k, V oldValue, V newValue) {
    return held(request(StoreOp.REPLACE_IF_PRESENT, k, oldValue, newValue, 0));
  }

  @Override
  public Future<Boolean> replaceIfPresent(K k, V oldValue, V newValue, long ttl) {
    return held(request(StoreOp.REPLACE_IF_PRESENT, k, oldValue, newValue, checkTtl(ttl)));
  }

  @Override
  public Future<Void> clear() {
    return access.completeEntries(name).compose(entries -> {
      List<Future<Void>> removals = new ArrayList<>();
      for (Map.Entry<byte[], byte[]> e : entries) {
        StoreRequest q = new StoreRequest(name, e.getKey(), StoreOp.REMOVE, null, null, 0, 0, 0);
        removals.add(done(q));
      }
      return Future.all(removals).mapEmpty();
    });
  }

  @Override
  public Future<Integer> size() {
    return access.completeEntries(name).map(List::size);
  }

  @Override
  public Future<Set<K>> keys() {
    return access.completeEntries(name).map(entries -> {
      Set<K> keys = new HashSet<>();
      entries.forEach(e -> keys.add(access.decode(e.getKey())));
      return keys;
    });
  }

  @Override
  public Future<List<V>> values() {
    return access.completeEntries(name).map(entries -> {
      List<V> values = new ArrayList<>();
      entries.forEach(e -> values.add(access.decode(e.getValue())));
      return values;
    });
  }

  @Override
  public Future<Map<K, V>> entries() {
    return access.completeEntries(name).map(entries -> {
      Map<K, V> map = new HashMap<>();
      entries.forEach(e -> map.put(access.decode(e.getKey()), access.decode(e.getValue())));
      return map;
    });
  }
}
