package org.vertxgossip.replication;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.membership.wire.MalformedMessageException;
import org.vertxgossip.replication.ReplicationMessage.Ack;
import org.vertxgossip.replication.ReplicationMessage.Delta;
import org.vertxgossip.replication.ReplicationMessage.Digest;
import org.vertxgossip.replication.ReplicationMessage.FullState;
import org.vertxgossip.replication.ReplicationMessage.Pull;
import org.vertxgossip.replication.ReplicationMessage.Sync;
import org.vertxgossip.replication.ReplicationMessage.SyncAck;
import org.vertxgossip.replication.ReplicationMessage.Version;

/**
 * State owned by one node each (event-bus registrations, NodeInfo), replicated to every member; sans-IO and
 * single-threaded like the membership core.
 *
 * <ul>
 *   <li>Only the owner writes its state. Each change is a versioned delta sent to every member of the view; the
 *   change completes once every member acknowledged it, left the view, was found dead or unreachable, or the
 *   acknowledgement timed out. Receivers apply deltas strictly in version order and pull the full state on a gap.
 *   <li>When a view adds a member, each side sends the other its own full state and asks for the other's (as soon
 *   as it knows the other's address: a view can name a member before its record arrives), so a joiner holds
 *   everyone's state (and everyone the joiner's) without a coordinator in between. A joiner's
 *   {@linkplain #whenJoined join} completes once it holds the state of every member of its first view.
 *   <li>When a view removes a member, its state is purged everywhere and a tombstone keeps late messages of it
 *   out until a later view re-admits it.
 *   <li>A {@linkplain #barrier barrier} asks every member to answer on the same ordered stream that carries its
 *   deltas, so that once all answered, every change they had started before is applied here.
 *   <li>Anti-entropy: each node periodically swaps version digests with one random member; whoever is newer sends
 *   the full state. That repairs anything a lost frame or a timed-out acknowledgement left behind.
 * </ul>
 */
public final class OwnedStates {

  private final NodeId self;
  private NodeAddress selfAddress;
  private final ReplicationConfig config;
  private final ReplicationEnvironment env;
  private final OwnedStateListener listener;
  private final ReplicationCodec codec;
  private final ReplicationStats stats = new ReplicationStats();

  /** Every owner's entries (this node's own included) and the version they are at. */
  private final Map<NodeId, Held> held = new HashMap<>();
  /** Version at which a removed owner was purged: older messages about it are stale. */
  private final Map<NodeId, Long> purged = new LinkedHashMap<>();
  private final ArrayDeque<PendingChange> pending = new ArrayDeque<>();
  private final Map<NodeId, Long> ackedByPeer = new HashMap<>();
  /**
   * Members behind this node's latest version: the version they must acknowledge, when the whole state goes to
   * each again, and the back-off after that. A change completes without a silent member, and a frame can be lost
   * with a connection; without this, only anti-entropy (up to a push-pull interval, from a random peer) would repair
   * that member. A member that acknowledges the version it was behind on in time is sent nothing more, however
   * fast the state changes meanwhile.
   */
  private final Map<NodeId, long[]> resend = new HashMap<>();
  /** How soon an unacknowledged member gets this node's whole state again; doubles up to the push-pull interval. */
  static final long RESEND_MS = 500;
  /** When each member last answered a change or a barrier: one silent for {@code silentMs} is not waited for. */
  private final Map<NodeId, Long> lastAnswer = new HashMap<>();
  private List<NodeId> view = List.of();
  private Set<NodeId> viewSet = Set.of();
  private boolean joined;
  private final Set<NodeId> awaitingStateOf = new HashSet<>();
  /** Members of the view this node could not send to yet: the membership had no address for them. */
  private final Set<NodeId> unaddressed = new HashSet<>();
  private final List<Runnable> joinWaiters = new ArrayList<>();
  private long nextAntiEntropy;
  /** Barrier waiters: those of the barrier in flight, and those that arrived after it started (the next one). */
  private final List<Runnable> barrierWaiters = new ArrayList<>();
  private final List<Runnable> nextBarrierWaiters = new ArrayList<>();
  private final Set<NodeId> barrierPending = new HashSet<>();
  private long barrierId;
  private long barrierDeadline;
  private boolean barrierInFlight;
  private static final int MAX_BARRIER_WAITERS = 100_000;
  private static final int MAX_TOMBSTONES = 10_000;

  private static final class Held {
    long version;
    final TreeMap<String, byte[]> entries = new TreeMap<>();
  }

  private static final class PendingChange {
    final long version;
    final long startedAt;
    final long deadline;
    final Set<NodeId> waiting;
    final Runnable done;

    PendingChange(long version, long startedAt, long deadline, Set<NodeId> waiting, Runnable done) {
      this.version = version;
      this.startedAt = startedAt;
      this.deadline = deadline;
      this.waiting = waiting;
      this.done = done;
    }
  }

  public OwnedStates(NodeId self, NodeAddress selfAddress, ReplicationConfig config, ReplicationEnvironment env,
                     OwnedStateListener listener) {
    this.self = self;
    this.selfAddress = selfAddress;
    this.config = config;
    this.env = env;
    this.listener = listener;
    this.codec = new ReplicationCodec(config.maxFrame());
    held.put(self, new Held());
    nextAntiEntropy = env.now() + (long) (env.random().nextDouble() * config.antiEntropyMs());
  }

  // ---- this node's own state -------------------------------------------------------------------------------------

  /**
   * Applies a change to this node's own state (null values remove) and sends it to every member of the view;
   * {@code done} runs once all of them hold it (see the class comment for what else ends the wait).
   */
  public void update(Map<String, byte[]> changes, Runnable done) {
    Held own = held.get(self);
    List<Change> applied = apply(own, changes);
    own.version++;
    listener.changed(self, applied);
    Set<NodeId> waiting = new HashSet<>();
    Delta delta = new Delta(self, selfAddress, own.version, changes);
    byte[] frame = codec.encode(delta);
    for (NodeId member : view) {
      if (member.equals(self)) {
        continue;
      }
      // A member without a known address gets the whole state once it has one, and acknowledges that.
      waiting.add(member);
      if (send(member, frame)) {
        stats.deltasSent++;
      } else {
        unaddressed.add(member);
      }
    }
    long now = env.now();
    pending.add(new PendingChange(own.version, now, now + config.ackTimeoutMs(), waiting, done));
    completeHeads();
  }

  /**
   * Runs {@code done} once every live member of the view has answered a sync sent after this call (or left, or
   * was unreachable, or the acknowledgement timeout passed). Members answer on the stream that carries their
   * deltas, so every change a member had started before it saw the sync is applied here by then. Callers that
   * arrive while a barrier is in flight share the next one.
   */
  public void barrier(Runnable done) {
    if (barrierWaiters.size() + nextBarrierWaiters.size() >= MAX_BARRIER_WAITERS) {
      done.run(); // overloaded: answer with what is known rather than queue without bound
      return;
    }
    nextBarrierWaiters.add(done);
    if (!barrierInFlight) {
      startBarrier();
    }
  }

  private void startBarrier() {
    barrierWaiters.addAll(nextBarrierWaiters);
    nextBarrierWaiters.clear();
    barrierInFlight = true;
    barrierId++;
    barrierDeadline = env.now() + config.ackTimeoutMs();
    byte[] frame = codec.encode(new Sync(self, selfAddress, barrierId));
    for (NodeId member : view) {
      if (member.equals(self)) {
        continue;
      }
      if (env.addressOf(member) == null) {
        // Admitted before its record reached this node: asked as soon as its address is known.
        unaddressed.add(member);
        barrierPending.add(member);
      } else if (env.isLive(member) && send(member, frame)) {
        barrierPending.add(member);
      }
    }
    completeBarrier();
  }

  private void completeBarrier() {
    if (!barrierInFlight || !barrierPending.isEmpty()) {
      return;
    }
    barrierInFlight = false;
    List<Runnable> ready = new ArrayList<>(barrierWaiters);
    barrierWaiters.clear();
    ready.forEach(Runnable::run);
    if (!nextBarrierWaiters.isEmpty()) {
      startBarrier();
    }
  }

  /** This node's own entries (a copy). */
  public Map<String, byte[]> ownEntries() {
    return new TreeMap<>(held.get(self).entries);
  }

  // ---- membership input --------------------------------------------------------------------------------------------

  /** A view was delivered: purge the removed, exchange states with the added. */
  public void viewChanged(List<NodeId> members) {
    Set<NodeId> next = new HashSet<>(members);
    boolean first = !joined && next.contains(self);
    for (NodeId gone : view) {
      if (!next.contains(gone) && !gone.equals(self)) {
        purge(gone);
      }
    }
    List<NodeId> added = new ArrayList<>();
    for (NodeId id : members) {
      if (!viewSet.contains(id) && !id.equals(self)) {
        added.add(id);
      }
    }
    view = List.copyOf(members);
    viewSet = next;
    resend.keySet().retainAll(next);
    for (NodeId a : added) {
      purged.remove(a);
      ackedByPeer.remove(a); // (back after a removal, it may have dropped what it held of this node)
      resend.remove(a);
      exchangeStates(a);
      for (PendingChange p : pending) {
        p.waiting.add(a);
      }
    }
    for (PendingChange p : pending) {
      p.waiting.retainAll(next);
    }
    unaddressed.retainAll(next);
    if (first) {
      for (NodeId id : members) {
        if (!id.equals(self) && !held.containsKey(id)) {
          awaitingStateOf.add(id);
        }
      }
      joined = next.contains(self);
    }
    awaitingStateOf.retainAll(next);
    barrierPending.retainAll(next);
    completeHeads();
    completeBarrier();
    completeJoin();
  }

  /**
   * The membership learned a live member's address. A view can admit a member before its record reaches this
   * node; whatever could not be sent to it then (the exchange of states, a barrier's sync) goes now.
   */
  public void addressKnown(NodeId id) {
    if (unaddressed.remove(id)) {
      // Its silence counts from now, when it is first sent anything; not from when the change began.
      lastAnswer.put(id, env.now());
      exchangeStates(id);
      if (barrierInFlight && barrierPending.contains(id)) {
        send(id, codec.encode(new Sync(self, selfAddress, barrierId)));
      }
    }
  }

  /** Sends {@code with} this node's whole state and asks for its own: what two members do on meeting in a view. */
  private void exchangeStates(NodeId with) {
    NodeAddress address = env.addressOf(with);
    if (address == null) {
      unaddressed.add(with);
      return;
    }
    sendFullStateTo(address, self);
    env.send(address, codec.encode(new Pull(self, selfAddress, with)));
    stats.pulls++;
  }

  /** The membership table marked a member dead or left: nothing waits for it any more. */
  public void memberGone(NodeId id) {
    unaddressed.remove(id);
    for (PendingChange p : pending) {
      p.waiting.remove(id);
    }
    barrierPending.remove(id);
    completeHeads();
    completeBarrier();
  }

  /** A frame to {@code to} could not be delivered: whoever lives there is not waited for. */
  public void unreachable(NodeAddress to) {
    for (NodeId id : view) {
      if (to.equals(env.addressOf(id))) {
        memberGone(id);
      }
    }
  }

  /** Runs {@code action} once this node holds the state of every member of its first view. */
  public void whenJoined(Runnable action) {
    joinWaiters.add(action);
    completeJoin();
  }

  public boolean hasJoined() {
    return joined && awaitingStateOf.isEmpty();
  }

  /** Drop the join wait for members that never answered (bounded by the caller's timer). */
  public void stopAwaitingStates() {
    awaitingStateOf.clear();
    completeJoin();
  }

  // ---- wire input ----------------------------------------------------------------------------------------------

  public void onFrame(byte[] frame) {
    ReplicationMessage m;
    try {
      m = codec.decode(frame);
    } catch (MalformedMessageException | IllegalArgumentException e) {
      stats.malformed++;
      return;
    }
    if (m instanceof Delta d) {
      onDelta(d);
    } else if (m instanceof FullState f) {
      onFullState(f);
    } else if (m instanceof Ack a) {
      onAck(a);
    } else if (m instanceof Pull p) {
      if (p.owner().equals(self)) {
        sendFullStateTo(p.replyTo(), self);
      }
    } else if (m instanceof Digest g) {
      onDigest(g);
    } else if (m instanceof Sync y) {
      env.send(y.replyTo(), codec.encode(new SyncAck(self, y.id())));
    } else if (m instanceof SyncAck y) {
      lastAnswer.put(y.from(), env.now());
      if (y.id() == barrierId && barrierPending.remove(y.from())) {
        completeBarrier();
      }
    }
  }

  private void onDelta(Delta d) {
    if (d.owner().equals(self) || isStale(d.owner())) {
      stats.ignoredStale++;
      return;
    }
    Held h = held.get(d.owner());
    if (h != null && d.version() <= h.version) {
      ack(d.ownerAddress(), d.owner(), h.version);
      return;
    }
    if (h == null || d.version() != h.version + 1) {
      // A gap: the whole state is the only safe base.
      stats.pulls++;
      env.send(d.ownerAddress(), codec.encode(new Pull(self, selfAddress, d.owner())));
      return;
    }
    List<Change> applied = apply(h, d.changes());
    h.version = d.version();
    stats.deltasApplied++;
    listener.changed(d.owner(), applied);
    ack(d.ownerAddress(), d.owner(), h.version);
  }

  private void onFullState(FullState f) {
    if (f.owner().equals(self) || isStale(f.owner())) {
      stats.ignoredStale++;
      return;
    }
    Held h = held.get(f.owner());
    if (h == null) {
      h = new Held();
      held.put(f.owner(), h);
    } else if (f.version() <= h.version) {
      ack(f.senderAddress(), f.owner(), h.version);
      noteState(f.owner());
      return;
    }
    Map<String, byte[]> changes = new HashMap<>(f.entries());
    for (String key : h.entries.keySet()) {
      changes.putIfAbsent(key, null);
    }
    List<Change> applied = apply(h, changes);
    h.version = f.version();
    stats.fullStatesApplied++;
    if (!applied.isEmpty() && !f.sender().equals(f.owner())) {
      stats.repairs++;
    }
    listener.changed(f.owner(), applied);
    if (f.sender().equals(f.owner())) {
      ack(f.senderAddress(), f.owner(), h.version);
    }
    noteState(f.owner());
  }

  private void noteState(NodeId owner) {
    if (awaitingStateOf.remove(owner)) {
      completeJoin();
    }
  }

  private void onAck(Ack a) {
    stats.acks++;
    lastAnswer.put(a.from(), env.now());
    if (!a.owner().equals(self)) {
      return;
    }
    long acked = ackedByPeer.merge(a.from(), a.version(), Math::max);
    long[] r = resend.get(a.from());
    if (r != null && acked >= r[2]) {
      resend.remove(a.from());
    }
    for (PendingChange p : pending) {
      if (p.version <= a.version()) {
        p.waiting.remove(a.from());
      }
    }
    completeHeads();
  }

  private void onDigest(Digest g) {
    stats.digests++;
    Map<NodeId, Long> theirs = new HashMap<>();
    for (Version v : g.versions()) {
      theirs.put(v.owner(), v.version());
    }
    // Send what we hold newer (only of members of our view: purged owners must not come back).
    for (Map.Entry<NodeId, Held> e : held.entrySet()) {
      NodeId owner = e.getKey();
      Long their = theirs.get(owner);
      if ((e.getKey().equals(self) || viewSet.contains(owner)) && !owner.equals(g.from())
          && (their == null || their < e.getValue().version)) {
        sendFullStateTo(g.replyTo(), owner);
      }
    }
    if (!g.reply()) {
      env.send(g.replyTo(), codec.encode(new Digest(self, selfAddress, true, digest())));
    }
  }

  // ---- time --------------------------------------------------------------------------------------------------------

  /**
   * Ends overdue waits and runs the periodic digest exchange; call often (every ~100 ms). A member that has
   * answered nothing for {@code silentMs} while a change waited for it (stopped, cut off, in a long pause) is not
   * waited for any longer, so one slow member holds up no registration; it applies the change in order once it
   * runs again, and anti-entropy repairs what a dropped frame lost. A barrier still waits for every live member
   * (up to the acknowledgement timeout): it is what lets a lookup see a registration whose owner was slow to
   * answer, so skipping a member that is merely in a GC pause would make a send right after it fail.
   */
  public void tick() {
    long now = env.now();
    boolean expired = false;
    for (PendingChange p : pending) {
      if (now >= p.deadline && !p.waiting.isEmpty()) {
        stats.ackTimeouts++;
        p.waiting.clear();
        expired = true;
      } else if (p.waiting.removeIf(m -> silent(m, p.startedAt, now))) {
        stats.silentSkipped++;
        expired = true;
      }
    }
    if (expired) {
      completeHeads();
    }
    if (barrierInFlight && now >= barrierDeadline && !barrierPending.isEmpty()) {
      stats.ackTimeouts++;
      barrierPending.clear();
      completeBarrier();
    }
    resendUnacknowledged(now);
    if (now >= nextAntiEntropy) {
      nextAntiEntropy = now + config.antiEntropyMs();
      antiEntropy();
    }
  }

  /**
   * Sends this node's whole state again to each live member of the view that has not acknowledged its latest
   * version for {@link #RESEND_MS} (then twice as long, up to the push-pull interval), once what was sent to it has
   * drained: a member that lost a delta or a pull's answer holds it again within a second, not at the next
   * anti-entropy round that happens to pick it.
   */
  private void resendUnacknowledged(long now) {
    long version = held.get(self).version;
    for (NodeId m : view) {
      if (m.equals(self) || ackedByPeer.getOrDefault(m, -1L) >= version || !env.isLive(m)) {
        continue;
      }
      NodeAddress a = env.addressOf(m);
      long[] r = resend.computeIfAbsent(m, k -> new long[] {now + RESEND_MS, RESEND_MS, version});
      if (a == null || now < r[0] || env.queuedBytes(a) > 0) {
        continue;
      }
      stats.stateResends++;
      sendFullStateTo(a, self);
      r[1] = Math.min(r[1] * 2, Math.max(RESEND_MS, config.antiEntropyMs()));
      r[0] = now + r[1];
      r[2] = version;
    }
  }

  /**
   * A member this node has no address for is not silent: it was never sent the change, and is waited for (up to the
   * acknowledgement timeout) until its address arrives and it acknowledges the whole state sent then. Skipping it
   * would complete a registration that a live member lacks.
   */
  private boolean silent(NodeId member, long waitingSince, long now) {
    if (unaddressed.contains(member)) {
      return false;
    }
    return now - Math.max(waitingSince, lastAnswer.getOrDefault(member, Long.MIN_VALUE)) >= config.silentMs();
  }

  private void antiEntropy() {
    dropStrangers();
    List<NodeId> others = new ArrayList<>(view.size());
    for (NodeId id : view) {
      if (!id.equals(self) && env.isLive(id)) {
        others.add(id);
      }
    }
    if (others.isEmpty()) {
      return;
    }
    NodeId peer = others.get(env.random().nextInt(others.size()));
    send(peer, codec.encode(new Digest(self, selfAddress, false, digest())));
  }

  /** States of owners that are in no view of ours and dead by the membership table (they arrived early). */
  private void dropStrangers() {
    if (!joined) {
      return;
    }
    for (NodeId owner : new ArrayList<>(held.keySet())) {
      if (!owner.equals(self) && !viewSet.contains(owner) && !env.isLive(owner)) {
        purge(owner);
      }
    }
  }

  private List<Version> digest() {
    List<Version> versions = new ArrayList<>(held.size());
    for (Map.Entry<NodeId, Held> e : held.entrySet()) {
      versions.add(new Version(e.getKey(), e.getValue().version));
    }
    return versions;
  }

  /** This node stopped: whatever still waits (changes, barriers) completes now, with what it has. */
  public void release() {
    while (!pending.isEmpty()) {
      pending.poll().done.run();
    }
    List<Runnable> waiting = new ArrayList<>(barrierWaiters);
    waiting.addAll(nextBarrierWaiters);
    barrierWaiters.clear();
    nextBarrierWaiters.clear();
    barrierPending.clear();
    barrierInFlight = false;
    waiting.forEach(Runnable::run);
  }

  // ---- reading -------------------------------------------------------------------------------------------------------

  public ReplicationStats stats() {
    return stats;
  }

  public int pendingChanges() {
    return pending.size();
  }

  public int ownersHeld() {
    return held.size();
  }

  /** Version of each owner's state held here (for snapshots). */
  public Map<NodeId, Long> versions() {
    Map<NodeId, Long> m = new HashMap<>();
    held.forEach((k, v) -> m.put(k, v.version));
    return Collections.unmodifiableMap(m);
  }

  // ---- internals -----------------------------------------------------------------------------------------------------

  private boolean isStale(NodeId owner) {
    // Until a later view re-admits it (which clears the tombstone and pulls afresh), all of it is stale.
    return purged.containsKey(owner);
  }

  private void purge(NodeId owner) {
    Held h = held.remove(owner);
    ackedByPeer.remove(owner);
    resend.remove(owner);
    lastAnswer.remove(owner);
    purged.put(owner, h == null ? 0 : h.version);
    if (purged.size() > MAX_TOMBSTONES) {
      purged.remove(purged.keySet().iterator().next());
    }
    if (h != null && !h.entries.isEmpty()) {
      List<Change> gone = new ArrayList<>(h.entries.size());
      h.entries.forEach((k, v) -> gone.add(new Change(k, v, null)));
      listener.changed(owner, gone);
    }
  }

  private List<Change> apply(Held h, Map<String, byte[]> changes) {
    List<Change> applied = new ArrayList<>(changes.size());
    for (Map.Entry<String, byte[]> e : changes.entrySet()) {
      byte[] after = e.getValue();
      byte[] before = after == null ? h.entries.remove(e.getKey()) : h.entries.put(e.getKey(), after);
      if (!Arrays.equals(before, after)) {
        applied.add(new Change(e.getKey(), before, after));
      }
    }
    return applied;
  }

  private void sendFullStateTo(NodeAddress to, NodeId owner) {
    Held h = held.get(owner);
    if (h == null) {
      return;
    }
    stats.fullStatesSent++;
    env.send(to, codec.encode(new FullState(self, selfAddress, owner, h.version, h.entries)));
  }

  private boolean send(NodeId to, byte[] frame) {
    NodeAddress address = env.addressOf(to);
    if (address == null) {
      return false;
    }
    env.send(address, frame);
    return true;
  }

  private void ack(NodeAddress to, NodeId owner, long version) {
    env.send(to, codec.encode(new Ack(self, owner, version)));
  }

  private void completeHeads() {
    while (!pending.isEmpty() && pending.peek().waiting.isEmpty()) {
      pending.poll().done.run();
    }
  }

  private void completeJoin() {
    if (!hasJoined() || joinWaiters.isEmpty()) {
      return;
    }
    List<Runnable> ready = new ArrayList<>(joinWaiters);
    joinWaiters.clear();
    ready.forEach(Runnable::run);
  }
}
