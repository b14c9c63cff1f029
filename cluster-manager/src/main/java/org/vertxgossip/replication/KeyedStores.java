package org.vertxgossip.replication;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.membership.wire.MalformedMessageException;
import org.vertxgossip.replication.StoreMessage.Applied;
import org.vertxgossip.replication.StoreMessage.Apply;
import org.vertxgossip.replication.StoreMessage.Content;
import org.vertxgossip.replication.StoreMessage.Digest;
import org.vertxgossip.replication.StoreMessage.KeyedEntry;
import org.vertxgossip.replication.StoreMessage.Op;
import org.vertxgossip.replication.StoreMessage.OpResult;
import org.vertxgossip.replication.StoreMessage.Pull;
import org.vertxgossip.replication.StoreMessage.PullDone;
import org.vertxgossip.replication.StoreMessage.StoreDigest;

/**
 * Replicated keyed stores (async maps, the HA map, counters, locks); sans-IO and single-threaded, like the other
 * cores. Every member holds every entry.
 *
 * <ul>
 *   <li>A key's owner is chosen by rendezvous hashing over the view. It serialises the key's operations, stamps
 *   each new entry with a hybrid-logical-clock version, sends it to every member, and answers once all of them
 *   acknowledged (or left, or the acknowledgement timeout passed). Reads are local.
 *   <li>A request carries {@code (requester, seq)}; members remember the results of recent requests, so a retry
 *   sent to a new owner after an owner change gets the answer the old owner gave, not a second application.
 *   <li>Deletes leave tombstones, collected after a horizon. TTLs are absolute deadlines: readers hide expired
 *   entries at once; the owner deletes them, conditionally on their version.
 *   <li>Locks: the owner keeps the holder (replicated, with the grant's version as fencing token) and a FIFO of
 *   waiters whose timeouts it measures. Holders that leave the view lose the lock at that view change; waiters at
 *   a former owner are told, and re-submit to the new owner with the time they have left.
 *   <li>Anti-entropy compares per-store digests with a random member and exchanges the differing stores, merging
 *   last-writer-wins; a joiner pulls every store before its join completes.
 * </ul>
 */
public final class KeyedStores {

  public static final String LOCKS = "__vertx.locks";
  public static final String COUNTERS = "__vertx.counters";
  private static final long RETRY_MS = 50;
  private static final long RECENT_MS = 5_000;
  private static final int MAX_RESULTS = 20_000;
  private static final long MAX_RESULT_BYTES = 32L << 20;
  private static final int MAX_RECENT = 4_096;
  private static final long MAX_RECENT_BYTES = 32L << 20;
  /** Entries per content frame, at most; the bytes are bounded by half the frame limit too. */
  private static final int CONTENT_CHUNK = 2_048;
  /** Bytes a content frame spends on an entry besides its key and value (lengths, version, expiry), rounded up. */
  private static final int ENTRY_OVERHEAD = 32;

  private final NodeId self;
  private final NodeAddress selfAddress;
  private final StoreConfig config;
  private final ReplicationEnvironment env;
  private final StoreCodec codec;
  private final StoreStats stats = new StoreStats();
  private final Map<String, Map<ByteKey, StoredEntry>> stores = new ConcurrentHashMap<>();
  private List<NodeId> view = List.of();
  private Set<NodeId> viewSet = Set.of();
  private long hlcLast;

  // requester side
  private final Map<Long, Pending> requests = new HashMap<>();
  private long nextSeq;

  // owner side
  private final Map<Long, PendingApply> applies = new HashMap<>();
  private long nextApplyId;
  private final RecentResults<RequestId> results = new RecentResults<>(MAX_RESULTS, MAX_RESULT_BYTES);
  private final Map<RequestId, PendingApply> inflight = new HashMap<>();
  private final Map<ByteKey, ArrayDeque<Waiter>> lockWaiters = new HashMap<>();
  private final PriorityQueue<Expiry> expiries = new PriorityQueue<>();
  private final RecentApplies recent = new RecentApplies(RECENT_MS, MAX_RECENT, MAX_RECENT_BYTES);

  /** Members of any earlier view (bounded): a re-admitted one gets a digest exchange, a new one pulls. */
  private final Map<NodeId, Boolean> everSeen = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<NodeId, Boolean> eldest) {
      return size() > 10_000;
    }
  };
  /**
   * Members of the view this node could not send to (the membership had no address for them yet), with whether
   * they were re-admitted rather than new.
   */
  private final Map<NodeId, Boolean> unaddressed = new HashMap<>();

  // joining
  private boolean snapshotDone;
  private NodeId pullFrom;
  private long pullDeadline;
  private int pullAttempts;
  private final List<Runnable> snapshotWaiters = new ArrayList<>();
  private long nextAntiEntropy;
  private long nextCollection;

  private record RequestId(NodeId requester, long seq) {
  }

  private static final class Pending {
    final StoreRequest request;
    final Consumer<StoreResult> callback;
    final long deadline;
    final long lockDeadline;
    NodeId target;
    long retryAt;

    Pending(StoreRequest request, Consumer<StoreResult> callback, long deadline, long lockDeadline) {
      this.request = request;
      this.callback = callback;
      this.deadline = deadline;
      this.lockDeadline = lockDeadline;
    }
  }

  private static final class PendingApply {
    final long deadline;
    final Set<NodeId> waiting;
    final Apply apply;
    final List<Runnable> then = new ArrayList<>();

    PendingApply(long deadline, Set<NodeId> waiting, Apply apply) {
      this.deadline = deadline;
      this.waiting = waiting;
      this.apply = apply;
    }
  }

  private record Waiter(NodeId from, long seq, NodeAddress replyTo, long deadline) {
  }

  private record Expiry(long at, String store, ByteKey key, long version) implements Comparable<Expiry> {
    @Override
    public int compareTo(Expiry o) {
      return Long.compare(at, o.at);
    }
  }

  public KeyedStores(NodeId self, NodeAddress selfAddress, StoreConfig config, ReplicationEnvironment env) {
    this.self = self;
    this.selfAddress = selfAddress;
    this.config = config;
    this.env = env;
    this.codec = new StoreCodec(config.maxFrame());
    this.nextAntiEntropy = env.now() + (long) (env.random().nextDouble() * config.antiEntropyMs());
    this.nextCollection = env.now() + 60_000;
  }

  /** Whether a replication-lane frame belongs here (by its type byte). */
  public static boolean accepts(byte[] frame) {
    return frame.length > 0 && (frame[0] & 0xFF) >= StoreCodec.FIRST_TYPE;
  }

  // ---- reads (any thread) -------------------------------------------------------------------------------------------

  /** The visible value of {@code key}, or null. */
  public byte[] get(String store, byte[] key) {
    Map<ByteKey, StoredEntry> s = stores.get(store);
    StoredEntry e = s == null ? null : s.get(new ByteKey(key));
    return e != null && e.visibleAt(env.wallTime()) ? e.value() : null;
  }

  /** Every visible entry of a store, as (key, value) pairs. */
  public List<Map.Entry<byte[], byte[]>> entries(String store) {
    Map<ByteKey, StoredEntry> s = stores.get(store);
    List<Map.Entry<byte[], byte[]>> out = new ArrayList<>();
    if (s == null) {
      return out;
    }
    long now = env.wallTime();
    s.forEach((k, e) -> {
      if (e.visibleAt(now)) {
        out.add(Map.entry(k.bytes(), e.value()));
      }
    });
    return out;
  }

  /** The member that owns {@code key} of {@code store} in this node's view (this node before any view). */
  public NodeId ownerOf(String store, byte[] key) {
    List<NodeId> v = view;
    return v.isEmpty() ? self : Rendezvous.owner(v, Rendezvous.hash(store, key));
  }

  public StoreStats stats() {
    return stats;
  }

  public int viewSize() {
    return view.size();
  }

  // ---- requests (loop) ----------------------------------------------------------------------------------------------

  /**
   * Sends {@code request} to its key's owner and calls {@code callback} with the owner's answer, or a failure
   * after {@code timeoutMs}. A lock request's own timeout is {@code request.ttl()}; the owner measures it.
   */
  public void submit(StoreRequest request, long timeoutMs, Consumer<StoreResult> callback) {
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
    long now = env.now();
    long lockDeadline = request.op() == StoreOp.LOCK_ACQUIRE ? now + request.ttl() : 0;
    long seq = ++nextSeq;
    Pending p = new Pending(request, callback, now + timeoutMs, lockDeadline);
    requests.put(seq, p);
    send(seq, p);
  }

  private static long sizeOf(StoreRequest q) {
    return 3L * q.store().length() + q.key().length + (q.value() == null ? 0 : q.value().length)
        + (q.other() == null ? 0 : q.other().length);
  }

  private boolean hasQuorum() {
    return config.minimumMembers() <= 1 || view.size() >= config.minimumMembers();
  }

  private StoreResult noQuorum() {
    return StoreResult.failed(StoreResult.Status.NO_QUORUM, "vertx-gossip: the view has " + view.size()
        + " members, fewer than minimumMembers=" + config.minimumMembers() + "; locks, counters and conditional "
        + "writes are refused on this side of a partition");
  }

  private void send(long seq, Pending p) {
    StoreRequest q = p.request;
    if (q.op() == StoreOp.LOCK_ACQUIRE) {
      long left = p.lockDeadline - env.now();
      q = new StoreRequest(q.store(), q.key(), q.op(), q.value(), q.other(), Math.max(0, left), q.a(), q.b());
    }
    NodeId owner = view.isEmpty() ? self : Rendezvous.owner(view, Rendezvous.hash(q.store(), q.key()));
    p.target = owner;
    p.retryAt = 0;
    if (owner.equals(self)) {
      handleOp(self, seq, selfAddress, q);
      return;
    }
    NodeAddress to = env.addressOf(owner);
    if (to == null) {
      p.retryAt = env.now() + RETRY_MS;
      return;
    }
    stats.requestsSent++;
    env.send(to, codec.encode(new Op(self, seq, selfAddress, q)));
  }

  private void onResult(long seq, StoreResult result) {
    Pending p = requests.get(seq);
    if (p == null) {
      if (result.isOk() && result.number() != 0) {
        // A lock granted after this node gave up waiting: hand it back at once.
        stats.lateGrantsReleased++;
        releaseLateGrant(seq, result);
      }
      return;
    }
    if (result.status() == StoreResult.Status.NOT_OWNER) {
      p.retryAt = env.now() + RETRY_MS;
      return;
    }
    requests.remove(seq);
    p.callback.accept(result);
  }

  /** Lock requests whose answers no one waits for any more, to release a late grant. */
  private final Map<Long, StoreRequest> abandonedLocks = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, StoreRequest> eldest) {
      return size() > 1024;
    }
  };

  private void releaseLateGrant(long seq, StoreResult result) {
    StoreRequest q = abandonedLocks.remove(seq);
    if (q != null) {
      submit(new StoreRequest(q.store(), q.key(), StoreOp.LOCK_RELEASE, null, null, 0, result.number(), 0),
          config.ackTimeoutMs() * 2, r -> { });
    }
  }

  // ---- owner side ----------------------------------------------------------------------------------------------

  private void handleOp(NodeId from, long seq, NodeAddress replyTo, StoreRequest q) {
    NodeId owner = view.isEmpty() ? self : Rendezvous.owner(view, Rendezvous.hash(q.store(), q.key()));
    if (!owner.equals(self)) {
      reply(from, seq, replyTo, StoreResult.failed(StoreResult.Status.NOT_OWNER, null));
      return;
    }
    RequestId id = new RequestId(from, seq);
    PendingApply running = inflight.get(id);
    if (running != null) {
      running.then.add(() -> reply(from, seq, replyTo, running.apply.result()));
      return;
    }
    StoreResult done = results.get(id);
    if (done != null) {
      reply(from, seq, replyTo, done);
      return;
    }
    if (q.op().needsQuorum() && !hasQuorum()) {
      reply(from, seq, replyTo, noQuorum());
      return;
    }
    stats.operations++;
    ByteKey key = new ByteKey(q.key());
    Map<ByteKey, StoredEntry> store = store(q.store());
    StoredEntry current = store.get(key);
    long wall = env.wallTime();
    boolean visible = current != null && current.visibleAt(wall);
    byte[] value = visible ? current.value() : null;
    long expiresAt = q.ttl() > 0 ? wall + q.ttl() : 0;
    switch (q.op()) {
      case PUT -> write(q.store(), key, q.value(), expiresAt, id, replyTo, StoreResult.ok(null, 0));
      case GET_AND_PUT -> write(q.store(), key, q.value(), expiresAt, id, replyTo, StoreResult.ok(value, 0));
      case PUT_IF_ABSENT -> {
        if (visible) {
          reply(from, seq, replyTo, StoreResult.ok(value, 0));
        } else {
          write(q.store(), key, q.value(), expiresAt, id, replyTo, StoreResult.ok(null, 0));
        }
      }
      case REMOVE -> {
        if (visible) {
          write(q.store(), key, null, 0, id, replyTo, StoreResult.ok(value, 0));
        } else {
          reply(from, seq, replyTo, StoreResult.ok(null, 0));
        }
      }
      case REMOVE_IF_PRESENT -> {
        if (visible && Arrays.equals(value, q.value())) {
          write(q.store(), key, null, 0, id, replyTo, StoreResult.ok(null, 1));
        } else {
          reply(from, seq, replyTo, StoreResult.ok(null, 0));
        }
      }
      case REPLACE -> {
        if (visible) {
          write(q.store(), key, q.value(), expiresAt, id, replyTo, StoreResult.ok(value, 0));
        } else {
          reply(from, seq, replyTo, StoreResult.ok(null, 0));
        }
      }
      case REPLACE_IF_PRESENT -> {
        if (visible && Arrays.equals(value, q.value())) {
          write(q.store(), key, q.other(), expiresAt, id, replyTo, StoreResult.ok(null, 1));
        } else {
          reply(from, seq, replyTo, StoreResult.ok(null, 0));
        }
      }
      case COUNTER_GET -> reply(from, seq, replyTo, StoreResult.ok(null, asLong(value)));
      case COUNTER_ADD_AND_GET -> {
        long next = asLong(value) + q.a();
        write(q.store(), key, ofLong(next), 0, id, replyTo, StoreResult.ok(null, next));
      }
      case COUNTER_GET_AND_ADD -> {
        long before = asLong(value);
        write(q.store(), key, ofLong(before + q.a()), 0, id, replyTo, StoreResult.ok(null, before));
      }
      case COUNTER_COMPARE_AND_SET -> {
        if (asLong(value) == q.a()) {
          write(q.store(), key, ofLong(q.b()), 0, id, replyTo, StoreResult.ok(null, 1));
        } else {
          reply(from, seq, replyTo, StoreResult.ok(null, 0));
        }
      }
      case LOCK_ACQUIRE -> acquire(q.store(), key, current, wall, new Waiter(from, seq, replyTo,
          env.now() + q.ttl()));
      case LOCK_RELEASE -> {
        if (visible && current.version() == q.a()) {
          handOver(q.store(), key, id, replyTo);
        } else {
          reply(from, seq, replyTo, StoreResult.ok(null, 0)); // released already: a no-op
        }
      }
      case EXPIRE -> {
        if (current != null && current.version() == q.a() && !visible && !current.isTombstone()) {
          write(q.store(), key, null, 0, null, null, null);
        }
      }
    }
  }

  private void acquire(String store, ByteKey key, StoredEntry current, long wall, Waiter w) {
    boolean held = current != null && current.visibleAt(wall) && viewSet.contains(holderOf(current));
    if (!held) {
      grant(store, key, w);
      return;
    }
    if (w.deadline() <= env.now()) {
      reply(w.from(), w.seq(), w.replyTo(), StoreResult.failed(StoreResult.Status.TIMEOUT, null));
      return;
    }
    ArrayDeque<Waiter> queue = lockWaiters.computeIfAbsent(key, k -> new ArrayDeque<>());
    for (Waiter queued : queue) {
      if (queued.from().equals(w.from()) && queued.seq() == w.seq()) {
        return; // the same request again (a retry): one place in line, one grant
      }
    }
    queue.add(w);
  }

  /** Grants the lock to {@code w}: the token is the version of the entry that names it holder. */
  private void grant(String store, ByteKey key, Waiter w) {
    byte[] holder = ByteBuffer.allocate(24).putLong(w.from().msb()).putLong(w.from().lsb()).putLong(w.seq())
        .array();
    RequestId id = new RequestId(w.from(), w.seq());
    long version = nextVersion(store(store).get(key));
    write(store, key, holder, 0, id, w.replyTo(), StoreResult.ok(null, version), version);
  }

  /** Frees a lock: the next live waiter gets it, or it becomes a tombstone. */
  private void handOver(String store, ByteKey key, RequestId releaser, NodeAddress releaserAddress) {
    ArrayDeque<Waiter> queue = lockWaiters.get(key);
    Waiter next = null;
    while (queue != null && !queue.isEmpty()) {
      Waiter w = queue.poll();
      if (viewSet.contains(w.from()) || w.from().equals(self)) {
        next = w;
        break;
      }
    }
    if (queue != null && queue.isEmpty()) {
      lockWaiters.remove(key);
    }
    if (next != null) {
      grant(store, key, next);
      if (releaser != null) {
        reply(releaser.requester(), releaser.seq(), releaserAddress, StoreResult.ok(null, 1));
      }
    } else {
      write(store, key, null, 0, releaser, releaserAddress, StoreResult.ok(null, 1));
    }
  }

  private static NodeId holderOf(StoredEntry e) {
    ByteBuffer b = ByteBuffer.wrap(e.value());
    return new NodeId(b.getLong(), b.getLong());
  }

  private void write(String store, ByteKey key, byte[] value, long expiresAt, RequestId id, NodeAddress replyTo,
                     StoreResult result) {
    write(store, key, value, expiresAt, id, replyTo, result, nextVersion(store(store).get(key)));
  }

  /** Applies a new entry here, sends it to every member, and answers the request once all acknowledged. */
  private void write(String store, ByteKey key, byte[] value, long expiresAt, RequestId id, NodeAddress replyTo,
                     StoreResult result, long version) {
    StoredEntry entry = new StoredEntry(value, version, expiresAt);
    put(store, key, entry);
    stats.writes++;
    NodeId requester = id == null ? self : id.requester();
    long seq = id == null ? 0 : id.seq();
    StoreResult r = result == null ? StoreResult.ok(null, 0) : result;
    Apply apply = new Apply(self, selfAddress, ++nextApplyId, store, key.bytes(), entry, requester, seq, r);
    if (id != null) {
      results.put(id, r);
    }
    recent.add(apply, env.now());
    byte[] frame = codec.encode(apply);
    Set<NodeId> waiting = new HashSet<>();
    for (NodeId m : view) {
      if (m.equals(self)) {
        continue;
      }
      NodeAddress a = env.addressOf(m);
      if (a == null) {
        unaddressed.putIfAbsent(m, false); // it gets this write with the recent ones once its address is known
      } else if (env.isLive(m)) {
        env.send(a, frame);
        waiting.add(m);
      }
    }
    PendingApply pa = new PendingApply(env.now() + config.ackTimeoutMs(), waiting, apply);
    if (id != null) {
      pa.then.add(() -> reply(requester, seq, replyTo, r));
      inflight.put(id, pa);
    }
    applies.put(apply.applyId(), pa);
    completeApply(pa);
  }

  private void completeApply(PendingApply pa) {
    if (!pa.waiting.isEmpty()) {
      return;
    }
    applies.remove(pa.apply.applyId());
    inflight.remove(new RequestId(pa.apply.requester(), pa.apply.seq()));
    pa.then.forEach(Runnable::run);
  }

  private long nextVersion(StoredEntry previous) {
    long floor = Math.max(hlcLast, previous == null ? 0 : previous.version());
    long v = Math.max(env.wallTime() << 12, floor + 1);
    hlcLast = v;
    return v;
  }

  private void reply(NodeId to, long seq, NodeAddress replyTo, StoreResult result) {
    if (to.equals(self)) {
      onResult(seq, result);
      return;
    }
    env.send(replyTo, codec.encode(new OpResult(seq, result)));
  }

  private Map<ByteKey, StoredEntry> store(String name) {
    return stores.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
  }

  private void put(String store, ByteKey key, StoredEntry entry) {
    store(store).put(key, entry);
    hlcLast = Math.max(hlcLast, entry.version());
    if (entry.expiresAt() > 0 && entry.value() != null) {
      expiries.add(new Expiry(entry.expiresAt(), store, key, entry.version()));
    }
  }

  // ---- wire input ----------------------------------------------------------------------------------------------

  public void onFrame(byte[] frame) {
    StoreMessage m;
    try {
      m = codec.decode(frame);
    } catch (MalformedMessageException | IllegalArgumentException e) {
      stats.malformed++;
      return;
    }
    if (m instanceof Op o) {
      handleOp(o.from(), o.seq(), o.replyTo(), o.request());
    } else if (m instanceof OpResult r) {
      onResult(r.seq(), r.result());
    } else if (m instanceof Apply a) {
      onApply(a);
    } else if (m instanceof Applied a) {
      PendingApply pa = applies.get(a.applyId());
      if (pa != null && pa.waiting.remove(a.from())) {
        completeApply(pa);
      }
    } else if (m instanceof Digest d) {
      onDigest(d);
    } else if (m instanceof Content c) {
      merge(c);
    } else if (m instanceof Pull p) {
      sendAll(p.replyTo());
      env.send(p.replyTo(), codec.encode(new PullDone(self)));
    } else if (m instanceof PullDone p) {
      if (p.from().equals(pullFrom)) {
        snapshotComplete();
      }
    }
  }

  private void onApply(Apply a) {
    ByteKey key = new ByteKey(a.key());
    StoredEntry current = store(a.store()).get(key);
    if (a.entry().newerThan(current)) {
      put(a.store(), key, a.entry());
    }
    if (a.seq() != 0) {
      results.put(new RequestId(a.requester(), a.seq()), a.result());
    }
    stats.appliesReceived++;
    env.send(a.ownerAddress(), codec.encode(new Applied(self, a.applyId())));
  }

  private void merge(Content c) {
    Map<ByteKey, StoredEntry> store = store(c.store());
    for (KeyedEntry e : c.entries()) {
      ByteKey key = new ByteKey(e.key());
      if (e.entry().newerThan(store.get(key))) {
        put(c.store(), key, e.entry());
        stats.repairs++;
      }
    }
  }

  private void onDigest(Digest d) {
    stats.digests++;
    Map<String, StoreDigest> theirs = new HashMap<>();
    d.stores().forEach(s -> theirs.put(s.store(), s));
    for (String name : stores.keySet()) {
      StoreDigest mine = digestOf(name);
      StoreDigest other = theirs.get(name);
      if (mine.count() > 0 && (other == null || other.count() != mine.count() || other.hash() != mine.hash())) {
        sendStore(d.replyTo(), name);
      }
    }
    if (!d.reply()) {
      env.send(d.replyTo(), codec.encode(new Digest(self, selfAddress, true, digests())));
    }
  }

  private List<StoreDigest> digests() {
    List<StoreDigest> out = new ArrayList<>();
    for (String name : stores.keySet()) {
      out.add(digestOf(name));
    }
    return out;
  }

  private StoreDigest digestOf(String name) {
    long hash = 0;
    Map<ByteKey, StoredEntry> s = stores.get(name);
    for (Map.Entry<ByteKey, StoredEntry> e : s.entrySet()) {
      hash ^= Rendezvous.mix(e.getKey().hashCode() * 0x9E3779B97F4A7C15L + e.getValue().version());
    }
    return new StoreDigest(name, s.size(), hash);
  }

  private void sendAll(NodeAddress to) {
    for (String name : stores.keySet()) {
      sendStore(to, name);
    }
  }

  /** Sends a store in frames of at most {@link #CONTENT_CHUNK} entries and half the frame limit in bytes. */
  private void sendStore(NodeAddress to, String name) {
    long budget = config.maxFrame() / 2;
    List<KeyedEntry> chunk = new ArrayList<>();
    long chunkBytes = 0;
    for (Map.Entry<ByteKey, StoredEntry> e : stores.get(name).entrySet()) {
      long size = ENTRY_OVERHEAD + e.getKey().bytes().length
          + (e.getValue().value() == null ? 0 : e.getValue().value().length);
      if (!chunk.isEmpty() && (chunk.size() == CONTENT_CHUNK || chunkBytes + size > budget)) {
        env.send(to, codec.encode(new Content(name, chunk)));
        chunk = new ArrayList<>();
        chunkBytes = 0;
      }
      chunk.add(new KeyedEntry(e.getKey().bytes(), e.getValue()));
      chunkBytes += size;
    }
    if (!chunk.isEmpty()) {
      env.send(to, codec.encode(new Content(name, chunk)));
    }
  }

  // ---- membership input ------------------------------------------------------------------------------------------

  /** A view was delivered: requests follow their keys' new owners; the owner frees locks of departed holders. */
  public void viewChanged(List<NodeId> members) {
    boolean firstWithSelf = !viewSet.contains(self) && members.contains(self);
    Set<NodeId> before = viewSet;
    view = List.copyOf(members);
    viewSet = new HashSet<>(members);
    List<NodeId> added = new ArrayList<>();
    for (NodeId m : members) {
      if (!before.contains(m) && !m.equals(self)) {
        added.add(m);
      }
    }
    unaddressed.keySet().retainAll(viewSet);
    for (NodeId a : added) {
      catchUp(a, everSeen.containsKey(a));
    }
    for (PendingApply pa : new ArrayList<>(applies.values())) {
      pa.waiting.retainAll(viewSet);
      completeApply(pa);
    }
    members.forEach(m -> everSeen.put(m, Boolean.TRUE));
    reassignLocks();
    for (Map.Entry<Long, Pending> e : new ArrayList<>(requests.entrySet())) {
      Pending p = e.getValue();
      NodeId owner = Rendezvous.owner(view, Rendezvous.hash(p.request.store(), p.request.key()));
      if (!owner.equals(p.target) || !viewSet.contains(p.target)) {
        send(e.getKey(), p);
      }
    }
    if (firstWithSelf && !snapshotDone) {
      startPull();
    }
  }

  /**
   * Writes this node made recently may have missed a member the coordinator admitted meanwhile: they go to it
   * now, or, if the membership has no address for it yet, once it has (see {@link #addressKnown}).
   */
  private void catchUp(NodeId member, boolean readmitted) {
    NodeAddress address = env.addressOf(member);
    if (address == null) {
      unaddressed.merge(member, readmitted, Boolean::logicalOr);
      return;
    }
    boolean coordinator = !view.isEmpty() && view.get(0).equals(self);
    if (coordinator && readmitted) {
      // Back after a removal (a pause, a partition): one digest exchange repairs what either side missed.
      env.send(address, codec.encode(new Digest(self, selfAddress, false, digests())));
    }
    for (Apply apply : recent.since(env.now())) {
      env.send(address, codec.encode(apply));
    }
    for (PendingApply pa : applies.values()) {
      pa.waiting.add(member);
      env.send(address, codec.encode(pa.apply));
    }
  }

  /** The membership learned a live member's address: a member of the view this node could not reach catches up. */
  public void addressKnown(NodeId id) {
    Boolean readmitted = unaddressed.remove(id);
    if (readmitted != null && viewSet.contains(id)) {
      catchUp(id, readmitted);
    }
  }

  /** For locks this node owns: holders gone from the view lose them; waiters of keys owned elsewhere move. */
  private void reassignLocks() {
    Map<ByteKey, StoredEntry> locks = stores.get(LOCKS);
    long wall = env.wallTime();
    if (locks != null) {
      for (Map.Entry<ByteKey, StoredEntry> e : new ArrayList<>(locks.entrySet())) {
        StoredEntry entry = e.getValue();
        if (entry.visibleAt(wall) && !viewSet.contains(holderOf(entry)) && ownedHere(LOCKS, e.getKey())) {
          stats.locksFreedByDeparture++;
          handOver(LOCKS, e.getKey(), null, null);
        }
      }
    }
    for (Iterator<Map.Entry<ByteKey, ArrayDeque<Waiter>>> it = lockWaiters.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<ByteKey, ArrayDeque<Waiter>> e = it.next();
      if (!ownedHere(LOCKS, e.getKey())) {
        for (Waiter w : e.getValue()) {
          reply(w.from(), w.seq(), w.replyTo(), StoreResult.failed(StoreResult.Status.NOT_OWNER, null));
        }
        it.remove();
      } else {
        e.getValue().removeIf(w -> !viewSet.contains(w.from()));
        if (e.getValue().isEmpty()) {
          it.remove();
        }
      }
    }
  }

  private boolean ownedHere(String store, ByteKey key) {
    return view.isEmpty() || self.equals(Rendezvous.owner(view, Rendezvous.hash(store, key.bytes())));
  }

  /** The membership table marked a member dead or left: its acknowledgements are not waited for. */
  public void memberGone(NodeId id) {
    for (PendingApply pa : new ArrayList<>(applies.values())) {
      if (pa.waiting.remove(id)) {
        completeApply(pa);
      }
    }
  }

  public void unreachable(NodeAddress to) {
    for (NodeId id : view) {
      if (to.equals(env.addressOf(id))) {
        memberGone(id);
      }
    }
  }

  // ---- joining -----------------------------------------------------------------------------------------------------

  /** Runs {@code action} once this node holds every store (pulled from a member when it joined). */
  public void whenSnapshotDone(Runnable action) {
    if (snapshotDone) {
      action.run();
    } else {
      snapshotWaiters.add(action);
    }
  }

  private void startPull() {
    pullFrom = null;
    for (NodeId m : view) {
      if (!m.equals(self) && env.isLive(m) && env.addressOf(m) != null) {
        pullFrom = m;
        break;
      }
    }
    if (pullFrom == null || pullAttempts >= 3) {
      snapshotComplete();
      return;
    }
    pullAttempts++;
    pullDeadline = env.now() + config.ackTimeoutMs();
    env.send(env.addressOf(pullFrom), codec.encode(new Pull(self, selfAddress)));
  }

  private void snapshotComplete() {
    if (snapshotDone) {
      return;
    }
    snapshotDone = true;
    pullFrom = null;
    List<Runnable> ready = new ArrayList<>(snapshotWaiters);
    snapshotWaiters.clear();
    ready.forEach(Runnable::run);
  }

  /** This node stopped: requests still waiting fail, so that no caller waits for ever. */
  public void release() {
    List<Pending> waiting = new ArrayList<>(requests.values());
    requests.clear();
    for (Pending p : waiting) {
      p.callback.accept(StoreResult.failed(StoreResult.Status.FAILED, "vertx-gossip: this node left the cluster"));
    }
    snapshotComplete();
  }

  // ---- time ------------------------------------------------------------------------------------------------------------

  /** Timeouts, retries, expiries, anti-entropy and tombstone collection; call often (every ~50 ms). */
  public void tick() {
    long now = env.now();
    for (Map.Entry<Long, Pending> e : new ArrayList<>(requests.entrySet())) {
      Pending p = e.getValue();
      if (now >= p.deadline) {
        requests.remove(e.getKey());
        if (p.request.op() == StoreOp.LOCK_ACQUIRE) {
          abandonedLocks.put(e.getKey(), p.request);
        }
        stats.requestTimeouts++;
        p.callback.accept(StoreResult.failed(StoreResult.Status.TIMEOUT, "no answer from the owner of the key"));
      } else if (p.retryAt != 0 && now >= p.retryAt) {
        send(e.getKey(), p);
      }
    }
    for (PendingApply pa : new ArrayList<>(applies.values())) {
      if (now >= pa.deadline && !pa.waiting.isEmpty()) {
        stats.ackTimeouts++;
        pa.waiting.clear();
        completeApply(pa);
      }
    }
    expireWaiters(now);
    expireEntries();
    if (pullFrom != null && now >= pullDeadline) {
      startPull();
    }
    if (now >= nextAntiEntropy) {
      nextAntiEntropy = now + config.antiEntropyMs();
      antiEntropy();
    }
    if (now >= nextCollection) {
      nextCollection = now + 60_000;
      collectTombstones();
    }
  }

  private void expireWaiters(long now) {
    for (Iterator<ArrayDeque<Waiter>> it = lockWaiters.values().iterator(); it.hasNext(); ) {
      ArrayDeque<Waiter> q = it.next();
      q.removeIf(w -> {
        if (now >= w.deadline()) {
          reply(w.from(), w.seq(), w.replyTo(), StoreResult.failed(StoreResult.Status.TIMEOUT, null));
          return true;
        }
        return false;
      });
      if (q.isEmpty()) {
        it.remove();
      }
    }
  }

  private void expireEntries() {
    long wall = env.wallTime();
    while (!expiries.isEmpty() && expiries.peek().at() <= wall) {
      Expiry x = expiries.poll();
      StoredEntry current = stores.get(x.store()).get(x.key());
      if (current == null || current.version() != x.version() || current.isTombstone()) {
        continue;
      }
      if (ownedHere(x.store(), x.key())) {
        handleOp(self, 0, selfAddress, new StoreRequest(x.store(), x.key().bytes(), StoreOp.EXPIRE, null, null, 0,
            x.version(), 0));
      } else {
        // The owner deletes it; should it be gone meanwhile, look again later (readers never see it anyway).
        expiries.add(new Expiry(wall + 1_000, x.store(), x.key(), x.version()));
        return;
      }
    }
  }

  private void antiEntropy() {
    List<NodeId> others = new ArrayList<>();
    for (NodeId m : view) {
      if (!m.equals(self) && env.isLive(m)) {
        others.add(m);
      }
    }
    if (others.isEmpty() || stores.isEmpty()) {
      return;
    }
    NodeAddress to = env.addressOf(others.get(env.random().nextInt(others.size())));
    if (to != null) {
      env.send(to, codec.encode(new Digest(self, selfAddress, false, digests())));
    }
  }

  private void collectTombstones() {
    long horizon = (env.wallTime() - config.tombstoneHorizonMs()) << 12;
    for (Map<ByteKey, StoredEntry> s : stores.values()) {
      s.values().removeIf(e -> e.isTombstone() && e.version() < horizon);
    }
  }

  static long asLong(byte[] value) {
    return value == null || value.length != 8 ? 0 : ByteBuffer.wrap(value).getLong();
  }

  static byte[] ofLong(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }
}
