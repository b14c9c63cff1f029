package org.vertxgossip.transport;

/** Why a datagram, frame or outbound message was dropped; each reason has its own counter. */
public enum DropReason {
  /** Shorter than the envelope header, or a header that does not parse. */
  TRUNCATED,
  /** Does not start with the vertx-gossip magic number. */
  BAD_MAGIC,
  /** A protocol version this node does not speak (its sender is told so, see {@link #VERSION_REFUSED}). */
  UNKNOWN_VERSION,
  /** A member of another major version refused this node's input: its notice. */
  VERSION_REFUSED,
  /** Another cluster's label. */
  FOREIGN_CLUSTER,
  /** Flags this node does not support (an encrypted envelope without a key, for instance). */
  UNSUPPORTED_FLAGS,
  /** A lane this node does not know (a newer peer); skipped so that versions N and N-1 coexist. */
  UNKNOWN_LANE,
  /** A datagram above the packet limit, or a frame above the frame limit. */
  OVERSIZED,
  /** The body did not decode (counted by the layer that decodes it). */
  MALFORMED,
  /**
   * Outbound: the peer's connection buffer is full, or too many frames wait for it to connect; inbound: more
   * connections than the transport keeps at once.
   */
  BACKPRESSURE,
  /** Plain input while this node requires sealed input (a sender without the key, or not yet switched). */
  NOT_SEALED,
  /** Sealed with a key this node does not hold (a foreign or retired key). */
  UNKNOWN_KEY,
  /** Did not authenticate under the key it names: forged, corrupted, or sealed with another key of that id. */
  AUTH_FAILED,
  /** Sealed outside the freshness window (a late replay, or a clock off by more than the bound). */
  STALE,
  /** Authenticated but already received, or out of its connection's order: a replay. */
  REPLAYED,
  /**
   * Inbound: more connections from one address than the transport keeps for one source, or a partial frame
   * that would pass the bytes all connections together may buffer.
   */
  INPUT_LIMIT,
  /** A TLS handshake on a stream failed: no certificate, or one this node's trust store refuses. */
  TLS_REFUSED
}
