package org.vertxgossip.replication;

import java.util.List;
import java.util.Map;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;

/** Messages of node-owned state replication; each names its sender so that replies need no connection state. */
sealed interface ReplicationMessage {

  /** One owner-side change, version {@code version} = the previous one plus one. Null values remove. */
  record Delta(NodeId owner, NodeAddress ownerAddress, long version, Map<String, byte[]> changes)
      implements ReplicationMessage {
  }

  /** An owner's whole state at {@code version}, from the owner or relayed by anti-entropy. */
  record FullState(NodeId sender, NodeAddress senderAddress, NodeId owner, long version, Map<String, byte[]> entries)
      implements ReplicationMessage {
  }

  /** {@code from} holds {@code owner}'s state up to {@code version}. */
  record Ack(NodeId from, NodeId owner, long version) implements ReplicationMessage {
  }

  /** Asks for {@code owner}'s full state. */
  record Pull(NodeId from, NodeAddress replyTo, NodeId owner) implements ReplicationMessage {
  }

  /** Which version of each owner's state the sender holds; a reply carries the receiver's own digest back. */
  record Digest(NodeId from, NodeAddress replyTo, boolean reply, List<Version> versions)
      implements ReplicationMessage {
  }

  /** Asks the receiver to answer once everything it sent to {@code from} before is on the wire ahead of the answer. */
  record Sync(NodeId from, NodeAddress replyTo, long id) implements ReplicationMessage {
  }

  record SyncAck(NodeId from, long id) implements ReplicationMessage {
  }

  record Version(NodeId owner, long version) {
  }
}
