package org.vertxgossip.replication;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.membership.View;

/**
 * Several replication cores wired through an in-memory network with a manual clock: frames queue in order and are
 * delivered when the test says, and links can be cut, which is what lets these tests pin down orderings.
 */
final class Harness {

  static final long ACK_TIMEOUT = 1_000;
  static final long ANTI_ENTROPY = 10_000;

  final Map<NodeId, Node> nodes = new LinkedHashMap<>();
  final Map<NodeAddress, Node> byAddress = new HashMap<>();
  final ArrayDeque<Frame> inFlight = new ArrayDeque<>();
  final Set<NodeId> isolated = new HashSet<>();
  final Random random = new Random(3);
  /** Nodes whose loop is stopped: they receive nothing and do not tick (frames to them wait). */
  final Set<NodeId> paused = new HashSet<>();
  /** Nodes killed: they receive nothing (frames to them are lost) and never tick again. */
  final Set<NodeId> dead = new HashSet<>();
  long viewIds;
  /** Frames matching this are held back (not delivered) until the test puts them in flight again. */
  java.util.function.Predicate<Frame> holdBack = f -> false;
  final List<Frame> heldBack = new ArrayList<>();
  long now = 1_000;
  long wall = 1_700_000_000_000L;

  record Frame(Node from, NodeAddress to, byte[] bytes) {
  }

  final class Node implements ReplicationEnvironment {
    final NodeId id;
    final NodeAddress address;
    final OwnedStates states;
    final KeyedStores stores;
    final Map<String, byte[]> seen = new HashMap<>();
    final List<List<Change>> changes = new ArrayList<>();
    /** Members whose record has not reached this node's membership yet: no address, not live. */
    final Set<NodeId> notYetKnown = new HashSet<>();
    View lastView;

    Node(int i, int minimumMembers, long pauseMs) {
      id = new NodeId(0, i);
      address = new NodeAddress("10.0.0." + i, 7946);
      states = new OwnedStates(id, address, new ReplicationConfig(ACK_TIMEOUT, ANTI_ENTROPY, 1 << 20), this,
          (owner, c) -> {
            changes.add(c);
            c.forEach(x -> {
              if (x.after() == null) {
                seen.remove(owner + "/" + x.key());
              } else {
                seen.put(owner + "/" + x.key(), x.after());
              }
            });
          });
      stores = new KeyedStores(id, address, new StoreConfig(ACK_TIMEOUT, ANTI_ENTROPY, 1 << 20, minimumMembers,
          3_600_000, pauseMs), this);
    }

    @Override
    public long now() {
      return now;
    }

    @Override
    public long wallTime() {
      return wall;
    }

    @Override
    public Random random() {
      return random;
    }

    @Override
    public void send(NodeAddress to, byte[] frame) {
      inFlight.add(new Frame(this, to, frame));
    }

    @Override
    public NodeAddress addressOf(NodeId member) {
      Node n = nodes.get(member);
      return n == null || notYetKnown.contains(member) ? null : n.address;
    }

    @Override
    public boolean isLive(NodeId member) {
      return nodes.containsKey(member) && !notYetKnown.contains(member);
    }

    /** This node's membership receives {@code other}'s record, as ClusterNode reports it to both cores. */
    void learn(Node other) {
      notYetKnown.remove(other.id);
      states.addressKnown(other.id);
      stores.addressKnown(other.id);
    }

    /** Installs view {@code id} of these members, as the membership delivers it (successor: one delta on). */
    void view(long id, List<NodeId> ids) {
      View v = View.of(id, ids);
      boolean successor = false;
      if (lastView != null && lastView.id() == id - 1) {
        List<NodeId> removed = new ArrayList<>(lastView.members());
        removed.removeAll(ids);
        List<NodeId> added = new ArrayList<>(ids);
        added.removeAll(lastView.members());
        successor = lastView.successor(removed, added).hash() == v.hash();
      }
      lastView = v;
      states.viewChanged(ids);
      stores.viewChanged(id, v.hash(), ids, successor);
    }

    /** Installs a view of these members, with an id one above this node's last (a lineage of its own). */
    void view(Node... members) {
      List<NodeId> ids = new ArrayList<>();
      for (Node m : members) {
        ids.add(m.id);
      }
      view(lastView == null ? 1 : lastView.id() + 1, ids);
    }
  }

  Harness(int n) {
    this(n, 0);
  }

  Harness(int n, int minimumMembers) {
    this(n, minimumMembers, 3_600_000);
  }

  Harness(int n, int minimumMembers, long pauseMs) {
    for (int i = 1; i <= n; i++) {
      Node node = new Node(i, minimumMembers, pauseMs);
      nodes.put(node.id, node);
      byAddress.put(node.address, node);
    }
  }

  /**
   * Three nodes: 1 and 2 in a view, then a view that admits 3 while node 1's membership has no record (no address)
   * of it yet, its gossip still on the way; every frame so far delivered.
   */
  static Harness thirdAdmittedBeforeFirstKnowsIt() {
    Harness h = new Harness(3);
    h.viewOf(1, 2);
    h.deliverAll();
    h.node(1).notYetKnown.add(h.node(3).id);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    return h;
  }

  Node node(int i) {
    return nodes.get(new NodeId(0, i));
  }

  /** Every node listed installs the next view of the given members (by number), in one lineage. */
  void viewOf(int... members) {
    List<NodeId> ids = new ArrayList<>();
    for (int m : members) {
      ids.add(node(m).id);
    }
    long id = ++viewIds;
    for (int m : members) {
      node(m).view(id, ids);
    }
  }

  /** Only node {@code on} installs view {@code id} of the given members (the others get it later, or never). */
  void viewOn(int on, long id, int... members) {
    List<NodeId> ids = new ArrayList<>();
    for (int m : members) {
      ids.add(node(m).id);
    }
    viewIds = Math.max(viewIds, id);
    node(on).view(id, ids);
  }

  /**
   * Submits on node {@code from} and runs the cluster (delivering, and letting time pass for retries) until the
   * answer comes, for at most {@code maxMs} of virtual time; the answers so far.
   */
  List<StoreResult> run(int from, StoreRequest q, long maxMs) {
    List<StoreResult> out = new ArrayList<>();
    node(from).stores.submit(q, 30_000, out::add);
    runUntil(() -> !out.isEmpty(), maxMs);
    return out;
  }

  /** Delivers and advances time in 10 ms steps until {@code done} or {@code maxMs} passed. */
  void runUntil(java.util.function.BooleanSupplier done, long maxMs) {
    long end = now + maxMs;
    deliverAll();
    while (!done.getAsBoolean() && now < end) {
      advance(10);
      deliverAll();
    }
  }

  /** Delivers frames until none is left; frames to or from an isolated node are lost, those to a paused one wait. */
  int deliverAll() {
    int n = 0;
    ArrayDeque<Frame> held = new ArrayDeque<>();
    while (!inFlight.isEmpty()) {
      Frame f = inFlight.peek();
      Node to = byAddress.get(f.to());
      if (to != null && paused.contains(to.id)) {
        held.add(inFlight.poll());
      } else if (holdBack.test(f)) {
        heldBack.add(inFlight.poll());
      } else if (deliverOne()) {
        n++;
      }
    }
    inFlight.addAll(held);
    return n;
  }

  /** Delivers everything except frames sent by {@code slow}, which stay queued, in order, for a later delivery. */
  void deliverAllExceptFrom(Node slow) {
    ArrayDeque<Frame> held = new ArrayDeque<>();
    while (!inFlight.isEmpty()) {
      if (inFlight.peek().from() == slow) {
        held.add(inFlight.poll());
      } else {
        deliverOne();
      }
    }
    inFlight.addAll(held);
  }

  /** Delivers the first frame in flight; false if it was lost (to or from an isolated node). */
  private boolean deliverOne() {
    Frame f = inFlight.poll();
    Node to = byAddress.get(f.to());
    if (to == null || isolated.contains(to.id) || isolated.contains(f.from().id) || dead.contains(to.id)) {
      return false;
    }
    if (KeyedStores.accepts(f.bytes())) {
      to.stores.onFrame(f.bytes());
    } else {
      to.states.onFrame(f.bytes());
    }
    return true;
  }

  /** Kills node {@code i}: frames to it are lost from now on, and it never runs again. */
  void kill(int i) {
    dead.add(node(i).id);
  }

  /** Drops the frames queued so far. */
  void dropInFlight() {
    inFlight.clear();
  }

  void advance(long ms) {
    now += ms;
    wall += ms;
    for (Node n : nodes.values()) {
      if (!paused.contains(n.id) && !dead.contains(n.id)) {
        n.states.tick();
        n.stores.tick();
      }
    }
  }
}
