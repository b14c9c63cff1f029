package org.vertxgossip.shareddata;

import io.vertx.core.Completable;
import io.vertx.core.VertxException;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import io.vertx.core.shareddata.Lock;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.vertxgossip.node.ClusterNode;
import org.vertxgossip.replication.KeyedStores;
import org.vertxgossip.replication.StoreOp;
import org.vertxgossip.replication.StoreRequest;
import org.vertxgossip.replication.StoreResult;

/** The SPI's shared-data entry points over one node's keyed stores. */
public final class SharedDataProvider {

  /** Extra time the requester waits beyond a lock's timeout for the owner's verdict (the owner measures it). */
  private static final long LOCK_MARGIN_MS = 5_000;

  private final StoreAccess access;

  public SharedDataProvider(VertxInternal vertx, ClusterNode node, ValueFilter filter) {
    this.access = new StoreAccess(vertx, node, filter);
  }

  /** Times every shared-data operation of this member from now on; {@code null} stops. */
  public void observe(OperationObserver observer) {
    access.observe(observer);
  }

  public <K, V> AsyncMap<K, V> asyncMap(String name) {
    return new GossipAsyncMap<>(name, access);
  }

  public <K, V> Map<K, V> syncMap(String name) {
    return new GossipSyncMap<>(name, access);
  }

  public Counter counter(String name) {
    return new GossipCounter(name, access);
  }

  /** Completes {@code promise} (a context promise) with the lock, or fails it once the owner says time is up. */
  public void lock(String name, long timeout, Completable<Lock> promise) {
    StoreRequest q = new StoreRequest(KeyedStores.LOCKS, name.getBytes(StandardCharsets.UTF_8),
        StoreOp.LOCK_ACQUIRE, null, null, Math.max(0, timeout), 0, 0);
    access.submit(q, timeout + LOCK_MARGIN_MS, r -> {
      if (r.isOk()) {
        promise.succeed(new GossipLock(name, r.number(), access));
      } else if (r.status() == StoreResult.Status.TIMEOUT) {
        promise.fail(new VertxException("Timed out waiting to get lock", true));
      } else {
        promise.fail(StoreAccess.failure(r));
      }
    });
  }
}
