package org.vertxgossip.replication;

import java.util.List;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;

/** Messages of the keyed stores (types 10 and up on the replication lane). */
sealed interface StoreMessage {

  /**
   * An operation for the owner of its key in {@code epoch}; {@code (from, seq)} identifies it across retries and
   * {@code low} is the requester's lowest request still waiting.
   */
  record Op(NodeId from, long seq, long low, NodeAddress replyTo, Epoch epoch, StoreRequest request)
      implements StoreMessage {
  }

  /** The owner's answer; {@code NOT_OWNER} means "not here, not now": the requester asks again. */
  record OpResult(long seq, StoreResult result) implements StoreMessage {
  }

  /**
   * The owner's new entry for a key, decided in {@code epoch}, with the answers of the requests that caused it.
   * {@code committedBelow}: every earlier write of this owner with an id below it is on every member.
   */
  record Apply(NodeId owner, NodeAddress ownerAddress, long applyId, Epoch epoch, long committedBelow, String store,
               byte[] key, StoredEntry entry, List<Outcome> outcomes) implements StoreMessage {
  }

  /** A member's answer to an apply: accepted in the owner's epoch, or refused (it is in another epoch). */
  record Applied(NodeId from, long applyId, Epoch epoch, boolean accepted) implements StoreMessage {
  }

  /** The owner's commit watermark in {@code epoch}, when no write carried it. */
  record Commit(NodeId owner, Epoch epoch, long committedBelow) implements StoreMessage {
  }

  /**
   * A member entering {@code epoch} (or re-validating it after a pause) asks each member of it for its hand-over
   * report and its readiness; {@code round} counts the asker's re-validations, and the answers carry it back.
   */
  record HandOverQuery(NodeId from, NodeAddress replyTo, Epoch epoch, long round) implements StoreMessage {
  }

  /**
   * Uncommitted entries of keys the receiver owns in {@code epoch}, with their answers; in several frames if
   * large, {@code last} on the final one.
   */
  record Report(NodeId from, Epoch epoch, long round, List<Reported> entries, boolean last) implements StoreMessage {
  }

  record Reported(String store, byte[] key, StoredEntry entry, List<Outcome> outcomes) {
  }

  /**
   * The sender serves its keys in {@code epoch}: what it took over is on its way to every member, in order; an
   * answer to the receiver's query of {@code round}.
   */
  record HandOverDone(NodeId from, Epoch epoch, long round) implements StoreMessage {
  }

  /**
   * A store's entries, tombstones included, for a joiner; an uncommitted one names its owner and write, with the
   * answers of its writes (the joiner may be the only member left to report it to the key's next owner).
   */
  record Content(NodeId from, long pull, String store, List<KeyedEntry> entries) implements StoreMessage {
  }

  record KeyedEntry(byte[] key, StoredEntry entry, NodeId pendingOwner, long pendingApply,
                    List<Outcome> pendingOutcomes) {

    /** A committed entry (or one sent where marks do not travel). */
    KeyedEntry(byte[] key, StoredEntry entry) {
      this(key, entry, null, 0, List.of());
    }
  }

  /** The answers a joiner needs to deduplicate retries. */
  record Sessions(NodeId from, long pull, List<Outcome> outcomes) implements StoreMessage {
  }

  /**
   * A joiner in {@code epoch} asks for every store; {@code pull} numbers its pulls, and every frame of the answer
   * ({@code Content}, {@code Sessions}, {@code PullDone}) carries it back.
   */
  record Pull(NodeId from, NodeAddress replyTo, Epoch epoch, long pull) implements StoreMessage {
  }

  /**
   * The last frame of an answer to a pull, with the number of frames before it; {@code served} false: the sender
   * could not serve it (behind, or without state itself), and {@code joining} says it is a joiner too.
   * {@code joined}: the members the sender's {@code epoch} added to the view before it (they entered with nothing),
   * so a joiner of the same epoch need not wait for their hand-over reports either.
   */
  record PullDone(NodeId from, long pull, boolean served, boolean joining, long frames, Epoch epoch,
                  List<NodeId> joined)
      implements StoreMessage {
  }

  /**
   * A member asks the owner {@code to} for a read lease in {@code epoch}; {@code sentAt} is the asker's own clock
   * when it asked, and the lease runs from then, so it ends before the owner stops counting on it.
   */
  record LeaseRequest(NodeId from, NodeAddress replyTo, Epoch epoch, long sentAt) implements StoreMessage {
  }

  /** The owner's grant: the asker may read the owner's keys locally for {@code durationMs} from {@code sentAt}. */
  record LeaseGrant(NodeId owner, Epoch epoch, long sentAt, long durationMs) implements StoreMessage {
  }

  /**
   * Anti-entropy ({@link RangeRepair}): the sender's digests of one store's committed entries, by hash range.
   * {@code level} 0: the 32 top ranges, in order; level 1: for each top range in {@code ranges}, its 32 sub-ranges.
   */
  record Digests(NodeId from, NodeAddress replyTo, Epoch epoch, String store, int level, int[] ranges,
                 long[] digests) implements StoreMessage {
  }

  /** Anti-entropy: the sender's committed keys and versions in the leaf ranges {@code leaves}. */
  record KeyVersions(NodeId from, NodeAddress replyTo, Epoch epoch, String store, int[] leaves, List<byte[]> keys,
                     long[] versions) implements StoreMessage {
  }

  /** Anti-entropy: entries newer at the sender, and keys newer at the receiver that the sender wants. */
  record Repair(NodeId from, NodeAddress replyTo, Epoch epoch, String store, List<KeyedEntry> entries,
                List<byte[]> wanted) implements StoreMessage {
  }
}
