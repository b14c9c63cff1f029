package org.vertxgossip.replication;

import java.util.List;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;

/** Messages of the keyed stores (types 10 and up on the replication lane). */
sealed interface StoreMessage {

  /** An operation for the owner of its key; {@code (from, seq)} identifies it across retries. */
  record Op(NodeId from, long seq, NodeAddress replyTo, StoreRequest request) implements StoreMessage {
  }

  record OpResult(long seq, StoreResult result) implements StoreMessage {
  }

  /**
   * The owner's new entry for a key, with the request that caused it and its result, so that a new owner answers
   * a retried request as the old one would have.
   */
  record Apply(NodeId owner, NodeAddress ownerAddress, long applyId, String store, byte[] key, StoredEntry entry,
               NodeId requester, long seq, StoreResult result) implements StoreMessage {
  }

  record Applied(NodeId from, long applyId) implements StoreMessage {
  }

  /** Per-store digests (count and XOR of entry hashes); a reply carries the receiver's back. */
  record Digest(NodeId from, NodeAddress replyTo, boolean reply, List<StoreDigest> stores) implements StoreMessage {
  }

  record StoreDigest(String store, int count, long hash) {
  }

  /** A store's entries, tombstones included; merged last-writer-wins. */
  record Content(String store, List<KeyedEntry> entries) implements StoreMessage {
  }

  record KeyedEntry(byte[] key, StoredEntry entry) {
  }

  /** A joiner asks for every store. */
  record Pull(NodeId from, NodeAddress replyTo) implements StoreMessage {
  }

  /** The last frame of an answer to a pull. */
  record PullDone(NodeId from) implements StoreMessage {
  }
}
