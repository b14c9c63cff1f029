package org.vertxgossip.replication;

/**
 * Settings of the keyed stores.
 *
 * @param ackTimeoutMs       how long a joiner waits for one member's state transfer before it asks another
 * @param antiEntropyMs      unused by the keyed stores (every write is acknowledged by every member of its epoch);
 *                           kept for the node-owned state's settings
 * @param maxFrame           the transport's frame limit; store contents are split below it
 * @param minimumMembers     quorum for every read and write (0 or 1: none)
 * @param tombstoneHorizonMs how long a delete is remembered (a member away for longer may bring the value back)
 * @param pauseMs            a gap this long between two ticks means this node's loop was stopped (SIGSTOP, a long
 *                           GC): it may have been removed meanwhile, so it serves and reads nothing locally until
 *                           its view is confirmed again
 */
public record StoreConfig(long ackTimeoutMs, long antiEntropyMs, int maxFrame, int minimumMembers,
                          long tombstoneHorizonMs, long pauseMs) {

  /** Room in a frame for what an apply carries besides one entry and the value it replaced. */
  private static final int APPLY_OVERHEAD = 64 << 10;

  public StoreConfig(long ackTimeoutMs, long antiEntropyMs, int maxFrame, int minimumMembers,
                     long tombstoneHorizonMs) {
    this(ackTimeoutMs, antiEntropyMs, maxFrame, minimumMembers, tombstoneHorizonMs, 1_000);
  }

  /**
   * The most a request's key and values may take: an apply carries the new entry and the value it replaced, and
   * must fit one frame.
   */
  public long maxEntryBytes() {
    return Math.max(0, (maxFrame - APPLY_OVERHEAD) / 2);
  }
}
