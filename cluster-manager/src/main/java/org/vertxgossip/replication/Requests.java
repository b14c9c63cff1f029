package org.vertxgossip.replication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.replication.StoreMessage.Op;

/**
 * The requester's side: each operation goes to its key's owner in this node's epoch, and is sent again, with the
 * same identity, whenever the owner says "not here, not now", the view moves the key, or no answer came for a while
 * (frames can be dropped): owners answer a repeated request once. An operation ends with its owner's answer or at
 * its deadline; a lock release has no deadline but the node's own departure, since a lost release would keep the
 * lock. At most {@link #MAX_IN_FLIGHT} operations wait at once.
 */
final class Requests {

  static final int MAX_IN_FLIGHT = 65_536;
  /** How soon an operation told "not here, not now" asks again. */
  static final long RETRY_MS = 10;

  private static final class Pending {
    final StoreRequest request;
    final Consumer<StoreResult> callback;
    final long deadline;
    final long lockDeadline;
    NodeId target;
    long retryAt;
    long resendAt;
    int sends;
    /** A lock acquisition that waited across a pause of this node's loop: its grant may have been freed since. */
    boolean acrossPause;
    StoreResult heldGrant;

    Pending(StoreRequest request, Consumer<StoreResult> callback, long deadline, long lockDeadline) {
      this.request = request;
      this.callback = callback;
      this.deadline = deadline;
      this.lockDeadline = lockDeadline;
    }
  }

  private final KeyedStores core;
  private final TreeMap<Long, Pending> pending = new TreeMap<>();
  private long nextSeq;

  /** Lock requests whose answers no one waits for any more, to release a late grant. */
  private final Map<Long, StoreRequest> abandonedLocks = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, StoreRequest> eldest) {
      return size() > 1024;
    }
  };

  Requests(KeyedStores core) {
    this.core = core;
  }

  int size() {
    return pending.size();
  }

  /** The lowest request still waiting: answers below it will never be asked for again. */
  long low() {
    return pending.isEmpty() ? nextSeq + 1 : pending.firstKey();
  }

  void submit(StoreRequest request, long timeoutMs, Consumer<StoreResult> callback) {
    if (pending.size() >= MAX_IN_FLIGHT) {
      core.stats.refusedInFlight++;
      callback.accept(StoreResult.failed(StoreResult.Status.FAILED, "vertx-gossip: " + MAX_IN_FLIGHT
          + " shared-data operations are already waiting on this node; this one is refused"));
      return;
    }
    long now = core.env.now();
    long lockDeadline = request.op() == StoreOp.LOCK_ACQUIRE ? now + request.ttl() : 0;
    long deadline = request.op() == StoreOp.LOCK_RELEASE ? Long.MAX_VALUE : now + timeoutMs;
    long seq = ++nextSeq;
    Pending p = new Pending(request, callback, deadline, lockDeadline);
    pending.put(seq, p);
    send(seq, p);
  }

  private void send(long seq, Pending p) {
    StoreRequest q = p.request;
    long now = core.env.now();
    if (now >= p.deadline) {
      expire(seq, p); // e.g. resent by a view change right after this node resumed from a pause
      return;
    }
    if (q.op() == StoreOp.LOCK_ACQUIRE) {
      long left = p.lockDeadline - now;
      q = new StoreRequest(q.store(), q.key(), q.op(), q.value(), q.other(), Math.max(0, left), q.a(), q.b());
    }
    p.retryAt = 0;
    p.resendAt = now + FanOut.RESEND_MS * 2;
    NodeId owner = core.ownerOf(new StoreKey(q.store(), new ByteKey(q.key())));
    p.target = owner;
    p.sends++;
    if (owner == null) {
      p.retryAt = now + RETRY_MS; // no view yet
      return;
    }
    if (owner.equals(core.self)) {
      core.handleOp(core.self, seq, low(), core.selfAddress, core.epoch, q);
      return;
    }
    NodeAddress to = core.env.addressOf(owner);
    if (to == null) {
      p.retryAt = now + RETRY_MS;
      return;
    }
    core.stats.requestsSent++;
    core.env.send(to, core.codec.encode(new Op(core.self, seq, low(), core.selfAddress, core.epoch, q)));
  }

  void onResult(long seq, StoreResult result) {
    Pending p = pending.get(seq);
    if (p == null) {
      if (result.isOk() && result.number() != 0) {
        releaseLateGrant(seq, result);
      }
      return;
    }
    boolean noQuorum = result.status() == StoreResult.Status.NO_QUORUM;
    if (result.status() == StoreResult.Status.NOT_OWNER) {
      core.stats.redirects++; // (a release is never refused for the quorum: it waits, told "not now", until it is back)
      if (p.retryAt == 0) {
        p.retryAt = core.env.now() + RETRY_MS;
      }
      return;
    }
    if (p.acrossPause && result.isOk()) {
      if (p.heldGrant == null) {
        core.stats.grantsHeld++;
      }
      p.heldGrant = result; // delivered once this node is confirmed in its view, voided if it was removed
      return;
    }
    pending.remove(seq);
    if (noQuorum && p.sends > 1) {
      // Sent before, perhaps applied by an owner that has since lost the quorum: not a definite refusal.
      result = StoreResult.failed(StoreResult.Status.FAILED, result.message() + " (this operation was sent "
          + "before the quorum was lost and may have taken effect)");
      if (p.request.op() == StoreOp.LOCK_ACQUIRE) {
        giveBack(seq, p.request);
      }
    }
    p.callback.accept(result);
  }

  /** A lock granted after this node gave up waiting: hand it back at once. */
  private void releaseLateGrant(long seq, StoreResult result) {
    StoreRequest q = abandonedLocks.remove(seq);
    if (q != null) {
      core.stats.lateGrantsReleased++;
      submit(new StoreRequest(q.store(), q.key(), StoreOp.LOCK_RELEASE, null, null, 0, result.number(), 0),
          Long.MAX_VALUE, r -> { });
    }
  }

  /**
   * This node's loop was paused (it may have been removed meanwhile), or a view removed it: the owners free the
   * locks granted to a departed member. A grant for an acquisition waiting now is held back until the node is
   * confirmed in its view ({@link #confirmed}); if it re-enters instead ({@link #reentered}), the acquisition fails,
   * queued or granted, and what it may have been granted goes back: a grant that arrives after the re-entry cannot
   * be told from the one freed. (A grant delivered before the pause is the caller's; its fencing token tells.)
   */
  void paused() {
    pending.values().forEach(p -> p.acrossPause |= p.request.op() == StoreOp.LOCK_ACQUIRE);
  }

  /** Every member of this node's view answered it again after a pause: grants held back stand. */
  void confirmed() {
    for (Map.Entry<Long, Pending> e : new ArrayList<>(pending.entrySet())) {
      Pending p = e.getValue();
      if (p.acrossPause && pending.containsKey(e.getKey())) {
        p.acrossPause = false;
        if (p.heldGrant != null) {
          onResult(e.getKey(), p.heldGrant);
        }
      }
    }
  }

  /** This node re-entered the cluster (removed while paused): acquisitions that waited across the pause fail. */
  void reentered() {
    for (Map.Entry<Long, Pending> e : new ArrayList<>(pending.entrySet())) {
      Pending p = e.getValue();
      if (p.acrossPause && pending.remove(e.getKey()) != null) {
        core.stats.grantsVoided++;
        giveBack(e.getKey(), p.request);
        p.callback.accept(StoreResult.failed(StoreResult.Status.FAILED, "vertx-gossip: this node was removed "
            + "from the view while it waited for the lock (its loop was paused); a grant, if any, was freed"));
      }
    }
  }

  /** A new epoch: every waiting operation goes to its key's owner in it. */
  void epochChanged() {
    for (Map.Entry<Long, Pending> e : new ArrayList<>(pending.entrySet())) {
      if (pending.containsKey(e.getKey())) {
        send(e.getKey(), e.getValue());
      }
    }
  }

  void tick(long now) {
    // Only what is due is copied (expiring or sending may change the map); most ticks find nothing to do.
    List<Long> due = new ArrayList<>();
    pending.forEach((seq, p) -> {
      if (now >= p.deadline || (p.retryAt != 0 && now >= p.retryAt) || now >= p.resendAt) {
        due.add(seq);
      }
    });
    for (long seq : due) {
      Pending p = pending.get(seq);
      if (p == null) {
        continue;
      }
      if (now >= p.deadline) {
        expire(seq, p);
      } else {
        send(seq, p);
      }
    }
  }

  /**
   * A lock request whose answer no one waits for any more: if it was granted (its answer lost, or still to come),
   * the grant goes back. A release by request identity is sent until answered, and a late answer is released too.
   */
  private void giveBack(long seq, StoreRequest q) {
    abandonedLocks.put(seq, q);
    submit(new StoreRequest(q.store(), q.key(), StoreOp.LOCK_RELEASE, null, null, 0, 0, seq), Long.MAX_VALUE,
        r -> { });
  }

  private void expire(long seq, Pending p) {
    pending.remove(seq);
    if (p.request.op() == StoreOp.LOCK_ACQUIRE) {
      giveBack(seq, p.request);
    }
    core.stats.requestTimeouts++;
    p.callback.accept(StoreResult.failed(StoreResult.Status.TIMEOUT, "no answer from the owner of the key"));
  }

  /** This node stopped: every waiting operation fails, so that no caller waits for ever. */
  void release() {
    var waiting = new ArrayList<>(pending.values());
    pending.clear();
    for (Pending p : waiting) {
      p.callback.accept(StoreResult.failed(StoreResult.Status.FAILED, "vertx-gossip: this node left the cluster"));
    }
  }
}
