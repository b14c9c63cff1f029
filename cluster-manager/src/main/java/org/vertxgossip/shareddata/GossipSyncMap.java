package org.vertxgossip.shareddata;

import java.util.AbstractMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.vertxgossip.replication.StoreOp;
import org.vertxgossip.replication.StoreRequest;
import org.vertxgossip.replication.StoreResult;

/**
 * The blocking map HAManager uses ({@code __vertx.haInfo}): a write returns once every member holds it, reads are
 * local. Entries of departed nodes stay until someone removes them (HA reads them to decide on fail-over). It
 * refuses to block the gossip loop.
 */
final class GossipSyncMap<K, V> extends AbstractMap<K, V> {

  private final String name;
  private final StoreAccess access;

  GossipSyncMap(String name, StoreAccess access) {
    this.name = name;
    this.access = access;
  }

  @Override
  public V get(Object key) {
    return access.decode(access.readBlocking(name, ValueCodec.encode(key)));
  }

  @Override
  public boolean containsKey(Object key) {
    return access.readBlocking(name, ValueCodec.encode(key)) != null;
  }

  /** Returns the value the owner replaced; the write is visible everywhere on return. */
  @Override
  public V put(K key, V value) {
    StoreResult r = await(new StoreRequest(name, ValueCodec.encode(key), StoreOp.GET_AND_PUT,
        ValueCodec.encode(value), null, 0, 0, 0));
    return access.decode(r.value());
  }

  @Override
  public V remove(Object key) {
    StoreResult r = await(StoreRequest.of(name, ValueCodec.encode(key), StoreOp.REMOVE));
    return access.decode(r.value());
  }

  @Override
  public Set<Entry<K, V>> entrySet() {
    Set<Entry<K, V>> set = new HashSet<>();
    for (Map.Entry<byte[], byte[]> e : access.entries(name)) {
      set.add(new SimpleImmutableEntry<>(access.decode(e.getKey()), access.decode(e.getValue())));
    }
    return set;
  }

  private StoreResult await(StoreRequest request) {
    if (access.node().inLoop()) {
      throw new IllegalStateException("vertx-gossip: the sync map blocks; it cannot be used on the gossip thread");
    }
    CompletableFuture<StoreResult> f = new CompletableFuture<>();
    access.submit(request, StoreAccess.REQUEST_TIMEOUT_MS, f::complete);
    try {
      StoreResult r = f.get(StoreAccess.REQUEST_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS);
      if (!r.isOk()) {
        throw StoreAccess.failure(r);
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("vertx-gossip: sync map " + name + " did not answer", e);
    }
  }
}
