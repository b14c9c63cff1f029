package org.vertxgossip.replication;

import java.util.Random;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;

/** What the replication core needs from the world: a clock, randomness, a stream to peers, and member lookups. */
public interface ReplicationEnvironment {

  long now();

  /** Milliseconds since the epoch: versions (hybrid logical clock) and TTL deadlines, which cross nodes. */
  long wallTime();

  Random random();

  /**
   * Sends one frame on the replication lane (reliable while the connection lives, unless more than the
   * transport's bound is queued for the peer: then it is dropped and counted).
   */
  void send(NodeAddress to, byte[] frame);

  /** Bytes queued for {@code to} on the replication lane, not yet taken by the network: bulk senders pace on it. */
  default long queuedBytes(NodeAddress to) {
    return 0;
  }

  /** A member's current address, or null when the membership table has none. */
  NodeAddress addressOf(NodeId member);

  /** Whether the membership table believes the member alive (alive or suspect). */
  boolean isLive(NodeId member);
}
