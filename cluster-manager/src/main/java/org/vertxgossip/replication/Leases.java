package org.vertxgossip.replication;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.replication.StoreMessage.LeaseGrant;
import org.vertxgossip.replication.StoreMessage.LeaseRequest;

/**
 * Read leases: what lets a member answer reads of another owner's keys locally, and lets an owner stop waiting
 * for a slow member without that member serving stale values.
 *
 * <p>A member reads a key owned by another member locally only while it holds a lease from that owner in its
 * current epoch. It asks for one when a read finds none (the read itself goes through the owner meanwhile), and
 * again when a lease it uses is half spent; an idle member asks nothing. The lease runs from the moment the
 * member <em>asked</em>, on its own clock, so it ends before the owner's record of it, which runs from the grant.
 *
 * <p>An owner grants a lease only to a member that holds every write the owner has answered ({@link FanOut}
 * tracks that), and answers a write without a member only once every lease it granted that member has run out.
 * So while a member's lease is valid, every answered write of the lease's owner is on it; once it is not, its
 * reads go through the owner. The owner's records outlive epochs: a lease granted in one epoch is waited for in
 * the next.
 */
final class Leases {

  /** Room for the two clocks to drift apart over one lease (monotonic clocks drift by parts per million). */
  private static final long MARGIN_MS = 20;

  private final KeyedStores core;
  /** Leases this member holds in its epoch: owner to the end (own clock). Read from any thread. */
  private final Map<NodeId, Long> held = new ConcurrentHashMap<>();
  /** Owners a reader wants a lease from (set from any thread, sent by the loop). */
  private final Set<NodeId> wanted = ConcurrentHashMap.newKeySet();
  private final Map<NodeId, Long> askedAt = new HashMap<>();
  /** The earliest end of the leases held, if one is held from every other member; else 0. Read from any thread. */
  private volatile long allUntil;
  /** The latest end of a lease this owner granted to each member (own clock), whatever the epoch. */
  private final Map<NodeId, Long> grantedUntil = new HashMap<>();

  Leases(KeyedStores core) {
    this.core = core;
  }

  // ---- the holder's side ------------------------------------------------------------------------------------------

  /**
   * Whether this member may answer a read of {@code owner}'s key locally at {@code now}; asks for a lease (or its
   * renewal) when it has none or it is half spent. Any thread.
   */
  boolean mayRead(NodeId owner, long now) {
    if (heldFromAll(now)) {
      return true;
    }
    Long until = held.get(owner);
    if (until == null || now >= until) {
      wanted.add(owner);
      return false;
    }
    if (until - now < core.config.leaseMs() / 2) {
      wanted.add(owner);
    }
    return true;
  }

  /**
   * Whether a lease from every other member is held and less than half spent: a read may then skip finding its
   * key's owner. Any thread.
   */
  boolean heldFromAll(long now) {
    long until = allUntil;
    return now < until && until - now >= core.config.leaseMs() / 2;
  }

  private void updateAll() {
    long min = Long.MAX_VALUE;
    for (NodeId m : core.members) {
      if (!m.equals(core.self)) {
        Long until = held.get(m);
        if (until == null) {
          allUntil = 0;
          return;
        }
        min = Math.min(min, until);
      }
    }
    allUntil = min == Long.MAX_VALUE ? 0 : min;
  }

  /** Sends the lease requests readers asked for; at most one per owner in a quarter lease. */
  void tick(long now) {
    if (wanted.isEmpty()) {
      return;
    }
    for (Iterator<NodeId> it = wanted.iterator(); it.hasNext(); ) {
      NodeId owner = it.next();
      it.remove();
      Long last = askedAt.get(owner);
      if (owner.equals(core.self) || !core.memberSet.contains(owner)
          || last != null && now - last < core.config.leaseMs() / 4) {
        continue;
      }
      NodeAddress a = core.env.addressOf(owner);
      if (a != null) {
        askedAt.put(owner, now);
        core.env.send(a, core.codec.encode(new LeaseRequest(core.self, core.selfAddress, core.epoch, now)));
        core.stats.leasesAsked++;
      }
    }
  }

  void onGrant(LeaseGrant g, long now) {
    // A grant of another epoch, or one that claims to start in this member's future, is not this member's lease.
    if (!g.epoch().equals(core.epoch) || g.sentAt() > now || !core.memberSet.contains(g.owner())) {
      return;
    }
    long until = g.sentAt() + Math.min(g.durationMs(), core.config.leaseMs());
    held.merge(g.owner(), until, Math::max);
    updateAll();
  }

  /** A new epoch or a pause: every lease held is void (new owners, or writes may have been answered without us). */
  void dropHeld() {
    allUntil = 0;
    held.clear();
    askedAt.clear();
  }

  // ---- the owner's side -------------------------------------------------------------------------------------------

  void onRequest(LeaseRequest r, long now) {
    if (!r.epoch().equals(core.epoch) || !core.inView() || !core.handOver.serving() || !core.hasQuorum()
        || !core.memberSet.contains(r.from()) || r.from().equals(core.self) || !core.fanOut.current(r.from())) {
      core.stats.leasesRefused++;
      return; // the asker reads through this owner meanwhile, and asks again at its next read
    }
    grantedUntil.merge(r.from(), now + core.config.leaseMs() + MARGIN_MS, Math::max);
    core.env.send(r.replyTo(), core.codec.encode(new LeaseGrant(core.self, core.epoch, r.sentAt(),
        core.config.leaseMs())));
    core.stats.leasesGranted++;
  }

  /** Whether every lease this owner granted {@code member} has run out. */
  boolean expiredFor(NodeId member, long now) {
    Long until = grantedUntil.get(member);
    return until == null || now >= until;
  }

  /** Forgets the records of leases that have run out. */
  void sweep(long now) {
    grantedUntil.values().removeIf(until -> now >= until);
  }

  /** A reset drops the leases held; the records of those granted stay until they run out (they may be in use). */
  void clear() {
    dropHeld();
    wanted.clear();
  }
}
