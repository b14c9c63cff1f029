package org.vertxgossip.simulator;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import org.vertxgossip.membership.Canonicalizer;
import org.vertxgossip.membership.Membership;
import org.vertxgossip.membership.MembershipConfig;
import org.vertxgossip.membership.MembershipEnvironment;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.membership.StreamFailure;

/**
 * One simulated host running the real {@link Membership}. Its host can be up, paused (timers and inbound traffic
 * frozen, then delivered late), crashed (silent: nothing answers) or killed (the host answers, the process is gone:
 * stream connections are refused).
 */
final class SimNode implements MembershipEnvironment {

  enum Status { IDLE, UP, PAUSED, CRASHED, KILLED, LEFT }

  /** UDP/IP headers per datagram and TCP/IP headers per frame, counted in the byte figures. */
  static final int UDP_OVERHEAD = 28;
  static final int TCP_OVERHEAD = 52;
  /** A paused host's socket buffer: datagrams beyond it are dropped. */
  private static final int PAUSE_BUFFER = 1000;

  final Simulation sim;
  final int index;
  final NodeAddress address;
  final NodeId id;
  final Membership membership;
  Status status = Status.IDLE;
  long bytesSent;
  long bytesReceived;
  long packetsSent;
  /** The largest datagram this node sent, in bytes (without headers). */
  int maxPacket;
  private long wakeToken;
  private boolean wakeDeferred;
  private final ArrayDeque<Runnable> pausedInbox = new ArrayDeque<>();

  SimNode(Simulation sim, int index, MembershipConfig config) {
    this.sim = sim;
    this.index = index;
    this.address = sim.shared.address(Simulation.addressOf(index));
    this.id = sim.shared.id(NodeId.random(sim.random));
    this.membership = new Membership(id, address, new byte[0], config, this, sim.recorder.listenerFor(this));
  }

  void start(List<NodeAddress> seeds) {
    status = Status.UP;
    sim.recorder.started(this);
    membership.start(seeds);
  }

  boolean isUp() {
    return status == Status.UP;
  }

  /** Alive as a process (up or paused): its view still counts for agreement checks when up. */
  boolean isRunning() {
    return status == Status.UP || status == Status.PAUSED;
  }

  void crash() {
    status = Status.CRASHED;
    pausedInbox.clear();
  }

  void kill() {
    status = Status.KILLED;
    pausedInbox.clear();
  }

  void pause() {
    if (status == Status.UP) {
      status = Status.PAUSED;
    }
  }

  void resume() {
    if (status != Status.PAUSED) {
      return;
    }
    status = Status.UP;
    while (!pausedInbox.isEmpty() && status == Status.UP) {
      pausedInbox.poll().run();
    }
    if (wakeDeferred) {
      wakeDeferred = false;
      membership.onTimer();
    }
  }

  void leave() {
    membership.leave();
  }

  // ---- MembershipEnvironment ------------------------------------------------------------------------------------

  @Override
  public Canonicalizer canonicalizer() {
    return sim.shared;
  }

  @Override
  public long now() {
    return sim.nowMs();
  }

  @Override
  public Random random() {
    return sim.random;
  }

  @Override
  public void wakeAt(long timeMs) {
    long token = ++wakeToken;
    sim.at(timeMs * 1000, () -> {
      if (token != wakeToken) {
        return;
      }
      if (status == Status.PAUSED) {
        wakeDeferred = true;
      } else if (status == Status.UP) {
        membership.onTimer();
      }
    });
  }

  @Override
  public void sendPacket(NodeAddress to, byte[] packet) {
    if (status != Status.UP) {
      return;
    }
    int wire = packet.length + UDP_OVERHEAD;
    bytesSent += wire;
    packetsSent++;
    maxPacket = Math.max(maxPacket, packet.length);
    sim.recorder.packetSent();
    SimNode dest = sim.node(to);
    NetworkModel net = sim.network;
    if (dest == null || net.blocked(index, dest.index) || net.lost(sim.random)) {
      return;
    }
    sim.after(net.delayUs(index, dest.index, sim.random), () -> dest.receive(() -> {
      dest.bytesReceived += wire;
      dest.membership.onPacket(address, packet);
    }, true));
  }

  @Override
  public void sendStream(NodeAddress to, byte[] frame) {
    if (status != Status.UP) {
      return;
    }
    int wire = frame.length + TCP_OVERHEAD;
    bytesSent += wire;
    SimNode dest = sim.node(to);
    NetworkModel net = sim.network;
    if (dest == null || net.blocked(index, dest.index) || net.blocked(dest.index, index)) {
      return;
    }
    if (dest.status == Status.KILLED || dest.status == Status.LEFT || dest.status == Status.IDLE) {
      // Nothing listens (not started yet, or gone): the refusal comes back the way the SYN went (one draw: figures
      // stay comparable across versions).
      // A sender paused meanwhile reads it when it resumes, as a process reads what its socket got.
      long rtt = 2 * net.delayUs(index, dest.index, sim.random);
      sim.after(rtt, () -> receive(() -> membership.onStreamFailed(to, StreamFailure.REFUSED), false));
      return;
    }
    sim.after(net.streamDelayUs(index, dest.index, sim.random), () -> dest.receive(() -> {
      dest.bytesReceived += wire;
      dest.membership.onStream(frame);
    }, false));
  }

  private void receive(Runnable delivery, boolean datagram) {
    switch (status) {
      case UP -> delivery.run();
      case PAUSED -> {
        if (!datagram || pausedInbox.size() < PAUSE_BUFFER) {
          pausedInbox.add(delivery);
        }
      }
      default -> {
      }
    }
  }
}
