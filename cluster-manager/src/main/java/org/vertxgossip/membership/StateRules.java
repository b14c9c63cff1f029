package org.vertxgossip.membership;

import java.util.Arrays;
import java.util.List;
import org.vertxgossip.membership.wire.Message.Alive;
import org.vertxgossip.membership.wire.Message.Dead;
import org.vertxgossip.membership.wire.Message.Suspect;
import org.vertxgossip.membership.wire.MessageCodec;

/**
 * The precedence rules of SWIM with incarnations: alive(i) beats suspect/dead only if i is newer; suspect(i)
 * applies to a live member if i is at least as new; dead(i) applies if i is at least as new; LEFT is terminal.
 * A node that hears itself accused refutes with a higher incarnation. Also owns the suspicion timers.
 */
final class StateRules {

  private final Membership core;

  StateRules(Membership core) {
    this.core = core;
  }

  void onAlive(Alive a) {
    applyAlive(a.node(), a.incarnation(), a.address(), a.meta(), true);
  }

  void onSuspect(Suspect s) {
    applySuspect(s.node(), s.incarnation(), s.from());
  }

  /**
   * {@code gossipIfNew}: whether a member first heard of here is news worth gossiping. It is when the member itself
   * speaks (its own alive, push-pull or join request); it is not for the rest of a peer's table, which the cluster
   * already knows: re-gossiping it would make every joiner flood the cluster with its whole table.
   */
  void applyAlive(NodeId node, int inc, NodeAddress address, byte[] meta, boolean gossipIfNew) {
    if (node.equals(core.self)) {
      Member me = core.selfMember;
      if (inc > me.incarnation || (inc == me.incarnation && !(address.equals(me.address) && Arrays.equals(meta, me.meta)))) {
        refute(inc);
      }
      return;
    }
    Member m = core.table.get(node);
    long now = core.now();
    boolean gossip = true;
    if (m == null) {
      m = core.table.add(node, address, inc, MemberState.ALIVE, meta, now);
      core.prober.added(m);
      gossip = gossipIfNew;
    } else {
      if (m.state == MemberState.LEFT || inc <= m.incarnation) {
        return;
      }
      cancelSuspicion(m);
      core.table.update(m, inc, MemberState.ALIVE, address, meta, now);
    }
    if (gossip) {
      core.broadcast(node, new Alive(node, inc, address, meta));
    }
    core.listener.memberChanged(m.toRecord());
  }

  void applySuspect(NodeId node, int inc, NodeId from) {
    if (node.equals(core.self)) {
      answerAccusation(inc);
      return;
    }
    Member m = core.table.get(node);
    if (m == null || !m.state.isLive() || inc < m.incarnation) {
      return;
    }
    if (m.state == MemberState.SUSPECT && m.suspicion != null && m.suspicion.incarnation == inc) {
      if (m.suspicion.confirm(from)) {
        core.stats.confirmations++;
        schedule(m);
        core.broadcast(node, new Suspect(node, inc, from));
      }
      return;
    }
    startSuspicion(m, inc, from);
    core.broadcast(node, new Suspect(node, inc, from));
  }

  /** This node's own probe of {@code m} failed. */
  void suspectFromProbe(Member m) {
    if (m.state.isLive()) {
      applySuspect(m.id, m.incarnation, core.self);
    }
  }

  /**
   * A refused connection (or another node answering at the member's address): strong evidence that the process is
   * gone. The suspicion still gives the member a chance to refute, but ends after the shorter fast-path timeout.
   */
  void strongEvidence(Member m) {
    if (core.config.refusedSuspicionMs < 0 || !m.state.isLive() || m == core.selfMember) {
      return;
    }
    core.stats.refusedEvidence++;
    if (m.state == MemberState.ALIVE || m.suspicion == null) {
      applySuspect(m.id, m.incarnation, core.self);
    }
    if (m.suspicion != null) {
      m.suspicion.capAt(core.now() + core.config.refusedSuspicionMs);
      schedule(m);
    }
  }

  private void startSuspicion(Member m, int inc, NodeId from) {
    cancelSuspicion(m);
    int n = Math.max(1, core.table.liveCount());
    MembershipConfig c = core.config;
    long now = core.now();
    m.suspicion = new Suspicion(inc, from, now, c.suspicionMinMs(n), c.suspicionMaxMs(n), c.confirmationsWanted(n));
    core.table.update(m, inc, MemberState.SUSPECT, m.address, m.meta, now);
    core.stats.suspicions++;
    schedule(m);
    core.listener.memberChanged(m.toRecord());
  }

  private void schedule(Member m) {
    Suspicion s = m.suspicion;
    if (s.timer != null) {
      s.timer.cancel();
    }
    s.timer = core.timers.schedule(s.deadline(), late -> expired(m, s));
  }

  private void expired(Member m, Suspicion s) {
    if (m.suspicion != s || m.state != MemberState.SUSPECT || core.isStopped()) {
      return;
    }
    if (!s.confirmed() && !s.verified) {
      s.verified = true;
      core.stats.verifications++;
      core.prober.verify(m);
      s.timer = core.timers.schedule(core.now() + core.config.probeIntervalMs, late -> expired(m, s));
      return;
    }
    m.suspicion = null;
    core.table.update(m, s.incarnation, MemberState.DEAD, m.address, m.meta, core.now());
    Dead dead = new Dead(m.id, s.incarnation, core.self);
    core.broadcast(m.id, dead);
    core.stats.deadDeclared++;
    core.listener.declaredDead(m.id, s.incarnation);
    core.listener.memberChanged(m.toRecord());
    core.views.memberDown(dead);
  }

  private static void cancelSuspicion(Member m) {
    if (m.suspicion != null) {
      if (m.suspicion.timer != null) {
        m.suspicion.timer.cancel();
      }
      m.suspicion = null;
    }
  }

  void onDead(Dead d) {
    if (d.node().equals(core.self)) {
      if (!d.isLeave()) {
        answerAccusation(d.incarnation());
      }
      return;
    }
    Member m = core.table.get(d.node());
    if (m == null || m.state == MemberState.LEFT || d.incarnation() < m.incarnation
        || (m.state == MemberState.DEAD && !d.isLeave())) {
      return;
    }
    cancelSuspicion(m);
    core.table.update(m, d.incarnation(), d.isLeave() ? MemberState.LEFT : MemberState.DEAD, m.address, m.meta, core.now());
    core.broadcast(m.id, d);
    core.listener.memberChanged(m.toRecord());
    core.views.memberDown(d);
  }

  /**
   * Push-pull merge. A peer's "suspect" or "dead" about a member we hold live is not evidence of our own (after a
   * partition heals, each side holds the other dead): we tell the accused directly, so that it refutes, and change
   * nothing here. memberlist takes such records as suspicions confirmed by the peer, which after a heal lets
   * hundreds of peers "confirm" in seconds and removes healthy members of one's own side. Unknown tombstones are
   * recorded.
   */
  void merge(MemberRecord r, MergeBudget budget, boolean fromItself) {
    if (r.id().equals(core.self)) {
      switch (r.state()) {
        case ALIVE -> applyAlive(r.id(), r.incarnation(), r.address(), r.meta(), false);
        case SUSPECT, DEAD -> answerAccusation(r.incarnation());
        case LEFT -> {
        }
      }
      return;
    }
    Member m = core.table.get(r.id());
    if (m == null) {
      if (r.state().isLive()) {
        applyAlive(r.id(), r.incarnation(), r.address(), r.meta(), fromItself);
      } else {
        core.table.add(r.id(), r.address(), r.incarnation(), r.state(), r.meta(), core.now());
      }
      return;
    }
    switch (r.state()) {
      case ALIVE -> applyAlive(r.id(), r.incarnation(), r.address(), r.meta(), fromItself);
      case SUSPECT, DEAD -> {
        if (m.state.isLive() && r.incarnation() >= m.incarnation && budget.take()) {
          core.sendPacket(m.address, List.of(new Suspect(m.id, r.incarnation(), core.self)));
        }
      }
      case LEFT -> onDead(new Dead(r.id(), r.incarnation(), r.id()));
    }
  }

  /** Caps the accusations one merge forwards, so that a large merge is not a burst of hundreds of datagrams. */
  static final class MergeBudget {
    private int left;

    MergeBudget(int left) {
      this.left = left;
    }

    boolean take() {
      return left-- > 0;
    }
  }

  /**
   * An accusation of this node: a current one is refuted; a stale one (someone still suspects an incarnation we
   * already refuted, having missed the refutation) gets our current record again, to ride on our next packets.
   */
  private void answerAccusation(int accused) {
    Member me = core.selfMember;
    if (accused >= me.incarnation) {
      refute(accused);
    } else if (!core.isLeaving() && core.broadcasts.transmitsOf(core.self) < 0) {
      announceSelf();
    }
  }

  /** Answers an accusation: a higher incarnation, gossiped, and a note to self that we may be the slow one. */
  void refute(int accused) {
    if (core.isLeaving()) {
      return;
    }
    Member me = core.selfMember;
    core.awareness.apply(+1);
    core.stats.refutations++;
    // Saturating: the codec refuses incarnations above the maximum, so this one can never overflow either.
    reincarnate(Math.min(MessageCodec.MAX_INCARNATION, Math.max(me.incarnation, accused) + 1), me.meta);
  }

  /** New metadata goes out with a new incarnation, which is what versions it. */
  void announceMeta(byte[] meta) {
    reincarnate(Math.min(MessageCodec.MAX_INCARNATION, core.selfMember.incarnation + 1), meta);
  }

  private void reincarnate(int incarnation, byte[] meta) {
    Member me = core.selfMember;
    core.table.update(me, incarnation, MemberState.ALIVE, me.address, meta, core.now());
    announceSelf();
  }

  /** Queues this node's own alive record (replacing any older news about it). */
  private void announceSelf() {
    Member me = core.selfMember;
    core.broadcast(core.self, new Alive(core.self, me.incarnation, me.address, me.meta));
  }
}
