package org.vertxgossip.simulator.stores;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.membership.View;
import org.vertxgossip.replication.KeyedStores;
import org.vertxgossip.replication.ReplicationEnvironment;
import org.vertxgossip.replication.StoreConfig;

/**
 * One simulated member running the real replication core: it ticks every 50 ms, receives frames and views in
 * order, and can be paused (nothing runs; what arrives waits, and its clock jumps on resume), killed, or stopped.
 */
final class StoreSimNode implements ReplicationEnvironment {

  static final long TICK_US = 50_000;

  final int number;
  final NodeId id;
  final NodeAddress address;
  final KeyedStores stores;
  private final EventQueue events;
  private final SimNetwork network;
  private final StoreSimulation sim;
  private final Random random;
  private final long skewMs;
  private final List<Runnable> backlog = new ArrayList<>();
  private View lastView;
  boolean paused;
  boolean dead;
  boolean alwaysSuccessor;

  StoreSimNode(int number, StoreSimulation sim, EventQueue events, SimNetwork network, long seed, long skewMs,
               StoreConfig config) {
    this.number = number;
    this.id = new NodeId(0, number);
    this.address = new NodeAddress("10.9.0." + number, 7946);
    this.sim = sim;
    this.events = events;
    this.network = network;
    this.random = new Random(seed);
    this.skewMs = skewMs;
    this.stores = new KeyedStores(id, address, config, this);
    events.after(random.nextInt((int) TICK_US), this::tick);
  }

  private void tick() {
    if (dead) {
      return;
    }
    if (!paused) {
      stores.tick();
    }
    events.after(TICK_US, this::tick);
  }

  /** Runs {@code action} on this node now, or once it resumes; never once it is dead. */
  void run(Runnable action) {
    if (dead) {
      return;
    }
    if (paused) {
      backlog.add(action);
    } else {
      action.run();
    }
  }

  void receive(byte[] frame) {
    run(() -> stores.onFrame(frame));
  }

  void deliver(View view) {
    run(() -> {
      boolean successor = alwaysSuccessor;
      if (lastView != null && lastView.id() == view.id() - 1) {
        List<NodeId> removed = new ArrayList<>(lastView.members());
        removed.removeAll(view.members());
        List<NodeId> added = new ArrayList<>(view.members());
        added.removeAll(lastView.members());
        successor |= lastView.successor(removed, added).hash() == view.hash();
      }
      lastView = view;
      stores.viewChanged(view.id(), view.hash(), view.members(), successor);
    });
  }

  void resume() {
    paused = false;
    List<Runnable> waiting = new ArrayList<>(backlog);
    backlog.clear();
    waiting.forEach(Runnable::run);
  }

  void kill() {
    dead = true;
    backlog.clear();
    stores.release();
  }

  @Override
  public long now() {
    return events.now() / 1000;
  }

  @Override
  public long wallTime() {
    return 1_700_000_000_000L + events.now() / 1000 + skewMs;
  }

  @Override
  public Random random() {
    return random;
  }

  @Override
  public void send(NodeAddress to, byte[] frame) {
    if (!dead) {
      network.send(this, to, frame);
    }
  }

  @Override
  public NodeAddress addressOf(NodeId member) {
    StoreSimNode n = sim.node(member);
    return n == null ? null : n.address;
  }

  @Override
  public boolean isLive(NodeId member) {
    StoreSimNode n = sim.node(member);
    return n != null && !n.dead;
  }
}
