package org.vertxgossip.replication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.replication.StoreMessage.Applied;
import org.vertxgossip.replication.StoreMessage.Apply;
import org.vertxgossip.replication.StoreMessage.Commit;

/**
 * The owner's writes on their way to every member. A write commits when every member of the owner's view has
 * accepted it in that view's epoch; only then are its answers sent. There is no timeout that answers without a
 * member: a member that does not answer is sent the write again until it does or a view removes it. At a view
 * change, a write the owner still owns is sent again in the new epoch; one it no longer owns is abandoned (its
 * requesters are told to ask the new owner, which has it from the hand-over or decides it never happened).
 */
final class FanOut {

  /** How long a member may stay silent before a write is sent to it again (frames can be dropped). */
  static final long RESEND_MS = 500;
  /** Writes on their way at once, at most, and the bytes of their values: past either, new ones wait. */
  static final int MAX_PENDING = 65_536;
  static final long MAX_PENDING_BYTES = 64L << 20;
  /** How often the watermark is told again after the last write, so a dropped Commit frame is repaired. */
  private static final long ANNOUNCE_AGAIN_MS = 1_000;
  private static final long ANNOUNCE_FOR_MS = 10_000;

  record Reply(NodeId to, long seq, NodeAddress replyTo, StoreResult result) {

    Reply withResult(StoreResult r) {
      return new Reply(to, seq, replyTo, r);
    }
  }

  static final class PendingWrite {
    final long applyId;
    final StoreKey key;
    final StoredEntry entry;
    final List<Outcome> outcomes;
    final List<Reply> replies = new ArrayList<>();
    Epoch epoch;
    Set<NodeId> waiting;
    long resendAt;

    PendingWrite(long applyId, StoreKey key, StoredEntry entry, List<Outcome> outcomes) {
      this.applyId = applyId;
      this.key = key;
      this.entry = entry;
      this.outcomes = outcomes;
    }
  }

  private final KeyedStores core;
  private final Map<Long, PendingWrite> pending = new LinkedHashMap<>();
  private final Map<StoreKey, PendingWrite> lastByKey = new HashMap<>();
  private final Map<RequestId, PendingWrite> byRequest = new HashMap<>();
  private long nextApplyId;
  private long announcedBelow;
  private long announcedAt;
  private long lastCommitAt;
  private long pendingBytes;

  FanOut(KeyedStores core) {
    this.core = core;
  }

  int size() {
    return pending.size();
  }

  /** Every write of this owner with an id below this one is on every member. */
  long committedBelow() {
    return pending.isEmpty() ? nextApplyId + 1 : pending.keySet().iterator().next();
  }

  /** Too many writes on their way (a member is slow to accept): new ones are told to come back. */
  boolean full() {
    return pending.size() >= MAX_PENDING || pendingBytes >= MAX_PENDING_BYTES;
  }

  PendingWrite lastOf(StoreKey key) {
    return lastByKey.get(key);
  }

  PendingWrite of(NodeId requester, long seq) {
    return byRequest.get(new RequestId(requester, seq));
  }

  /** Applies {@code entry} here and sends it to every member; {@code replies} go once all accepted it. */
  PendingWrite start(StoreKey key, StoredEntry entry, List<Outcome> outcomes, List<Reply> replies) {
    PendingWrite w = new PendingWrite(++nextApplyId, key, entry, outcomes);
    w.replies.addAll(replies);
    // The mark first: a reader on another thread reads the entry, then the mark, so it never misses one.
    core.uncommitted.written(core.self, w.applyId, key, outcomes, false);
    core.table.put(key.store(), key.key(), entry);
    core.clock.observe(entry.version());
    core.expiries.written(key, entry);
    pendingBytes += sizeOf(w);
    outcomes.forEach(core.sessions::put);
    pending.put(w.applyId, w);
    lastByKey.put(key, w);
    for (Outcome o : outcomes) {
      byRequest.put(RequestId.of(o), w);
    }
    core.stats.writes++;
    send(w, core.epoch);
    return w;
  }

  private void send(PendingWrite w, Epoch epoch) {
    w.epoch = epoch;
    w.waiting = new HashSet<>();
    for (NodeId m : core.members) {
      if (!m.equals(core.self)) {
        w.waiting.add(m);
      }
    }
    w.resendAt = core.env.now() + RESEND_MS;
    if (w.waiting.isEmpty()) {
      complete(w);
      return;
    }
    core.sendTo(w.waiting, encode(w));
  }

  private byte[] encode(PendingWrite w) {
    return core.codec.encode(new Apply(core.self, core.selfAddress, w.applyId, w.epoch, committedBelow(),
        w.key.store(), w.key.key().bytes(), w.entry, w.outcomes));
  }

  void onApplied(Applied a) {
    PendingWrite w = pending.get(a.applyId());
    if (w == null) {
      return;
    }
    if (!a.accepted() || !a.epoch().equals(w.epoch)) {
      core.stats.appliesRefused++;
      return;
    }
    if (w.waiting.remove(a.from()) && w.waiting.isEmpty()) {
      complete(w);
    }
  }

  private static long sizeOf(PendingWrite w) {
    long n = w.key.key().bytes().length + (w.entry.value() == null ? 0 : w.entry.value().length);
    for (Outcome o : w.outcomes) {
      n += o.result().value() == null ? 0 : o.result().value().length;
    }
    return n;
  }

  private void complete(PendingWrite w) {
    pending.remove(w.applyId);
    pendingBytes -= sizeOf(w);
    lastCommitAt = core.env.now();
    if (lastByKey.get(w.key) == w) {
      lastByKey.remove(w.key);
    }
    for (Outcome o : w.outcomes) {
      byRequest.remove(RequestId.of(o));
    }
    long below = committedBelow();
    core.uncommitted.committed(core.self, below);
    w.replies.forEach(r -> core.reply(r.to(), r.seq(), r.replyTo(), r.result()));
    if (pending.isEmpty()) {
      announce(below);
    }
  }

  /** Tells every member the watermark, when no write is left to carry it. */
  private void announce(long below) {
    long now = core.env.now();
    boolean again = now - announcedAt >= ANNOUNCE_AGAIN_MS && now - lastCommitAt <= ANNOUNCE_FOR_MS;
    if (below == announcedBelow && !again) {
      return;
    }
    announcedBelow = below;
    announcedAt = now;
    core.sendTo(core.members, core.codec.encode(new Commit(core.self, core.epoch, below)));
  }

  /**
   * A new epoch: writes of keys this node still owns go out again in it (their acceptance in the old epoch no
   * longer counts); the others are abandoned and their requesters sent to the new owner. Below the quorum nothing
   * goes out and nothing is abandoned: the writes stay on their way, unsent, so the watermark stays below them,
   * until an epoch with a quorum decides.
   */
  void epochChanged(Predicate<StoreKey> stillOwned) {
    boolean quorum = core.hasQuorum();
    for (PendingWrite w : new ArrayList<>(pending.values())) {
      if (!quorum) {
        w.epoch = core.epoch;
        w.waiting = new HashSet<>(core.members);
        w.waiting.add(core.self); // can never complete in this epoch
      } else if (stillOwned.test(w.key)) {
        core.stats.writesResent++;
        send(w, core.epoch);
      } else {
        abandon(w);
      }
    }
  }

  /**
   * Gives a write up: its key moved. Its mark stays on every member that holds it, and is reported to the key's
   * new owner, which keeps the write or decides it never happened.
   */
  private void abandon(PendingWrite w) {
    pending.remove(w.applyId);
    pendingBytes -= sizeOf(w);
    if (lastByKey.get(w.key) == w) {
      lastByKey.remove(w.key);
    }
    for (Outcome o : w.outcomes) {
      byRequest.remove(RequestId.of(o));
    }
    core.stats.writesAbandoned++;
    for (Reply r : w.replies) {
      core.reply(r.to(), r.seq(), r.replyTo(), StoreResult.failed(StoreResult.Status.NOT_OWNER, null));
    }
  }

  void abandonAll() {
    new ArrayList<>(pending.values()).forEach(this::abandon);
  }

  /** The membership learned a member's address: the writes it has not been sent go to it now. */
  void addressKnown(NodeId member) {
    NodeAddress a = core.env.addressOf(member);
    if (a == null) {
      return;
    }
    for (PendingWrite w : pending.values()) {
      if (w.waiting.contains(member)) {
        core.env.send(a, encode(w));
      }
    }
  }

  void tick(long now) {
    for (PendingWrite w : core.hasQuorum() ? pending.values() : List.<PendingWrite>of()) {
      if (now < w.resendAt) {
        continue;
      }
      w.resendAt = now + RESEND_MS;
      byte[] frame = null;
      for (NodeId m : w.waiting) {
        NodeAddress a = core.env.addressOf(m);
        if (a != null) {
          frame = frame == null ? encode(w) : frame;
          core.env.send(a, frame);
          core.stats.appliesResent++;
        }
      }
    }
    announce(committedBelow());
  }
}
