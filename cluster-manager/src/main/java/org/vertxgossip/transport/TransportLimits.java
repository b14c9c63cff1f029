package org.vertxgossip.transport;

/**
 * Sizes and times the transport enforces.
 *
 * @param maxPacket      the largest datagram body, header excluded
 * @param maxFrame       the largest stream frame body, header excluded; checked before anything is allocated
 * @param connectTimeoutMs how long a connection may take to open
 * @param idleCloseMs    connections with no traffic for this long are closed (they reopen on demand)
 * @param maxPendingFrames frames that may wait for one peer's connection to open
 */
public record TransportLimits(int maxPacket, int maxFrame, int connectTimeoutMs, long idleCloseMs,
                              int maxPendingFrames) {
}
