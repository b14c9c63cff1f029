package org.vertxgossip.replication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.replication.StoreMessage.Applied;
import org.vertxgossip.replication.StoreMessage.Apply;
import org.vertxgossip.replication.StoreMessage.Commit;

/**
 * The owner's writes on their way to every member. A write is <em>answered</em> once every member the owner
 * counts on has accepted it in the owner's epoch, and <em>committed</em> (below the watermark, marks cleared) once
 * every member of the view has. The owner stops counting on a member that leaves a write unaccepted for
 * {@code silentMs} once every read lease it granted that member has run out ({@link Leases}); the member is still
 * sent the write, paced, until it accepts it or a view removes it, and counts again once it has caught up. Until
 * then it gets no lease, so it reads through the owners, and every other member keeps the write's mark, so a
 * hand-over reports it even to a new owner that missed it. There is no timeout that answers without a member the
 * owner counts on. At a view change, a write the owner still owns is sent again in the new epoch; one it no
 * longer owns is abandoned (its requesters are told to ask the new owner, which has it from the hand-over or
 * decides it never happened).
 */
final class FanOut {

  /** How long a member may stay silent before a write is sent to it again (frames can be dropped). */
  static final long RESEND_MS = 500;
  /** Writes on their way at once, at most, and the bytes of their values: past either, new ones wait. */
  static final int MAX_PENDING = 65_536;
  static final long MAX_PENDING_BYTES = 64L << 20;
  /** Writes sent again at once to a member the owner stopped counting on; each acceptance releases the next. */
  static final int LAGGING_WINDOW = 256;
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
    List<Outcome> outcomes;
    final List<Reply> replies = new ArrayList<>();
    Epoch epoch;
    Set<NodeId> waiting = Set.of();
    long sentAt;
    long resendAt;
    long bytes;
    boolean answered;
    /**
     * Its waiting members are counted as behind: it was answered, or it carries a write that was (one it
     * superseded, or one a former owner may have answered and the hand-over gave this owner).
     */
    boolean counted;

    PendingWrite(long applyId, StoreKey key, StoredEntry entry, List<Outcome> outcomes) {
      this.applyId = applyId;
      this.key = key;
      this.entry = entry;
      this.outcomes = outcomes;
    }
  }

  private final KeyedStores core;
  private final TreeMap<Long, PendingWrite> pending = new TreeMap<>();
  private final Set<PendingWrite> unanswered = new LinkedHashSet<>();
  private final Map<StoreKey, PendingWrite> lastByKey = new HashMap<>();
  private final Map<RequestId, PendingWrite> byRequest = new HashMap<>();
  /** Members this owner does not count on (silent past their leases), each with its resend cursor and time. */
  private final Map<NodeId, long[]> lagging = new HashMap<>();
  /** Per member, the answered writes it has not accepted yet: it gets no lease until none is left. */
  private final Map<NodeId, Integer> behind = new HashMap<>();
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
    return pending.isEmpty() ? nextApplyId + 1 : pending.firstKey();
  }

  /** Too many writes on their way (a member is slow to accept): new ones are told to come back. */
  boolean full() {
    return pending.size() >= MAX_PENDING || pendingBytes >= MAX_PENDING_BYTES;
  }

  /** Whether this owner counts on {@code member} and it holds every write answered so far (it may get a lease). */
  boolean current(NodeId member) {
    return !lagging.containsKey(member) && behind.getOrDefault(member, 0) == 0;
  }

  int lagging() {
    return lagging.size();
  }

  PendingWrite lastOf(StoreKey key) {
    return lastByKey.get(key);
  }

  /** The latest write of {@code key} whose answers have not gone out, or null: an answer of the key waits for it. */
  PendingWrite lastUnanswered(StoreKey key) {
    PendingWrite w = lastByKey.get(key);
    return w == null || w.answered ? null : w;
  }

  PendingWrite of(NodeId requester, long seq) {
    return byRequest.get(new RequestId(requester, seq));
  }

  /** An answer that waits for {@code w}: sent now if {@code w} is answered already. */
  void addReply(PendingWrite w, Reply r) {
    if (w.answered) {
      core.reply(r.to(), r.seq(), r.replyTo(), r.result());
    } else {
      w.replies.add(r);
    }
  }

  /** Applies {@code entry} here and sends it to every member; {@code replies} go once it is answered. */
  PendingWrite start(StoreKey key, StoredEntry entry, List<Outcome> outcomes, List<Reply> replies) {
    return start(key, entry, outcomes, replies, false);
  }

  /**
   * {@code mustHold}: the write may already have been answered (a hand-over adopts it from a former owner), so no
   * member that has not accepted it may get a lease meanwhile.
   */
  PendingWrite start(StoreKey key, StoredEntry entry, List<Outcome> outcomes, List<Reply> replies,
                     boolean mustHold) {
    PendingWrite w = new PendingWrite(++nextApplyId, key, entry, outcomes);
    w.replies.addAll(replies);
    w.counted = mustHold;
    PendingWrite previous = lastByKey.get(key);
    if (previous != null && previous.answered && lagging.keySet().containsAll(previous.waiting)
        && fitsWithCarried(previous, w)) {
      supersede(previous, w);
    }
    // The mark first: a reader on another thread reads the entry, then the mark, so it never misses one.
    core.uncommitted.written(core.self, w.applyId, key, w.outcomes, false);
    core.table.put(key.store(), key.key(), entry);
    core.clock.observe(entry.version());
    core.expiries.written(key, entry);
    w.bytes = sizeOf(w);
    pendingBytes += w.bytes;
    w.outcomes.forEach(core.sessions::put);
    pending.put(w.applyId, w);
    unanswered.add(w);
    lastByKey.put(key, w);
    for (Outcome o : outcomes) {
      byRequest.put(RequestId.of(o), w);
    }
    core.stats.writes++;
    send(w, core.epoch);
    return w;
  }

  /**
   * An answered write of a key that only members this owner does not count on still miss is replaced by the
   * key's next write: they need only the newest entry, so a silent member holds one write per key, not one per
   * update. The answers it carried go on with the next write (those their requesters can no longer ask again for
   * are dropped), since a lagging member may be the key's next owner and must know them.
   */
  private void supersede(PendingWrite previous, PendingWrite w) {
    List<Outcome> carried = new ArrayList<>(previous.outcomes.size() + w.outcomes.size());
    carried.addAll(previous.outcomes);
    carried.addAll(w.outcomes);
    w.outcomes = stillAskable(carried);
    w.counted = true; // it carries an answered write: whoever has not accepted it is behind
    remove(previous);
    core.stats.writesSuperseded++;
  }

  /** Whether {@code w} with the answers {@code previous} carries still fits one apply frame. */
  private boolean fitsWithCarried(PendingWrite previous, PendingWrite w) {
    long bytes = w.key.key().bytes().length + (w.entry.value() == null ? 0 : w.entry.value().length);
    for (List<Outcome> list : List.of(previous.outcomes, w.outcomes)) {
      for (Outcome o : list) {
        bytes += 64 + (o.result().value() == null ? 0 : o.result().value().length);
      }
    }
    return bytes <= core.config.maxEntryBytes();
  }

  /** The outcomes a requester may still retry: those at or above the highest low watermark it has sent. */
  private static List<Outcome> stillAskable(List<Outcome> outcomes) {
    Map<NodeId, Long> low = new HashMap<>();
    for (Outcome o : outcomes) {
      low.merge(o.requester(), o.low(), Math::max);
    }
    List<Outcome> kept = new ArrayList<>(outcomes.size());
    for (Outcome o : outcomes) {
      if (o.seq() >= low.get(o.requester())) {
        kept.add(o);
      }
    }
    return kept;
  }

  private void send(PendingWrite w, Epoch epoch) {
    w.epoch = epoch;
    Set<NodeId> waiting = new HashSet<>();
    for (NodeId m : core.members) {
      if (!m.equals(core.self)) {
        waiting.add(m);
      }
    }
    setWaiting(w, waiting);
    w.sentAt = core.env.now();
    w.resendAt = w.sentAt + RESEND_MS;
    if (w.waiting.isEmpty()) {
      complete(w);
      return;
    }
    core.sendTo(w.waiting, encode(w));
    maybeAnswer(w);
  }

  private void setWaiting(PendingWrite w, Set<NodeId> waiting) {
    if (w.counted) {
      w.waiting.forEach(this::caughtUp);
      waiting.forEach(m -> behind.merge(m, 1, Integer::sum));
    }
    w.waiting = waiting;
  }

  private void caughtUp(NodeId m) {
    behind.computeIfPresent(m, (k, n) -> n <= 1 ? null : n - 1);
  }

  private byte[] encode(PendingWrite w) {
    return core.codec.encode(new Apply(core.self, core.selfAddress, w.applyId, w.epoch, committedBelow(),
        w.key.store(), w.key.key().bytes(), w.entry, w.outcomes));
  }

  void onApplied(Applied a) {
    long[] lag = lagging.get(a.from());
    if (lag != null) {
      sendLagging(a.from(), lag, 1); // an acceptance from a member catching up releases the next write
    }
    PendingWrite w = pending.get(a.applyId());
    if (w == null) {
      return;
    }
    if (!a.accepted() || !a.epoch().equals(w.epoch)) {
      core.stats.appliesRefused++;
      return;
    }
    if (w.waiting.remove(a.from())) {
      if (w.counted) {
        caughtUp(a.from());
      }
      if (w.waiting.isEmpty()) {
        complete(w);
      } else {
        maybeAnswer(w);
      }
    }
  }

  private static long sizeOf(PendingWrite w) {
    long n = w.key.key().bytes().length + (w.entry.value() == null ? 0 : w.entry.value().length);
    for (Outcome o : w.outcomes) {
      n += o.result().value() == null ? 0 : o.result().value().length;
    }
    return n;
  }

  /**
   * Answers {@code w} if every member still missing it is one this owner does not count on, and a majority of the
   * view holds it (this owner included): so an owner cut off from most members, or one whose view the others have
   * left (they refuse its writes, which is an answer, not silence), answers nothing, and an answered write
   * survives the loss of any minority.
   */
  private void maybeAnswer(PendingWrite w) {
    if (!w.answered && lagging.keySet().containsAll(w.waiting)
        && core.members.size() - w.waiting.size() > core.members.size() / 2) {
      answer(w);
    }
  }

  private void answer(PendingWrite w) {
    if (w.answered) {
      return;
    }
    w.answered = true;
    unanswered.remove(w);
    if (!w.waiting.isEmpty()) {
      core.stats.answeredWithoutLagging++;
    }
    if (!w.counted) {
      w.counted = true;
      w.waiting.forEach(m -> behind.merge(m, 1, Integer::sum));
    }
    w.replies.forEach(r -> core.reply(r.to(), r.seq(), r.replyTo(), r.result()));
    w.replies.clear();
  }

  private void complete(PendingWrite w) {
    answer(w);
    remove(w);
    lastCommitAt = core.env.now();
    long below = committedBelow();
    core.uncommitted.committed(core.self, below);
    if (pending.isEmpty()) {
      announce(below);
    }
  }

  /** Takes {@code w} off the writes on their way. */
  private void remove(PendingWrite w) {
    pending.remove(w.applyId);
    unanswered.remove(w);
    pendingBytes -= w.bytes;
    if (w.counted) {
      w.waiting.forEach(this::caughtUp);
    }
    w.waiting = Set.of();
    if (lastByKey.get(w.key) == w) {
      lastByKey.remove(w.key);
    }
    for (Outcome o : w.outcomes) {
      byRequest.remove(RequestId.of(o), w);
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
    lagging.keySet().retainAll(core.memberSet);
    boolean quorum = core.hasQuorum();
    for (PendingWrite w : new ArrayList<>(pending.values())) {
      if (!quorum) {
        w.epoch = core.epoch;
        Set<NodeId> never = new HashSet<>(core.members);
        never.add(core.self); // can never complete in this epoch
        setWaiting(w, never);
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
    remove(w);
    core.stats.writesAbandoned++;
    for (Reply r : w.replies) {
      core.reply(r.to(), r.seq(), r.replyTo(), StoreResult.failed(StoreResult.Status.NOT_OWNER, null));
    }
    w.replies.clear();
  }

  void abandonAll() {
    new ArrayList<>(pending.values()).forEach(this::abandon);
    lagging.clear();
    behind.clear();
  }

  /** The membership learned a member's address: the writes it has not been sent go to it now. */
  void addressKnown(NodeId member) {
    NodeAddress a = core.env.addressOf(member);
    long[] lag = lagging.get(member);
    if (a == null) {
      return;
    }
    if (lag != null) {
      lag[0] = 0;
      sendLagging(member, lag, LAGGING_WINDOW);
      return;
    }
    for (PendingWrite w : pending.values()) {
      if (w.waiting.contains(member)) {
        core.env.send(a, encode(w));
      }
    }
  }

  void tick(long now) {
    boolean quorum = core.hasQuorum();
    if (quorum) {
      countOn(now);
    }
    for (PendingWrite w : quorum ? pending.values() : List.<PendingWrite>of()) {
      if (now < w.resendAt) {
        continue;
      }
      w.resendAt = now + RESEND_MS;
      byte[] frame = null;
      for (NodeId m : w.waiting) {
        NodeAddress a = lagging.containsKey(m) ? null : core.env.addressOf(m);
        if (a != null) {
          frame = frame == null ? encode(w) : frame;
          core.env.send(a, frame);
          core.stats.appliesResent++;
        }
      }
    }
    for (Map.Entry<NodeId, long[]> e : quorum ? lagging.entrySet() : Set.<Map.Entry<NodeId, long[]>>of()) {
      long[] lag = e.getValue();
      NodeAddress a = core.env.addressOf(e.getKey());
      // Again from the oldest only once what was sent has drained: frames still queued need no copies behind them.
      if (now >= lag[1] && a != null && core.env.queuedBytes(a) == 0) {
        lag[0] = 0; // from the oldest again: frames to a member that was stopped may have been dropped
        lag[1] = now + RESEND_MS;
        sendLagging(e.getKey(), lag, LAGGING_WINDOW);
      }
    }
    announce(committedBelow());
  }

  /**
   * Which members this owner counts on: one that has left a write unaccepted for {@code silentMs} once every lease
   * it was granted ran out is no longer waited for, whatever else it answers (a member slow to drain, or behind a
   * stuck connection, answers old writes and holds new ones up); one whose oldest unaccepted write is younger than
   * that is again. A member that refuses writes (another epoch) is no longer waited for either; the majority rule
   * is what keeps an owner the others have left from answering.
   */
  private void countOn(long now) {
    long silent = core.config.silentMs();
    for (Iterator<Map.Entry<NodeId, long[]>> it = lagging.entrySet().iterator(); it.hasNext(); ) {
      NodeId m = it.next().getKey();
      PendingWrite oldest = null;
      for (PendingWrite w : pending.values()) {
        if (w.waiting.contains(m)) {
          oldest = w;
          break;
        }
      }
      if (oldest == null || now - oldest.sentAt < silent) {
        it.remove();
        core.stats.membersCaughtUp++;
      }
    }
    boolean more = false;
    for (PendingWrite w : unanswered) {
      if (now - w.sentAt < silent) {
        continue;
      }
      for (NodeId m : w.waiting) {
        if (!lagging.containsKey(m) && core.leases.expiredFor(m, now)) {
          lagging.put(m, new long[] {0, now + RESEND_MS});
          core.stats.membersLagging++;
          more = true;
        }
      }
    }
    if (more) {
      new ArrayList<>(unanswered).forEach(this::maybeAnswer);
    }
  }

  /** Sends a member this owner does not count on up to {@code n} more of the writes it misses, oldest first. */
  private void sendLagging(NodeId member, long[] lag, int n) {
    NodeAddress a = core.env.addressOf(member);
    if (a == null) {
      return;
    }
    for (PendingWrite w : pending.tailMap(lag[0], false).values()) {
      if (n == 0) {
        break;
      }
      lag[0] = w.applyId;
      if (w.waiting.contains(member)) {
        core.env.send(a, encode(w));
        core.stats.appliesResent++;
        n--;
      }
    }
  }
}
