package org.vertxgossip.replication;

/**
 * Times of node-owned state replication.
 *
 * @param ackTimeoutMs      how long an owner waits for a member's acknowledgement before it completes anyway
 *                          (anti-entropy then repairs that member)
 * @param antiEntropyMs     how often each node compares digests with one random member
 * @param maxFrame          the largest frame the transport carries; full states above it are refused loudly
 */
public record ReplicationConfig(long ackTimeoutMs, long antiEntropyMs, int maxFrame) {
}
