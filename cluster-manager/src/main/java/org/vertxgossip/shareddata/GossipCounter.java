package org.vertxgossip.shareddata;

import io.vertx.core.Future;
import io.vertx.core.shareddata.Counter;
import java.nio.charset.StandardCharsets;
import org.vertxgossip.replication.KeyedStores;
import org.vertxgossip.replication.StoreOp;
import org.vertxgossip.replication.StoreRequest;

/**
 * A cluster-wide counter: its owner serialises every operation, including reads, and replicates each change to
 * every member before answering, so acknowledged changes survive the owner's death.
 */
final class GossipCounter implements Counter {

  private final byte[] key;
  private final StoreAccess access;

  GossipCounter(String name, StoreAccess access) {
    this.key = name.getBytes(StandardCharsets.UTF_8);
    this.access = access;
  }

  private Future<Long> op(StoreOp op, long a, long b) {
    return access.call(new StoreRequest(KeyedStores.COUNTERS, key, op, null, null, 0, a, b), r -> r.number());
  }

  @Override
  public Future<Long> get() {
    return op(StoreOp.COUNTER_GET, 0, 0);
  }

  @Override
  public Future<Long> incrementAndGet() {
    return op(StoreOp.COUNTER_ADD_AND_GET, 1, 0);
  }

  @Override
  public Future<Long> getAndIncrement() {
    return op(StoreOp.COUNTER_GET_AND_ADD, 1, 0);
  }

  @Override
  public Future<Long> decrementAndGet() {
    return op(StoreOp.COUNTER_ADD_AND_GET, -1, 0);
  }

  @Override
  public Future<Long> addAndGet(long value) {
    return op(StoreOp.COUNTER_ADD_AND_GET, value, 0);
  }

  @Override
  public Future<Long> getAndAdd(long value) {
    return op(StoreOp.COUNTER_GET_AND_ADD, value, 0);
  }

  @Override
  public Future<Boolean> compareAndSet(long expected, long value) {
    return op(StoreOp.COUNTER_COMPARE_AND_SET, expected, value).map(n -> n == 1);
  }
}
