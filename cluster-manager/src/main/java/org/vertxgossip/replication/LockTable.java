package org.vertxgossip.replication;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;

/**
 * Locks at their owner. The holder is a replicated entry naming the request that was granted, its version the
 * fencing token; a grant is a write, answered once every member holds it, so two grants of one lock never both
 * stand. Waiters queue here in arrival order with deadlines measured here; a waiter whose key moves is sent to the
 * new owner with the time it has left. A holder that leaves the view loses the lock to the next waiter.
 */
final class LockTable {

  record Waiter(NodeId from, long seq, long low, NodeAddress replyTo, long deadline) {
  }

  private final KeyedStores core;
  private final Map<ByteKey, ArrayDeque<Waiter>> waiters = new HashMap<>();

  LockTable(KeyedStores core) {
    this.core = core;
  }

  int waiting() {
    int n = 0;
    for (ArrayDeque<Waiter> q : waiters.values()) {
      n += q.size();
    }
    return n;
  }

  void acquire(ByteKey key, StoredEntry current, Waiter w) {
    if (!core.memberSet.contains(w.from())) {
      // A requester outside the view (just resumed after its removal, not re-admitted yet) would hold a lock that
      // the next sweep frees as a departed holder's: it asks again once it is back in the view.
      core.stats.locksRefusedToNonMembers++;
      core.reply(w.from(), w.seq(), w.replyTo(), StoreResult.failed(StoreResult.Status.NOT_OWNER, null));
      return;
    }
    if (!held(current)) {
      grant(key, w, null);
      return;
    }
    if (w.deadline() <= core.env.now()) {
      core.reply(w.from(), w.seq(), w.replyTo(), StoreResult.failed(StoreResult.Status.TIMEOUT, null));
      return;
    }
    ArrayDeque<Waiter> queue = waiters.computeIfAbsent(key, k -> new ArrayDeque<>());
    for (Waiter queued : queue) {
      if (queued.from().equals(w.from()) && queued.seq() == w.seq()) {
        return; // the same request again (a retry): one place in line, one grant
      }
    }
    queue.add(w);
  }

  /**
   * Releases the grant with {@code token}, or, with token 0, the grant of request {@code (requester, seq)} (a
   * requester that gave up on an acquisition hands back a grant it may never have seen). A grant that no longer
   * holds the lock is a no-op (released already).
   */
  void release(ByteKey key, StoredEntry current, long token, NodeId requester, long seq, FanOut.Reply releaser,
               Outcome outcome) {
    boolean visible = current != null && current.visibleAt(core.env.wallTime());
    boolean byToken = token != 0 && visible && current.version() == token;
    boolean byRequest = token == 0 && visible && holderOf(current).equals(requester) && holderSeq(current) == seq;
    if (byToken || byRequest) {
      handOver(key, releaser, outcome);
    } else {
      core.answer(new StoreKey(KeyedStores.LOCKS, key), releaser.withResult(StoreResult.ok(null, 0)));
    }
  }

  private boolean held(StoredEntry current) {
    return current != null && current.visibleAt(core.env.wallTime()) && core.memberSet.contains(holderOf(current));
  }

  /** The lock goes to the next waiter still in the view, or is deleted; the releaser is answered with that write. */
  private void handOver(ByteKey key, FanOut.Reply releaser, Outcome releaserOutcome) {
    ArrayDeque<Waiter> queue = waiters.get(key);
    Waiter next = null;
    while (queue != null && !queue.isEmpty()) {
      Waiter w = queue.poll();
      if (core.memberSet.contains(w.from())) {
        next = w;
        break;
      }
    }
    if (queue != null && queue.isEmpty()) {
      waiters.remove(key);
    }
    if (next != null) {
      grant(key, next, releaser == null ? null : new Released(releaser, releaserOutcome));
    } else {
      List<Outcome> outcomes = releaserOutcome == null ? List.of() : List.of(releaserOutcome);
      core.write(new StoreKey(KeyedStores.LOCKS, key), null, 0, outcomes,
          releaser == null ? List.of() : List.of(releaser.withResult(StoreResult.ok(null, 1))));
    }
  }

  private record Released(FanOut.Reply reply, Outcome outcome) {
  }

  /** Grants the lock to {@code w}: the token is the version of the entry that names it holder. */
  private void grant(ByteKey key, Waiter w, Released released) {
    byte[] holder = ByteBuffer.allocate(24).putLong(w.from().msb()).putLong(w.from().lsb()).putLong(w.seq())
        .array();
    StoreKey sk = new StoreKey(KeyedStores.LOCKS, key);
    long version = core.nextVersion(sk);
    StoreResult granted = StoreResult.ok(null, version);
    List<Outcome> outcomes = new ArrayList<>(2);
    outcomes.add(new Outcome(w.from(), w.seq(), w.low(), granted));
    if (released != null) {
      outcomes.add(released.outcome());
    }
    List<FanOut.Reply> replies = new ArrayList<>(2);
    replies.add(new FanOut.Reply(w.from(), w.seq(), w.replyTo(), granted));
    if (released != null) {
      replies.add(released.reply().withResult(StoreResult.ok(null, 1)));
    }
    core.write(sk, holder, version, outcomes, replies);
    core.stats.lockGrants++;
  }

  /** For the locks this node owns: holders gone from the view lose them (called once this node serves). */
  void freeDeparted() {
    long wall = core.env.wallTime();
    List<ByteKey> freed = new ArrayList<>();
    core.table.forEach(KeyedStores.LOCKS, (k, e) -> {
      if (e.visibleAt(wall) && !core.memberSet.contains(holderOf(e)) && core.ownsHere(KeyedStores.LOCKS, k)
          && core.fanOut.lastOf(new StoreKey(KeyedStores.LOCKS, k)) == null) {
        freed.add(k);
      }
    });
    for (ByteKey k : freed) {
      core.stats.locksFreedByDeparture++;
      handOver(k, null, null);
    }
  }

  /** A new epoch: waiters of keys owned elsewhere now ask the new owner; waiters that left are forgotten. */
  void epochChanged() {
    for (Iterator<Map.Entry<ByteKey, ArrayDeque<Waiter>>> it = waiters.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<ByteKey, ArrayDeque<Waiter>> e = it.next();
      if (!core.ownsHere(KeyedStores.LOCKS, e.getKey()) || !core.hasQuorum()) {
        for (Waiter w : e.getValue()) {
          core.reply(w.from(), w.seq(), w.replyTo(), StoreResult.failed(StoreResult.Status.NOT_OWNER, null));
        }
        it.remove();
      } else {
        e.getValue().removeIf(w -> !core.memberSet.contains(w.from()));
        if (e.getValue().isEmpty()) {
          it.remove();
        }
      }
    }
  }

  /** Waiters whose deadline passed are answered with a timeout. */
  void expire(long now) {
    for (Iterator<ArrayDeque<Waiter>> it = waiters.values().iterator(); it.hasNext(); ) {
      ArrayDeque<Waiter> q = it.next();
      q.removeIf(w -> {
        if (now >= w.deadline()) {
          core.reply(w.from(), w.seq(), w.replyTo(), StoreResult.failed(StoreResult.Status.TIMEOUT, null));
          return true;
        }
        return false;
      });
      if (q.isEmpty()) {
        it.remove();
      }
    }
  }

  void clear() {
    for (ArrayDeque<Waiter> q : waiters.values()) {
      for (Waiter w : q) {
        core.reply(w.from(), w.seq(), w.replyTo(), StoreResult.failed(StoreResult.Status.NOT_OWNER, null));
      }
    }
    waiters.clear();
  }

  private static long holderSeq(StoredEntry e) {
    return ByteBuffer.wrap(e.value()).getLong(16);
  }

  static NodeId holderOf(StoredEntry e) {
    ByteBuffer b = ByteBuffer.wrap(e.value());
    return new NodeId(b.getLong(), b.getLong());
  }
}
