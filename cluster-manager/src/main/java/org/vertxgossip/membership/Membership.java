package org.vertxgossip.membership;

import java.util.ArrayList;
import java.util.List;
import org.vertxgossip.membership.wire.MalformedMessageException;
import org.vertxgossip.membership.wire.Message;
import org.vertxgossip.membership.wire.Message.Ack;
import org.vertxgossip.membership.wire.Message.Alive;
import org.vertxgossip.membership.wire.Message.Dead;
import org.vertxgossip.membership.wire.Message.IndirectPing;
import org.vertxgossip.membership.wire.Message.JoinRequest;
import org.vertxgossip.membership.wire.Message.Nack;
import org.vertxgossip.membership.wire.Message.Ping;
import org.vertxgossip.membership.wire.Message.PushPull;
import org.vertxgossip.membership.wire.Message.StreamAck;
import org.vertxgossip.membership.wire.Message.StreamPing;
import org.vertxgossip.membership.wire.Message.Suspect;
import org.vertxgossip.membership.wire.Message.ViewDelta;
import org.vertxgossip.membership.wire.Message.ViewPull;
import org.vertxgossip.membership.wire.Message.ViewSync;
import org.vertxgossip.membership.wire.MessageCodec;

/**
 * The membership protocol of one node as a single-threaded, sans-IO state machine: datagrams, stream frames,
 * stream failures and timer wake-ups go in; datagrams, frames and wake-up requests come out through the
 * {@link MembershipEnvironment}; events through the {@link MembershipListener}. It reads no clock of its own, starts
 * no thread and does no I/O, so the simulator runs it unchanged. Not thread-safe: one thread drives it.
 */
public final class Membership {

  private enum Phase { NEW, RUNNING, LEAVING, STOPPED }

  final NodeId self;
  final NodeAddress address;
  final MembershipConfig config;
  final MembershipEnvironment env;
  final MembershipListener listener;
  final MessageCodec codec;
  final MemberTable table = new MemberTable();
  final BroadcastQueue broadcasts;
  final TimerQueue timers = new TimerQueue();
  final Awareness awareness;
  final MembershipStats stats = new MembershipStats();
  final StateRules rules = new StateRules(this);
  final Prober prober = new Prober(this);
  final AntiEntropy antiEntropy = new AntiEntropy(this);
  final ViewSequencer views = new ViewSequencer(this);
  Member selfMember;
  private final byte[] initialMeta;
  private Phase phase = Phase.NEW;
  private long leaveDeadline;
  private long wakeRequested = Long.MAX_VALUE;

  public Membership(NodeId self, NodeAddress address, byte[] meta, MembershipConfig config, MembershipEnvironment env,
                    MembershipListener listener) {
    if (meta.length > config.metaMaxSize) {
      throw new IllegalArgumentException("metadata of " + meta.length + " bytes exceeds " + config.metaMaxSize);
    }
    this.self = self;
    this.address = address;
    this.config = config;
    this.env = env;
    this.listener = listener;
    this.initialMeta = meta.clone();
    this.codec = new MessageCodec(config.metaMaxSize, env.canonicalizer(), config.wireMinor);
    this.broadcasts = new BroadcastQueue(config.maxBroadcastQueue);
    this.awareness = new Awareness(config.awarenessMax);
  }

  // ---- inputs ---------------------------------------------------------------------------------------------------

  /** Starts probing, gossiping and joining through {@code seeds} (which may include this node's own address). */
  public void start(List<NodeAddress> seeds) {
    if (phase != Phase.NEW) {
      throw new IllegalStateException("already started");
    }
    phase = Phase.RUNNING;
    selfMember = table.add(self, address, 1, MemberState.ALIVE, initialMeta, now());
    listener.memberChanged(selfMember.toRecord());
    prober.start();
    antiEntropy.start(seeds);
    views.start(seeds);
    long gossipAt = now() + (long) (env.random().nextDouble() * config.gossipIntervalMs);
    timers.schedule(gossipAt, this::gossipTick);
    timers.schedule(now() + config.probeIntervalMs * 10, this::reap);
    rearm();
  }

  public void onPacket(NodeAddress from, byte[] packet) {
    if (!accepting()) {
      return;
    }
    stats.packetsIn++;
    stats.bytesIn += packet.length;
    try {
      codec.decodePacket(packet, new MessageCodec.EntrySink() {
        @Override
        public void message(Message m) {
          dispatchPacket(from, m);
        }

        @Override
        public void capabilities(int minor) {
          stats.capabilitiesRead++;
        }

        @Override
        public void unknownType(int type) {
          stats.unknownTypes++;
        }
      });
    } catch (MalformedMessageException | IllegalArgumentException e) {
      stats.malformed++;
    }
    rearm();
  }

  public void onStream(byte[] frame) {
    if (!accepting()) {
      return;
    }
    stats.streamsIn++;
    stats.bytesIn += frame.length;
    try {
      if (frame.length > config.maxStreamFrame) {
        stats.oversize++;
        return;
      }
      Message m = codec.decodeFrame(frame);
      if (m == null) {
        stats.unknownTypes++;
      } else {
        dispatchStream(m);
      }
    } catch (MalformedMessageException | IllegalArgumentException e) {
      stats.malformed++;
    } finally {
      rearm();
    }
  }

  /** The transport could not deliver a frame to {@code to}. */
  public void onStreamFailed(NodeAddress to, StreamFailure cause) {
    if (!accepting()) {
      return;
    }
    if (cause == StreamFailure.REFUSED) {
      prober.onRefused(to);
    }
    views.onStreamFailed(to);
    rearm();
  }

  /** The transport saw an established connection to {@code to} closed by the other end: checked at once. */
  public void onConnectionLost(NodeAddress to) {
    if (!accepting()) {
      return;
    }
    prober.checkNow(to);
    rearm();
  }

  /** Runs the timers that are due; the environment calls it at the time it was last asked for. */
  public void onTimer() {
    if (phase == Phase.NEW || phase == Phase.STOPPED) {
      return;
    }
    wakeRequested = Long.MAX_VALUE;
    timers.runDue(now());
    rearm();
  }

  /** Replaces the seed list (a discovery source answered differently); the founder rule uses the new one. */
  public void updateSeeds(List<NodeAddress> seeds) {
    if (phase != Phase.RUNNING) {
      return;
    }
    antiEntropy.updateSeeds(seeds);
    views.updateSeeds(seeds);
    rearm();
  }

  /** Replaces this node's metadata; it spreads with a new incarnation. */
  public void updateMetadata(byte[] meta) {
    if (meta.length > config.metaMaxSize) {
      throw new IllegalArgumentException("metadata of " + meta.length + " bytes exceeds " + config.metaMaxSize);
    }
    if (phase != Phase.RUNNING) {
      throw new IllegalStateException("not running");
    }
    rules.announceMeta(meta.clone());
    rearm();
  }

  /**
   * Announces a graceful leave: a coordinator first hands over with a view without itself; then the leave is
   * gossiped and sent to the coordinator, and the node goes silent once the news went out to
   * {@code gossipNodes} peers, or after {@code leaveTimeoutMs}. {@link MembershipListener#leaveCompleted()} tells.
   */
  public void leave() {
    if (phase == Phase.NEW) {
      phase = Phase.STOPPED;
      listener.leaveCompleted();
      return;
    }
    if (phase != Phase.RUNNING) {
      return;
    }
    views.leaveAsCoordinator();
    NodeId coordinator = views.effectiveCoordinator();
    phase = Phase.LEAVING;
    Dead leave = new Dead(self, selfMember.incarnation, self);
    table.update(selfMember, selfMember.incarnation, MemberState.LEFT, address, selfMember.meta, now());
    broadcast(self, leave);
    Member c = coordinator == null ? null : table.get(coordinator);
    if (c != null && c != selfMember) {
      sendPacket(c.address, List.of(leave));
    }
    leaveDeadline = now() + config.leaveTimeoutMs;
    gossipNow();
    timers.schedule(now(), this::leaveCheck);
    rearm();
  }

  private void leaveCheck(long late) {
    if (phase != Phase.LEAVING) {
      return;
    }
    int sent = broadcasts.transmitsOf(self);
    // Enough copies went out: gossipNodes of them, or one per other live member in a smaller cluster.
    int others = table.liveCount() - (selfMember.state.isLive() ? 1 : 0);
    boolean announced = sent < 0 || sent >= Math.min(config.gossipNodes, others) || others <= 0;
    if (announced || now() >= leaveDeadline) {
      phase = Phase.STOPPED;
      listener.leaveCompleted();
      return;
    }
    timers.schedule(now() + config.gossipIntervalMs / 2, this::leaveCheck);
  }

  // ---- reading ------------------------------------------------------------------------------------------------

  public NodeId self() {
    return self;
  }

  public NodeAddress address() {
    return address;
  }

  /**
   * Who issued the current view as a delta, null when it came whole: a member removed by a view it issued itself
   * handed over as it left, even before its leave reached this node.
   */
  public NodeId viewIssuer() {
    return views.issuer();
  }

  /** The last delivered view, or null before the first. */
  public View view() {
    return views.current();
  }

  public boolean inView() {
    return views.inView();
  }

  public boolean isCoordinator() {
    return views.isCoordinator();
  }

  public List<MemberRecord> members() {
    return table.records();
  }

  public MemberRecord member(NodeId id) {
    Member m = table.get(id);
    return m == null ? null : m.toRecord();
  }

  /** A member's address without copying its record (the replication cores ask on every write), or null. */
  public NodeAddress addressOf(NodeId id) {
    Member m = table.get(id);
    return m == null ? null : m.address;
  }

  /** Whether the table holds {@code id} alive or suspect. */
  public boolean isLive(NodeId id) {
    Member m = table.get(id);
    return m != null && m.state.isLive();
  }

  public int liveCount() {
    return table.liveCount();
  }

  public int healthScore() {
    return awareness.score();
  }

  public int broadcastQueueSize() {
    return broadcasts.size();
  }

  public MembershipStats stats() {
    stats.appendedFieldsRead = codec.appendedFieldsRead();
    return stats;
  }

  public boolean isStopped() {
    return phase == Phase.STOPPED;
  }

  boolean isLeaving() {
    return phase == Phase.LEAVING;
  }

  // ---- internals shared by the parts ----------------------------------------------------------------------------

  long now() {
    return env.now();
  }

  private boolean accepting() {
    return phase == Phase.RUNNING || phase == Phase.LEAVING;
  }

  private void rearm() {
    long next = timers.nextDeadline();
    if (next != Long.MAX_VALUE && next != wakeRequested && phase != Phase.STOPPED) {
      wakeRequested = next;
      env.wakeAt(next);
    }
  }

  private void dispatchPacket(NodeAddress from, Message m) {
    if (m instanceof Ping p) {
      prober.onPing(p);
    } else if (m instanceof IndirectPing ip) {
      prober.onIndirectPing(ip);
    } else if (m instanceof Ack a) {
      prober.onAck(a);
    } else if (m instanceof Nack n) {
      prober.onNack(n);
    } else if (m instanceof Alive a) {
      rules.onAlive(a);
    } else if (m instanceof Suspect s) {
      rules.onSuspect(s);
    } else if (m instanceof Dead d) {
      rules.onDead(d);
    } else if (m instanceof ViewDelta d) {
      views.onDelta(from, d);
    } else {
      stats.unknownTypes++;
    }
  }

  private void dispatchStream(Message m) {
    if (m instanceof PushPull pp) {
      antiEntropy.onPushPull(pp);
    } else if (m instanceof StreamPing sp) {
      prober.onStreamPing(sp);
    } else if (m instanceof StreamAck sa) {
      prober.onStreamAck(sa);
    } else if (m instanceof JoinRequest jr) {
      views.onJoinRequest(jr);
    } else if (m instanceof ViewPull vp) {
      views.onPull(vp);
    } else if (m instanceof ViewSync vs) {
      views.onSync(vs);
    } else {
      stats.unknownTypes++;
    }
  }

  byte[] encodeEntry(Message m) {
    return codec.encodeEntry(m);
  }

  /** Queues news about {@code key} (a node) for piggybacking; it replaces older news about the same node. */
  void broadcast(NodeId key, Message m) {
    broadcasts.add(key, codec.encodeEntry(m));
  }

  void broadcastEntry(byte[] entry) {
    broadcasts.add(null, entry);
  }

  private int retransmitLimit() {
    return config.retransmitLimit(Math.max(1, table.liveCount()));
  }

  /** Sends {@code messages} in one datagram, filling the rest of it with queued broadcasts. */
  void sendPacket(NodeAddress to, List<Message> messages) {
    List<byte[]> entries = new ArrayList<>(messages.size() + 4);
    int size = 0;
    for (Message m : messages) {
      byte[] e = codec.encodeEntry(m);
      entries.add(e);
      size += e.length;
    }
    entries.addAll(broadcasts.take(config.maxPacketSize - size, retransmitLimit()));
    transmit(to, entries);
  }

  /** Sends one pre-encoded entry with piggybacked broadcasts. */
  void sendEntry(NodeAddress to, byte[] entry) {
    List<byte[]> entries = new ArrayList<>(4);
    entries.add(entry);
    entries.addAll(broadcasts.take(config.maxPacketSize - entry.length, retransmitLimit()));
    transmit(to, entries);
  }

  private void transmit(NodeAddress to, List<byte[]> entries) {
    int size = 0;
    for (byte[] e : entries) {
      size += e.length;
    }
    byte[] capabilities = codec.capabilitiesEntry(); // only a newer minor version's (the test switch)
    if (size > 0 && capabilities != null && size + capabilities.length <= config.maxPacketSize) {
      entries = new ArrayList<>(entries);
      entries.add(capabilities);
      size += capabilities.length;
    }
    if (size == 0) {
      return;
    }
    byte[] packet = new byte[size];
    int at = 0;
    for (byte[] e : entries) {
      System.arraycopy(e, 0, packet, at, e.length);
      at += e.length;
    }
    stats.packetsOut++;
    stats.bytesOut += size;
    env.sendPacket(to, packet);
  }

  void sendStream(NodeAddress to, Message m) {
    byte[] frame;
    try {
      frame = codec.encodeFrame(m, config.maxStreamFrame);
    } catch (IllegalStateException tooLarge) {
      stats.oversize++;
      return;
    }
    stats.streamsOut++;
    stats.bytesOut += frame.length;
    env.sendStream(to, frame);
  }

  private void gossipTick(long late) {
    if (phase == Phase.STOPPED) {
      return;
    }
    timers.schedule(now() + config.gossipIntervalMs, this::gossipTick);
    gossipNow();
  }

  /** One round of gossip to {@code gossipNodes} random members (live, or recently dead). */
  private void gossipNow() {
    if (broadcasts.isEmpty()) {
      return;
    }
    long now = now();
    List<Member> targets = table.pickRandom(config.gossipNodes, m -> m != selfMember
        && (m.state.isLive() || now - m.stateSince < config.gossipToTheDeadMs), env.random());
    int limit = retransmitLimit();
    for (Member t : targets) {
      List<byte[]> entries = broadcasts.take(config.maxPacketSize, limit);
      if (entries.isEmpty()) {
        break;
      }
      transmit(t.address, entries);
    }
  }

  /** Forgets tombstones after their retention. */
  private void reap(long late) {
    if (phase == Phase.STOPPED) {
      return;
    }
    timers.schedule(now() + config.probeIntervalMs * 10, this::reap);
    long now = now();
    List<Member> expired = new ArrayList<>();
    for (Member m : table.all()) {
      long age = now - m.stateSince;
      if ((m.state == MemberState.DEAD && age > config.deadReapMs)
          || (m.state == MemberState.LEFT && age > config.leftTombstoneMs && m != selfMember)) {
        expired.add(m);
      }
    }
    for (Member m : expired) {
      table.remove(m);
    }
  }
}
