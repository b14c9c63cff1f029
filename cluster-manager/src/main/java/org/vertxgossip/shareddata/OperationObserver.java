package org.vertxgossip.shareddata;

import org.vertxgossip.replication.StoreOp;

/**
 * Told how long each shared-data operation took, from the call to its answer (what {@code GossipMetrics} times).
 * Called on whichever thread completes the operation, the gossip loop included: it must be quick and must not
 * block.
 */
public interface OperationObserver {

  /**
   * @param local true for a read this member answered from its own copy, false for an operation its key's
   *     owner answered
   * @param ok false when it failed (timeout, no quorum, refused)
   */
  void completed(StoreOp op, boolean local, long nanos, boolean ok);
}
