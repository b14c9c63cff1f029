package org.vertxgossip.membership.wire;

import java.util.List;
import org.vertxgossip.membership.MemberRecord;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.membership.ViewSummary;

/**
 * Every message of the membership protocol. The first eight travel in datagrams (several to a compound packet);
 * the rest are stream (TCP) messages, one per frame.
 */
public sealed interface Message {

  /**
   * Direct probe. {@code target} lets a restarted process at the same address answer as someone else. The sender's
   * view id and hash let the receiver notice a view it missed.
   */
  record Ping(int seq, NodeId target, NodeId source, NodeAddress sourceAddress, long viewId, long viewHash)
      implements Message {
  }

  /** Asks a helper to probe {@code target} for the requester; the helper answers with an ack or a nack. */
  record IndirectPing(int seq, NodeId target, NodeAddress targetAddress, NodeId requester,
                      NodeAddress requesterAddress) implements Message {
  }

  /** Answer to a ping; {@code source} is who actually answered, with its view id and hash. */
  record Ack(int seq, NodeId source, long viewId, long viewHash) implements Message {
  }

  /** A helper's "I asked, nobody answered": proof that the helper itself is healthy (Lifeguard). */
  record Nack(int seq) implements Message {
  }

  record Alive(NodeId node, int incarnation, NodeAddress address, byte[] meta) implements Message {
  }

  record Suspect(NodeId node, int incarnation, NodeId from) implements Message {
  }

  /** A death certificate; {@code from == node} means a graceful leave. */
  record Dead(NodeId node, int incarnation, NodeId from) implements Message {
    public boolean isLeave() {
      return node.equals(from);
    }
  }

  /** View {@code id} is view {@code id-1} (whose hash is {@code prevHash}) minus {@code removed}, plus {@code added}. */
  record ViewDelta(long id, NodeId coordinator, long prevHash, long hash, List<NodeId> removed, List<NodeId> added)
      implements Message {
  }

  /**
   * Anti-entropy. Phase REQUEST carries bucket digests (or, on join, the full state); RESPONSE carries the
   * responder's digests and its records in differing buckets; FINAL carries the requester's records in those
   * buckets.
   */
  record PushPull(int phase, boolean join, MemberRecord sender, ViewSummary view, long[] buckets,
                  List<MemberRecord> records) implements Message {
    public static final int REQUEST = 0;
    public static final int RESPONSE = 1;
    public static final int FINAL = 2;
  }

  /** The TCP fallback probe. */
  record StreamPing(int seq, NodeId target, NodeId source, NodeAddress sourceAddress) implements Message {
  }

  record StreamAck(int seq, NodeId source) implements Message {
  }

  /** Asks the coordinator to admit the sender into its view. */
  record JoinRequest(MemberRecord joiner) implements Message {
  }

  /** "Send me the views after {@code haveId}"; {@code haveHash} lets the responder detect another lineage. */
  record ViewPull(NodeAddress replyTo, long haveId, long haveHash) implements Message {
  }

  /**
   * Answer to a pull or a join: consecutive deltas, or (when {@code members != null}) the whole view;
   * {@code divergent} says the sender proved that the receiver's view belongs to another lineage.
   */
  record ViewSync(ViewSummary summary, List<ViewDelta> deltas, List<NodeId> members, boolean divergent)
      implements Message {
    public boolean isFull() {
      return members != null;
    }
  }
}
