package org.vertxgossip.replication;

/**
 * Times of node-owned state replication.
 *
 * @param ackTimeoutMs      how long an owner waits for a member's acknowledgement before it completes anyway
 *                          (anti-entropy then repairs that member)
 * @param antiEntropyMs     how often each node compares digests with one random member
 * @param maxFrame          the largest frame the transport carries; full states above it are refused loudly
 * @param silentMs          how long a change or a barrier waits for a member that answers nothing before it
 *                          completes without it (the member applies the change in order when it answers again;
 *                          a lookup that finds no handler runs a barrier, which waits for the others' streams)
 */
public record ReplicationConfig(long ackTimeoutMs, long antiEntropyMs, int maxFrame, long silentMs) {

  public static final long DEFAULT_SILENT_MS = 100;

  public ReplicationConfig(long ackTimeoutMs, long antiEntropyMs, int maxFrame) {
    this(ackTimeoutMs, antiEntropyMs, maxFrame, DEFAULT_SILENT_MS);
  }
}
