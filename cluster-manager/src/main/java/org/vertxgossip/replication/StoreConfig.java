package org.vertxgossip.replication;

/**
 * Settings of the keyed stores.
 *
 * @param ackTimeoutMs       how long an owner waits for members to acknowledge a write before it answers anyway
 * @param antiEntropyMs      how often digests are compared with one random member
 * @param maxFrame           the transport's frame limit; store contents are split below it
 * @param minimumMembers     quorum for locks, counters and conditional writes (0 or 1: none)
 * @param tombstoneHorizonMs how long a delete is remembered (a member away for longer may bring the value back)
 */
public record StoreConfig(long ackTimeoutMs, long antiEntropyMs, int maxFrame, int minimumMembers,
                          long tombstoneHorizonMs) {

  /** Room in a frame for what an apply carries besides one entry and the value it replaced. */
  private static final int APPLY_OVERHEAD = 64 << 10;

  /**
   * The most a request's key and values may take: an apply carries the new entry and the value it replaced, and
   * must fit one frame.
   */
  public long maxEntryBytes() {
    return Math.max(0, (maxFrame - APPLY_OVERHEAD) / 2);
  }
}
