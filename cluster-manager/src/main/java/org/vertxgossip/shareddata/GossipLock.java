package org.vertxgossip.shareddata;

import io.vertx.core.shareddata.Lock;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.vertxgossip.replication.KeyedStores;
import org.vertxgossip.replication.StoreOp;
import org.vertxgossip.replication.StoreRequest;

/**
 * A granted cluster-wide lock. Beyond {@link Lock}, it carries the grant's fencing token: tokens of one lock only
 * grow, so a resource can refuse a request that carries an older token than one it has seen (a holder that was
 * paused and lost the lock meanwhile). {@link #release()} is idempotent.
 */
public final class GossipLock implements Lock {

  private final String name;
  private final long token;
  private final StoreAccess access;
  private final AtomicBoolean released = new AtomicBoolean();

  GossipLock(String name, long token, StoreAccess access) {
    this.name = name;
    this.token = token;
    this.access = access;
  }

  /** This grant's fencing token: larger than that of every earlier grant of the same lock. */
  public long fencingToken() {
    return token;
  }

  @Override
  public void release() {
    if (released.compareAndSet(false, true)) {
      access.submit(new StoreRequest(KeyedStores.LOCKS, name.getBytes(StandardCharsets.UTF_8),
          StoreOp.LOCK_RELEASE, null, null, 0, token, 0), Long.MAX_VALUE, r -> { }); // retried until answered
    }
  }
}
