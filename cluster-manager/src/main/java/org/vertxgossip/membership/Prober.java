package org.vertxgossip.membership;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vertxgossip.membership.wire.Message;
import org.vertxgossip.membership.wire.Message.Ack;
import org.vertxgossip.membership.wire.Message.IndirectPing;
import org.vertxgossip.membership.wire.Message.Nack;
import org.vertxgossip.membership.wire.Message.Ping;
import org.vertxgossip.membership.wire.Message.StreamAck;
import org.vertxgossip.membership.wire.Message.StreamPing;
import org.vertxgossip.membership.wire.Message.Suspect;

/**
 * SWIM's failure detector with Lifeguard: one probe per (awareness-scaled) interval, round-robin over a shuffled
 * member list; a direct ping, then k indirect pings whose helpers nack, plus a stream ping as fallback; the buddy
 * system (a suspect hears the accusation in the ping itself); and pause detection from late timers.
 */
final class Prober {

  private static final int MAX_RELAYS = 1024;

  private final Membership core;
  private final ArrayList<NodeId> order = new ArrayList<>();
  private int cursor;
  private int nextSeq;
  private Probe current;
  private final Map<Integer, Relay> relays = new HashMap<>();
  /** After a pause this node accuses nobody for one interval: its own missed acks prove nothing. */
  private long suppressUntil;

  private static final class Probe {
    final int seq;
    final Member target;
    boolean acked;
    int expectedNacks;
    int nacks;
    TimerQueue.Timer directTimer;

    Probe(int seq, Member target) {
      this.seq = seq;
      this.target = target;
    }
  }

  private record Relay(int originalSeq, NodeAddress requester, TimerQueue.Timer nackTimer) {
  }

  Prober(Membership core) {
    this.core = core;
  }

  void start() {
    long first = core.now() + (long) (core.env.random().nextDouble() * core.config.probeIntervalMs);
    core.timers.schedule(first, this::tick);
  }

  /** A new member goes in at a random place, so that it is probed within one round (SWIM §4.3). */
  void added(Member m) {
    order.add(m.id);
    int last = order.size() - 1;
    int j = cursor + core.env.random().nextInt(Math.max(1, order.size() - cursor));
    if (j < last) {
      Collections.swap(order, j, last);
    }
  }

  /**
   * Each tick concludes the probe the previous tick started (its window is the interval between them), then starts
   * the next. A tick that runs late means this host was paused: that is noted once, and nobody is accused for it.
   */
  private void tick(long late) {
    if (core.isStopped()) {
      return;
    }
    MembershipConfig c = core.config;
    if (late > c.probeTimeoutMs / 2) {
      notePause();
    }
    if (current != null) {
      conclude(current);
    }
    // Scheduled after the verdict, so that the next interval is scaled by the health score it left.
    core.timers.schedule(core.now() + core.awareness.scale(c.probeIntervalMs), this::tick);
    if (core.isLeaving()) {
      return;
    }
    Member target = nextTarget();
    if (target != null) {
      probe(target);
    }
  }

  private void notePause() {
    core.stats.pausesDetected++;
    core.awareness.apply(+1);
    suppressUntil = core.now() + core.config.probeIntervalMs;
  }

  private Member nextTarget() {
    for (int tries = 0; tries <= order.size() + 1; tries++) {
      if (cursor >= order.size()) {
        reshuffle();
        if (order.isEmpty()) {
          return null;
        }
      }
      Member m = core.table.get(order.get(cursor++));
      if (m != null && m != core.selfMember && m.state.isLive()) {
        return m;
      }
    }
    return null;
  }

  private void reshuffle() {
    order.clear();
    for (Member m : core.table.all()) {
      if (m != core.selfMember && m.state.isLive()) {
        order.add(m.id);
      }
    }
    Collections.shuffle(order, core.env.random());
    cursor = 0;
  }

  private void probe(Member target) {
    Probe p = new Probe(nextSeq++, target);
    current = p;
    core.stats.probes++;
    List<Message> msgs = new ArrayList<>(2);
    if (target.state == MemberState.SUSPECT) {
      // Buddy system. The accusation goes first, so that the refutation rides on the ack.
      msgs.add(new Suspect(target.id, target.incarnation, core.self));
    }
    msgs.add(ping(p.seq, target.id));
    core.sendPacket(target.address, msgs);
    long now = core.now();
    p.directTimer = core.timers.schedule(now + core.awareness.scale(core.config.probeTimeoutMs),
        late -> directTimeout(p));
  }

  private void directTimeout(Probe p) {
    if (p != current || p.acked) {
      return;
    }
    Member t = p.target;
    List<Member> helpers = core.table.pickRandom(core.config.indirectChecks,
        m -> m != core.selfMember && m != t && m.state == MemberState.ALIVE, core.env.random());
    p.expectedNacks = helpers.size();
    for (Member h : helpers) {
      core.sendPacket(h.address, List.of(new IndirectPing(p.seq, t.id, t.address, core.self, core.address)));
    }
    if (core.config.streamFallback) {
      core.sendStream(t.address, new StreamPing(p.seq, t.id, core.self, core.address));
    }
  }

  /** The verdict on a probe whose window has ended: no ack means suspicion, unless this node was the one paused. */
  private void conclude(Probe p) {
    finish(p);
    if (p.acked || core.now() < suppressUntil || core.isLeaving()) {
      return;
    }
    core.stats.probeFailures++;
    if (p.expectedNacks > 0) {
      core.awareness.apply(p.expectedNacks - p.nacks);
    } else {
      core.awareness.apply(+1);
    }
    core.rules.suspectFromProbe(p.target);
  }

  private void finish(Probe p) {
    if (p.directTimer != null) {
      p.directTimer.cancel();
    }
    if (current == p) {
      current = null;
    }
  }

  private void acked(Probe p, NodeId responder) {
    if (!responder.equals(p.target.id)) {
      // Someone else now answers at that address: the member we probed is gone.
      finish(p);
      core.rules.strongEvidence(p.target);
      return;
    }
    p.acked = true;
    core.awareness.apply(-1);
    finish(p);
  }

  /**
   * A last look at a suspect before an unconfirmed suspicion ends it: the accusation and a ping, twice, so that a
   * member that missed its refutation's gossip (gossip leaves a residue) hears the answer on the ack.
   */
  void verify(Member m) {
    for (int i = 0; i < 2; i++) {
      long at = core.now() + i * core.config.probeTimeoutMs;
      core.timers.schedule(at, late -> {
        if (m.state == MemberState.SUSPECT) {
          core.sendPacket(m.address, List.of(new Suspect(m.id, m.incarnation, core.self),
              ping(nextSeq++, m.id)));
        }
      });
    }
  }

  private Ping ping(int seq, NodeId target) {
    return new Ping(seq, target, core.self, core.address, core.views.currentId(), core.views.currentHash());
  }

  void onPing(Ping ping) {
    core.sendPacket(ping.sourceAddress(), List.of(new Ack(ping.seq(), core.self, core.views.currentId(),
        core.views.currentHash())));
    core.views.onPeerView(ping.sourceAddress(), ping.viewId(), ping.viewHash());
  }

  void onIndirectPing(IndirectPing ip) {
    if (relays.size() >= MAX_RELAYS) {
      core.stats.relaysRefused++;
      return;
    }
    int seq = nextSeq++;
    long nackAt = core.now() + (long) (core.config.nackRatio * core.config.probeTimeoutMs);
    TimerQueue.Timer timer = core.timers.schedule(nackAt, late -> {
      if (relays.remove(seq) != null) {
        core.sendPacket(ip.requesterAddress(), List.of(new Nack(ip.seq())));
      }
    });
    relays.put(seq, new Relay(ip.seq(), ip.requesterAddress(), timer));
    core.sendPacket(ip.targetAddress(), List.of(ping(seq, ip.target())));
  }

  void onAck(Ack ack) {
    Relay relay = relays.remove(ack.seq());
    if (relay != null) {
      relay.nackTimer().cancel();
      core.sendPacket(relay.requester(), List.of(new Ack(relay.originalSeq(), ack.source(), ack.viewId(),
          ack.viewHash())));
      return;
    }
    if (current != null && current.seq == ack.seq()) {
      acked(current, ack.source());
    }
    Member responder = core.table.get(ack.source());
    if (responder != null) {
      core.views.onPeerView(responder.address, ack.viewId(), ack.viewHash());
    }
  }

  void onNack(Nack nack) {
    if (current != null && current.seq == nack.seq()) {
      current.nacks++;
    }
  }

  void onStreamPing(StreamPing sp) {
    core.sendStream(sp.sourceAddress(), new StreamAck(sp.seq(), core.self));
  }

  void onStreamAck(StreamAck ack) {
    if (current != null && current.seq == ack.seq()) {
      // Only the stream got through: datagrams are being lost on this path.
      core.stats.streamOnlyAcks++;
      acked(current, ack.source());
    }
  }

  /**
   * A connection to {@code address} was closed from the other end (a process that exits closes its sockets): a
   * stream ping at once, whose refusal (nothing listens any more) is the strong evidence {@link #onRefused} takes.
   */
  void checkNow(NodeAddress address) {
    Member m = liveMemberAt(address);
    if (m != null) {
      core.stats.connectionChecks++;
      core.sendStream(m.address, new StreamPing(nextSeq++, m.id, core.self, core.address));
    }
  }

  /** A refused stream to {@code address}: whichever live member lives there is gone. */
  void onRefused(NodeAddress address) {
    if (current != null && current.target.address.equals(address)) {
      Member t = current.target;
      finish(current);
      core.rules.strongEvidence(t);
      return;
    }
    Member m = liveMemberAt(address);
    if (m != null) {
      core.rules.strongEvidence(m);
    }
  }

  /** The live member (other than this node) that lives at {@code address}, or null. */
  private Member liveMemberAt(NodeAddress address) {
    for (Member m : core.table.all()) {
      if (m.state.isLive() && m.address.equals(address) && m != core.selfMember) {
        return m;
      }
    }
    return null;
  }
}
