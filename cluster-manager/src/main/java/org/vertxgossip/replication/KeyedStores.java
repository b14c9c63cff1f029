package org.vertxgossip.replication;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.membership.wire.MalformedMessageException;
import org.vertxgossip.replication.StoreMessage.Applied;
import org.vertxgossip.replication.StoreMessage.Apply;
import org.vertxgossip.replication.StoreMessage.Commit;
import org.vertxgossip.replication.StoreMessage.Content;
import org.vertxgossip.replication.StoreMessage.Report;
import org.vertxgossip.replication.StoreMessage.HandOverDone;
import org.vertxgossip.replication.StoreMessage.HandOverQuery;
import org.vertxgossip.replication.StoreMessage.Digests;
import org.vertxgossip.replication.StoreMessage.KeyVersions;
import org.vertxgossip.replication.StoreMessage.LeaseGrant;
import org.vertxgossip.replication.StoreMessage.LeaseRequest;
import org.vertxgossip.replication.StoreMessage.Op;
import org.vertxgossip.replication.StoreMessage.OpResult;
import org.vertxgossip.replication.StoreMessage.Pull;
import org.vertxgossip.replication.StoreMessage.Repair;
import org.vertxgossip.replication.StoreMessage.PullDone;
import org.vertxgossip.replication.StoreMessage.Sessions;

/**
 * Replicated keyed stores (async maps, the HA map, counters, locks); sans-IO and single-threaded, like the other
 * cores. Every member holds every entry. This class routes inputs to one class per mechanism:
 *
 * <ul>
 *   <li>{@link Requests}: the requester's side, routing by epoch, retries, deadlines;
 *   <li>{@link Operations} and {@link LockTable}: what the owner does with an operation;
 *   <li>{@link FanOut}: a write is answered once every member the owner counts on accepted it in its epoch, and
 *   commits once every member did;
 *   <li>{@link Leases}: who may read another owner's keys locally, and when an owner may stop waiting for a member;
 *   <li>{@link Uncommitted}: the keys a member may not read locally;
 *   <li>{@link HandOver}: ownership moving from one epoch to the next, and re-validation after a pause;
 *   <li>{@link StateTransfer}: a joiner's copy of every store, sent paced by {@link TransferSender};
 *   <li>{@link ResultSessions}: answers kept so a retry is not applied twice;
 *   <li>{@link RangeRepair}: anti-entropy by range digests, the repair of last resort;
 *   <li>{@link Expiries}: TTL and tombstones; {@link HybridClock}: versions.
 * </ul>
 *
 * The epoch is the delivered view. A member serves a key only if it owns it in its epoch and has finished that
 * epoch's hand-over; it accepts a write only from the key's owner in its own epoch. So a write acknowledged in one
 * epoch is held by every member of it, and whoever owns the key next holds it.
 */
public final class KeyedStores {

  public static final String LOCKS = "__vertx.locks";
  public static final String COUNTERS = "__vertx.counters";
  /** What {@link #localRead} answers when the read must go through the key's owner. */
  public static final byte[] NOT_LOCAL = new byte[0];
  private static final int MAX_EARLY = 4_096;
  private static final long MAX_EARLY_BYTES = 64L << 20;

  final NodeId self;
  final NodeAddress selfAddress;
  final StoreConfig config;
  final ReplicationEnvironment env;
  final StoreCodec codec;
  final StoreStats stats = new StoreStats();
  final EntryTable table = new EntryTable();
  final HybridClock clock = new HybridClock();
  /** How far members' wall clocks may disagree: versions further ahead are refused ({@link #plausible}). */
  static final long MAX_CLOCK_SKEW_MS = 60_000;
  final Uncommitted uncommitted = new Uncommitted();
  final ResultSessions sessions = new ResultSessions(Requests.MAX_IN_FLIGHT * 2, 32L << 20);
  final Leases leases = new Leases(this);
  final FanOut fanOut = new FanOut(this);
  final LockTable locks = new LockTable(this);
  final HandOver handOver = new HandOver(this);
  final StateTransfer transfer = new StateTransfer(this);
  final TransferSender sender = new TransferSender(this);
  final RangeRepair repair = new RangeRepair(this);
  final Requests requests = new Requests(this);
  final Expiries expiries;
  Epoch epoch = Epoch.NONE;
  /** Read from other threads too ({@link #ownerOf(String, byte[])}). */
  volatile List<NodeId> members = List.of();
  Set<NodeId> memberSet = Set.of();
  private boolean inView;
  private final List<Apply> early = new ArrayList<>();
  private long earlyBytes;
  private long nextLockSweep;
  private final List<Runnable> snapshotWaiters = new ArrayList<>();
  private volatile long lastTick;
  private long nextSessionSweep;
  private boolean stopped;

  public KeyedStores(NodeId self, NodeAddress selfAddress, StoreConfig config, ReplicationEnvironment env) {
    this.self = self;
    this.selfAddress = selfAddress;
    this.config = config;
    this.env = env;
    this.codec = new StoreCodec(config.maxFrame());
    this.expiries = new Expiries(this);
    this.lastTick = env.now();
  }

  /** Whether a replication-lane frame belongs here (by its type byte). */
  public static boolean accepts(byte[] frame) {
    return frame.length > 0 && (frame[0] & 0xFF) >= StoreCodec.FIRST_TYPE;
  }

  // ---- reads (any thread) -------------------------------------------------------------------------------------------

  /** The visible value of {@code key} as held here, or null, whether or not it may be answered locally. */
  public byte[] get(String store, byte[] key) {
    StoredEntry e = table.get(store, new ByteKey(key));
    return e != null && e.visibleAt(env.wallTime()) ? e.value() : null;
  }

  /**
   * The visible value of {@code key} (or null), if this member may answer it locally: it serves reads in its epoch,
   * its loop is not paused, it holds a read lease from the key's owner (or owns it), and no write of the key is
   * uncommitted here. Otherwise {@link #NOT_LOCAL}: read through the owner ({@link StoreOp#GET}).
   */
  public byte[] localRead(String store, byte[] key) {
    // The pause gap first: the loop clears "reading" before it resets the tick time, so one of the two shows.
    long now = env.now();
    if (now - lastTick > config.pauseMs() || !handOver.reading() || !hasQuorum()) {
      return NOT_LOCAL; // (below the quorum the read goes to the owner, which refuses it)
    }
    ByteKey k = new ByteKey(key);
    if (!leases.heldFromAll(now)) {
      NodeId owner = ownerOf(new StoreKey(store, k));
      if (owner == null || !owner.equals(self) && !leases.mayRead(owner, now)) {
        return NOT_LOCAL; // no lease: the owner may have answered writes this member does not hold
      }
    }
    StoredEntry e = table.get(store, k);
    // The entry is read before its mark: a write sets the mark first, so a value not yet committed is never missed.
    if (uncommitted.isMarked(store, k)) {
      return NOT_LOCAL;
    }
    return e != null && e.visibleAt(env.wallTime()) ? e.value() : null;
  }

  /** Every visible entry of a store, as (key, value) pairs; a local snapshot, not linearizable. */
  public List<Map.Entry<byte[], byte[]>> entries(String store) {
    return table.visible(store, env.wallTime());
  }

  /** The member that owns {@code key} of {@code store} in this node's view, or null before any view. */
  public NodeId ownerOf(String store, byte[] key) {
    return ownerOf(new StoreKey(store, new ByteKey(key)));
  }

  NodeId ownerOf(StoreKey key) {
    List<NodeId> v = members;
    return v.isEmpty() ? null : Rendezvous.owner(v, Rendezvous.hash(key.store(), key.key().bytes()));
  }

  /**
   * Whether a version from another member can be true: not further ahead of this member's wall clock than
   * {@link #MAX_CLOCK_SKEW_MS}. A faulty or hostile member could otherwise push every clock towards overflow or
   * pin a key with a version no later write beats; such an entry is refused and counted.
   */
  boolean plausible(StoredEntry entry) {
    if (entry.version() > ((env.wallTime() + MAX_CLOCK_SKEW_MS) << 12 | 0xfff)) {
      stats.implausibleVersions++;
      return false;
    }
    return true;
  }

  /**
   * Takes an entry another member sent outside a write (a state transfer, a repair) if it is plausible and newer
   * than this member's: the clock and the expiries follow it. Whether it was taken.
   */
  boolean mergeFromPeer(String store, ByteKey key, StoredEntry entry) {
    if (!plausible(entry) || !table.merge(store, key, entry)) {
      return false;
    }
    clock.observe(entry.version());
    expiries.written(new StoreKey(store, key), entry);
    return true;
  }

  boolean ownsHere(String store, ByteKey key) {
    return inView && self.equals(ownerOf(new StoreKey(store, key)));
  }

  boolean inView() {
    return inView;
  }

  public StoreStats stats() {
    return stats;
  }

  public int viewSize() {
    return members.size();
  }

  /** Whether this member serves its keys in its current epoch (hand-over done). */
  public boolean serving() {
    return handOver.serving();
  }

  // ---- requests (loop) ----------------------------------------------------------------------------------------------

  /**
   * Sends {@code request} to its key's owner and calls {@code callback} with the owner's answer, or a failure
   * after {@code timeoutMs}. A lock request's own timeout is {@code request.ttl()}; the owner measures it.
   */
  public void submit(StoreRequest request, long timeoutMs, Consumer<StoreResult> callback) {
    checkPause(env.now()); // a submit queued during a pause may run before the first tick after it
    long size = sizeOf(request);
    if (size > config.maxEntryBytes()) {
      stats.refusedTooLarge++;
      callback.accept(StoreResult.failed(StoreResult.Status.FAILED, "vertx-gossip: the key and values of this "
          + request.op() + " on " + request.store() + " take " + size + " bytes, more than the limit of "
          + config.maxEntryBytes() + " (half the frame limit)"));
      return;
    }
    if (request.op().needsQuorum() && !hasQuorum()) {
      callback.accept(noQuorum());
      return;
    }
    requests.submit(request, timeoutMs, callback);
  }

  private static long sizeOf(StoreRequest q) {
    return 3L * q.store().length() + q.key().length + (q.value() == null ? 0 : q.value().length)
        + (q.other() == null ? 0 : q.other().length);
  }

  boolean hasQuorum() {
    return config.minimumMembers() <= 1 || members.size() >= config.minimumMembers();
  }

  private StoreResult noQuorum() {
    return StoreResult.failed(StoreResult.Status.NO_QUORUM, "vertx-gossip: the view has " + members.size()
        + " members, fewer than minimumMembers=" + config.minimumMembers() + "; shared-data reads and writes are "
        + "refused on this side of a partition");
  }

  // ---- owner side ----------------------------------------------------------------------------------------------

  /** An operation for this node as its key's owner; anything but "owner, serving, same epoch" is redirected. */
  void handleOp(NodeId from, long seq, long low, NodeAddress replyTo, Epoch opEpoch, StoreRequest q) {
    ByteKey key = new ByteKey(q.key());
    if (!opEpoch.equals(epoch)) {
      if (opEpoch.before(epoch)) {
        stats.staleEpochRefused++;
      }
      reply(from, seq, replyTo, StoreResult.failed(StoreResult.Status.NOT_OWNER, null));
      return;
    }
    if (q.op().needsQuorum() && !hasQuorum()) {
      reply(from, seq, replyTo, noQuorum()); // before anything else: a minority answers nothing, not even a retry
      return;
    }
    if (!handOver.serving() || !ownsHere(q.store(), key)) {
      reply(from, seq, replyTo, StoreResult.failed(StoreResult.Status.NOT_OWNER, null));
      return;
    }
    if (fanOut.full() && fanOut.of(from, seq) == null) {
      stats.writesDeferred++; // a member is slow to accept: the requester asks again shortly
      reply(from, seq, replyTo, StoreResult.failed(StoreResult.Status.NOT_OWNER, null));
      return;
    }
    FanOut.PendingWrite running = seq == 0 ? null : fanOut.of(from, seq);
    if (running != null) {
      for (Outcome o : running.outcomes) {
        if (o.requester().equals(from) && o.seq() == seq) {
          fanOut.addReply(running, new FanOut.Reply(from, seq, replyTo, o.result()));
        }
      }
      return;
    }
    StoreResult done = seq == 0 ? null : sessions.get(from, seq);
    if (done != null) {
      reply(from, seq, replyTo, done);
      return;
    }
    if (seq != 0) {
      sessions.raiseFloor(from, low);
      if (sessions.finished(from, seq)) {
        stats.finishedRefused++; // a late copy: its requester has its answer (or gave up) and is not waiting
        return;
      }
    }
    stats.operations++;
    StoreKey sk = new StoreKey(q.store(), key);
    StoredEntry current = table.get(q.store(), key);
    FanOut.Reply answer = new FanOut.Reply(from, seq, replyTo, null);
    switch (q.op()) {
      case LOCK_ACQUIRE -> locks.acquire(key, current, new LockTable.Waiter(from, seq, low, replyTo,
          env.now() + q.ttl()));
      case LOCK_RELEASE -> locks.release(key, current, q.a(), from, q.b(), answer,
          new Outcome(from, seq, low, StoreResult.ok(null, 1)));
      default -> {
        Operations.Decision d = Operations.decide(q, current, env.wallTime());
        if (d.write()) {
          List<Outcome> outcomes = seq == 0 ? List.of() : List.of(new Outcome(from, seq, low, d.result()));
          StoredEntry entry = new StoredEntry(d.value(), nextVersion(sk), d.expiresAt());
          fanOut.start(sk, entry, outcomes, List.of(answer.withResult(d.result())));
        } else {
          answer(sk, answer.withResult(d.result()));
        }
      }
    }
  }

  /** An answer computed from this owner's state: it waits for the key's unanswered write, if any. */
  void answer(StoreKey key, FanOut.Reply r) {
    FanOut.PendingWrite w = fanOut.lastUnanswered(key);
    if (w != null) {
      w.replies.add(r);
    } else {
      reply(r.to(), r.seq(), r.replyTo(), r.result());
    }
  }

  /**
   * The answers of uncommitted {@code entry} of {@code key} that fit one frame with it, newest first; those left
   * out are counted.
   */
  List<Outcome> answersWithin(byte[] key, StoredEntry entry, List<Outcome> answers) {
    List<Outcome> kept = Outcome.within(answers, config.maxEntryWithAnswers() - entry.bytesWith(key));
    stats.answersLeftOut += answers.size() - kept.size();
    return kept;
  }

  long nextVersion(StoreKey key) {
    StoredEntry previous = table.get(key.store(), key.key());
    return clock.next(env.wallTime(), previous == null ? 0 : previous.version());
  }

  /**
   * A new entry of a key this node owns, sent to every member, {@code replies} answered once it is on all of them;
   * {@code version} 0 takes the next one.
   */
  void write(StoreKey key, byte[] value, long version, List<Outcome> outcomes, List<FanOut.Reply> replies) {
    long v = version != 0 ? version : nextVersion(key);
    fanOut.start(key, new StoredEntry(value, v, 0), outcomes, replies);
  }

  /** Sends {@code frame} to each of {@code to} but this node whose address the membership knows. */
  void sendTo(Iterable<NodeId> to, byte[] frame) {
    for (NodeId m : to) {
      NodeAddress a = m.equals(self) ? null : env.addressOf(m);
      if (a != null) {
        env.send(a, frame);
      }
    }
  }

  void reply(NodeId to, long seq, NodeAddress replyTo, StoreResult result) {
    if (seq == 0 || result == null) {
      return;
    }
    if (to.equals(self)) {
      requests.onResult(seq, result);
      return;
    }
    env.send(replyTo, codec.encode(new OpResult(seq, result)));
  }

  // ---- wire input ----------------------------------------------------------------------------------------------

  public void onFrame(byte[] frame) {
    if (stopped) {
      return;
    }
    checkPause(env.now());
    StoreMessage m;
    try {
      m = codec.decode(frame);
    } catch (MalformedMessageException | IllegalArgumentException e) {
      stats.malformed++;
      return;
    }
    if (m instanceof Op o) {
      handleOp(o.from(), o.seq(), o.low(), o.replyTo(), o.epoch(), o.request());
    } else if (m instanceof OpResult r) {
      requests.onResult(r.seq(), r.result());
    } else if (m instanceof Apply a) {
      onApply(a);
    } else if (m instanceof Applied a) {
      fanOut.onApplied(a);
    } else if (m instanceof Commit c) {
      if (c.epoch().equals(epoch)) {
        uncommitted.committed(c.owner(), c.committedBelow());
      }
    } else if (m instanceof HandOverQuery q) {
      handOver.onQuery(q);
    } else if (m instanceof Report h) {
      handOver.onReport(h);
    } else if (m instanceof HandOverDone d) {
      handOver.onDone(d);
    } else if (m instanceof Content c) {
      transfer.onContent(c);
    } else if (m instanceof Sessions s) {
      transfer.onSessions(s);
    } else if (m instanceof Pull p) {
      transfer.onPull(p);
    } else if (m instanceof PullDone p) {
      transfer.onPullDone(p);
    } else if (m instanceof LeaseRequest q) {
      leases.onRequest(q, env.now());
    } else if (m instanceof LeaseGrant g) {
      leases.onGrant(g, env.now());
    } else if (m instanceof Digests d) {
      repair.onDigests(d);
    } else if (m instanceof KeyVersions k) {
      repair.onKeyVersions(k);
    } else if (m instanceof Repair r) {
      repair.onRepair(r);
    }
  }

  /**
   * A write: accepted only in this member's own epoch and from the key's owner in it; refused if it was decided in
   * an earlier epoch (its owner may not own the key any more, and this member may already have reported what it
   * holds to the new one); kept for later if this member has not reached its epoch yet.
   */
  private void onApply(Apply a) {
    if (epoch.before(a.epoch())) {
      long size = a.key().length + (a.entry().value() == null ? 0 : a.entry().value().length);
      if (early.size() < MAX_EARLY && earlyBytes + size <= MAX_EARLY_BYTES) {
        early.add(a);
        earlyBytes += size;
      } else {
        stats.earlyDropped++; // the owner sends it again
      }
      return;
    }
    StoreKey key = new StoreKey(a.store(), new ByteKey(a.key()));
    boolean accept = inView && a.epoch().equals(epoch) && a.owner().equals(ownerOf(key)) && plausible(a.entry());
    if (accept) {
      uncommitted.written(a.owner(), a.applyId(), key, a.outcomes(), false);
      if (table.merge(a.store(), key.key(), a.entry())) {
        expiries.written(key, a.entry());
      }
      clock.observe(a.entry().version());
      a.outcomes().forEach(sessions::put);
      uncommitted.committed(a.owner(), a.committedBelow());
      stats.appliesReceived++;
    } else {
      stats.appliesRefused++;
    }
    env.send(a.ownerAddress(), codec.encode(new Applied(self, a.applyId(), a.epoch(), accept)));
  }

  // ---- membership input ------------------------------------------------------------------------------------------

  /**
   * A view was delivered. {@code successor}: it follows this node's previous view in the same lineage (one delta,
   * no gap). A member entering a view any other way (first join, back after a removal, another lineage) drops its
   * stores and takes a state transfer: what it held may include writes that never committed.
   */
  public void viewChanged(long viewId, long viewHash, List<NodeId> viewMembers, boolean successor) {
    handOver.stopReading(); // first: readers on other threads must not read while the tables change
    leases.dropHeld(); // leases are per epoch: the owners change
    checkPause(env.now()); // a view can be the first input after a pause
    boolean wasIn = inView;
    Set<NodeId> previous = memberSet;
    epoch = new Epoch(viewId, viewHash);
    members = List.copyOf(viewMembers);
    memberSet = new HashSet<>(viewMembers);
    inView = memberSet.contains(self);
    if (wasIn && !inView) {
      requests.paused(); // removed: the owners free this node's locks, so a grant still on its way may be void
    }
    boolean rejoined = inView && (!wasIn || !successor);
    if (rejoined) {
      if (wasIn) {
        stats.reentered++;
      }
      reset();
      requests.reentered();
    }
    // Below the quorum nothing commits: a minority's writes would be discarded when it re-joins the majority.
    fanOut.epochChanged(k -> hasQuorum() && ownsHere(k.store(), k.key()));
    locks.epochChanged();
    Set<NodeId> joined = new HashSet<>();
    if (!rejoined) {
      for (NodeId m : viewMembers) {
        if (!previous.contains(m)) {
          joined.add(m); // entered with nothing: see HandOver.enter
        }
      }
    }
    handOver.enter(joined);
    uncommitted.retainOwners(memberSet);
    sessions.retainRequesters(memberSet, env.now());
    if (rejoined) {
      transfer.restart();
    } else {
      transfer.viewChanged();
    }
    requests.epochChanged();
    drainEarly();
  }

  private void reset() {
    fanOut.abandonAll();
    locks.clear();
    table.clear();
    uncommitted.clear();
    sessions.clear();
    expiries.clear();
    handOver.clear();
    leases.clear();
    sender.clear();
  }

  private void drainEarly() {
    List<Apply> now = new ArrayList<>();
    for (Iterator<Apply> it = early.iterator(); it.hasNext(); ) {
      Apply a = it.next();
      if (!epoch.before(a.epoch())) {
        now.add(a);
        it.remove();
        earlyBytes -= a.key().length + (a.entry().value() == null ? 0 : a.entry().value().length);
      }
    }
    now.forEach(this::onApply);
  }

  /** The membership learned a live member's address: what this node owes it goes out now. */
  public void addressKnown(NodeId id) {
    checkPause(env.now());
    if (memberSet.contains(id)) {
      fanOut.addressKnown(id);
      handOver.addressKnown(id);
    }
  }

  /** The replication connection to {@code to} drained what was queued: paced transfers to it go on. */
  public void writable(NodeAddress to) {
    if (!stopped) {
      checkPause(env.now());
      sender.writable(to);
    }
  }

  /** Called by the hand-over once this node serves its keys in the epoch. */
  void servingStarted() {
    requests.confirmed();
    locks.freeDeparted();
  }

  /** Called by the state transfer once this node holds every store. */
  void transferDone() {
    List<Runnable> ready = new ArrayList<>(snapshotWaiters);
    snapshotWaiters.clear();
    ready.forEach(Runnable::run);
    handOver.maybeServe();
  }

  // ---- joining -----------------------------------------------------------------------------------------------------

  /**
   * Whether this node holds every store; false while a member that joined or re-entered the view (removed while
   * paused, say) pulls them, when a snapshot of a store would miss part of it. Read from any thread.
   */
  public boolean holdsEveryStore() {
    return transfer.done();
  }

  /** Runs {@code action} once this node holds every store (pulled from a member when it joined). */
  public void whenSnapshotDone(Runnable action) {
    if (transfer.done()) {
      action.run();
    } else {
      snapshotWaiters.add(action);
    }
  }

  /** This node stopped: requests still waiting fail, so that no caller waits for ever. */
  public void release() {
    stopped = true;
    requests.release();
    transfer.release();
  }

  // ---- time ------------------------------------------------------------------------------------------------------------

  /** Retries, resends, the hand-over, expiries; call often (every ~50 ms). A long gap means the loop was paused. */
  public void tick() {
    if (stopped) {
      return;
    }
    long now = env.now();
    checkPause(now);
    lastTick = now;
    requests.tick(now);
    if (now >= nextSessionSweep) {
      nextSessionSweep = now + 10_000;
      sessions.retainRequesters(memberSet, now);
      leases.sweep(now);
    }
    fanOut.tick(now);
    leases.tick(now);
    handOver.tick(now);
    transfer.tick(now);
    sender.tick();
    repair.tick(now);
    locks.expire(now);
    expiries.tick(now);
    if (handOver.serving() && now >= nextLockSweep) {
      nextLockSweep = now + 1_000; // holders of locks whose grant was still on its way at the view change
      locks.freeDeparted();
    }
  }

  /**
   * A gap since the last tick longer than {@code pauseMs}: this node's loop was stopped and it may have been removed
   * meanwhile. Checked before any frame or submit is handled too, since what was queued during the pause runs
   * before the first tick.
   */
  private void checkPause(long now) {
    if (now - lastTick > config.pauseMs()) {
      handOver.stopReading(); // before the tick time moves on: a reader on another thread sees one or the other
      leases.dropHeld();
      sender.clear(); // what it held may be stale now (it may have been removed); its joiners pull again
      requests.paused(); // in the view or not: a grant answered meanwhile may have been freed since
      if (inView) {
        stats.pausesDetected++;
        handOver.revalidateAfterPause();
      }
      lastTick = now;
    }
  }

  /** Sizes of the internal tables, for the snapshot. */
  public Map<String, Long> sizes() {
    return Map.of("entries", (long) table.size(), "bytes", table.bytes(), "uncommitted", (long) uncommitted.size(),
        "pendingWrites", (long) fanOut.size(), "pendingRequests", (long) requests.size(),
        "answersKept", (long) sessions.size(), "lockWaiters", (long) locks.waiting(),
        "handOverMissing", (long) handOver.missing(), "answersEvicted", sessions.evicted, "lagging", (long) fanOut.lagging());
  }
}
