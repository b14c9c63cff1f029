package org.vertxgossip.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Function;
import org.vertxgossip.membership.MembershipConfig;
import org.vertxgossip.membership.NodeAddress;

/**
 * A discrete-event world in virtual microseconds: N nodes running the real membership core, and a simulated
 * network between them. Deterministic for a given seed: one Random drives everything, events at the same time run
 * in the order they were scheduled.
 */
final class Simulation {

  private static final class Event implements Comparable<Event> {
    final long at;
    final long seq;
    final Runnable action;

    Event(long at, long seq, Runnable action) {
      this.at = at;
      this.seq = seq;
      this.action = action;
    }

    @Override
    public int compareTo(Event o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  final Random random;
  final MembershipConfig config;
  final NetworkModel network;
  final List<SimNode> nodes = new ArrayList<>();
  private final java.util.Map<org.vertxgossip.membership.NodeId, Integer> indexById = new java.util.HashMap<>();
  final Recorder recorder;
  final SharedInstances shared = new SharedInstances();
  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private long seq;
  private long nowUs;

  Simulation(long seed, MembershipConfig config, NetworkModel network) {
    this.random = new Random(seed);
    this.config = config;
    this.network = network;
    this.recorder = new Recorder(this);
  }

  long nowUs() {
    return nowUs;
  }

  long nowMs() {
    return nowUs / 1000;
  }

  void at(long atUs, Runnable action) {
    events.add(new Event(Math.max(atUs, nowUs), seq++, action));
  }

  void after(long delayUs, Runnable action) {
    at(nowUs + delayUs, action);
  }

  /** Runs events until {@code untilUs} (virtual); the clock ends there. */
  void runUntil(long untilUs) {
    Event e;
    while ((e = events.peek()) != null && e.at <= untilUs) {
      events.poll();
      nowUs = e.at;
      e.action.run();
    }
    nowUs = Math.max(nowUs, untilUs);
  }

  /** Runs until {@code done} holds (checked every {@code stepMs}) or {@code limitUs}; returns whether it held. */
  boolean runUntil(java.util.function.BooleanSupplier done, long stepMs, long limitUs) {
    while (nowUs < limitUs) {
      if (done.getAsBoolean()) {
        return true;
      }
      runUntil(Math.min(limitUs, nowUs + stepMs * 1000));
    }
    return done.getAsBoolean();
  }

  static NodeAddress addressOf(int index) {
    return new NodeAddress("10." + ((index >> 16) & 255) + "." + ((index >> 8) & 255) + "." + (index & 255), 7946);
  }

  /** Adds {@code n} nodes (not started). */
  void addNodes(int n, Function<Integer, MembershipConfig> configFor) {
    for (int i = 0; i < n; i++) {
      int index = nodes.size();
      SimNode node = new SimNode(this, index, configFor.apply(index));
      nodes.add(node);
      indexById.put(node.id, index);
    }
  }

  SimNode node(org.vertxgossip.membership.NodeId id) {
    Integer index = indexById.get(id);
    return index == null ? null : nodes.get(index);
  }

  SimNode node(NodeAddress a) {
    String[] p = a.host().split("\\.");
    int index = (Integer.parseInt(p[1]) << 16) | (Integer.parseInt(p[2]) << 8) | Integer.parseInt(p[3]);
    return index < nodes.size() ? nodes.get(index) : null;
  }
}
