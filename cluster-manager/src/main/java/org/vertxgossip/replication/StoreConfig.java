package org.vertxgossip.replication;

/**
 * Settings of the keyed stores.
 *
 * @param ackTimeoutMs       how long a joiner waits for one member's state transfer before it asks another
 * @param antiEntropyMs      how often a member compares range digests of every store with one random member
 *                           ({@link RangeRepair}, the repair of last resort), on average
 * @param maxFrame           the transport's frame limit; store contents are split below it
 * @param minimumMembers     quorum for every read and write (0 or 1: none)
 * @param tombstoneHorizonMs how long a delete is remembered (a member away for longer may bring the value back)
 * @param pauseMs            a gap this long between two ticks means this node's loop was stopped (SIGSTOP, a long
 *                           GC): it may have been removed meanwhile, so it serves and reads nothing locally until
 *                           its view is confirmed again
 * @param leaseMs            how long a member may answer reads of another owner's keys locally after it asked that
 *                           owner for a lease; an owner answers a write without a member only once the member's
 *                           lease has run out, so this bounds how long a slow member can hold writes up
 * @param silentMs           how long a write waits for a member before the owner stops counting on it (once its
 *                           lease has run out too); the member is still sent the write until it accepts it
 */
public record StoreConfig(long ackTimeoutMs, long antiEntropyMs, int maxFrame, int minimumMembers,
                          long tombstoneHorizonMs, long pauseMs, long leaseMs, long silentMs) {

  public static final long DEFAULT_LEASE_MS = 300;
  public static final long DEFAULT_SILENT_MS = 100;

  public StoreConfig {
    if (leaseMs <= 0 || silentMs <= 0) {
      throw new IllegalArgumentException("leaseMs and silentMs must be positive (got " + leaseMs + ", " + silentMs
          + ")");
    }
  }

  public StoreConfig(long ackTimeoutMs, long antiEntropyMs, int maxFrame, int minimumMembers,
                     long tombstoneHorizonMs, long pauseMs) {
    this(ackTimeoutMs, antiEntropyMs, maxFrame, minimumMembers, tombstoneHorizonMs, pauseMs, DEFAULT_LEASE_MS,
        DEFAULT_SILENT_MS);
  }

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

  /** Bytes an entry may take in one frame with the answers it carries: twice {@link #maxEntryBytes}. */
  long maxEntryWithAnswers() {
    return 2 * maxEntryBytes();
  }
}
