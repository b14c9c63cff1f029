package org.vertxgossip.simulator.stores;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.vertxgossip.membership.NodeAddress;

/**
 * The replication lane between simulated members: one ordered stream per pair (TCP), a delay per frame, links that
 * can be cut (frames are lost, as when a connection breaks), and random loss (the transport dropping frames under
 * pressure). Times are virtual microseconds.
 *
 * <p>A member cut off for less than the removal bound ({@link #isolate}) keeps its connections, as TCP does: what
 * cannot get through waits in the sender's socket and goes out at its next retransmission after the heal, up to
 * {@link #MAX_BACKOFF_US} later, each link on its own timer. A one-way cut (into the member) lets the first
 * {@link #WINDOW} frames it sends on a link through, since only the acknowledgements are lost; the rest wait. So
 * after a cut a copy of a request sent long ago can arrive behind frames other links carried since.
 */
final class SimNetwork {

  private final EventQueue events;
  private final Random random;
  private final Map<NodeAddress, StoreSimNode> nodes = new HashMap<>();
  private final Map<String, Long> lastArrival = new HashMap<>();
  private final Set<String> cut = new HashSet<>();
  /** TCP's congestion window, in frames: what a sender gets through before it waits for acknowledgements. */
  static final int WINDOW = 10;
  /** The longest wait for the next retransmission after a heal (backoff doubled through a cut of up to 2 s). */
  static final long MAX_BACKOFF_US = 1_600_000;
  /** Members cut off, each with whether only what goes into it is cut (its own frames then stall once sent). */
  private final Map<NodeAddress, Boolean> isolated = new HashMap<>();
  /** Frames a one-way cut member sent on each link since the cut. */
  private final Map<String, Integer> stalled = new HashMap<>();
  private final Map<String, List<Waiting>> waiting = new HashMap<>();

  private record Waiting(StoreSimNode target, byte[] frame) {
  }
  double loss;
  long sent;
  long dropped;

  SimNetwork(EventQueue events, Random random) {
    this.events = events;
    this.random = random;
  }

  void add(StoreSimNode node) {
    nodes.put(node.address, node);
  }

  void send(StoreSimNode from, NodeAddress to, byte[] frame) {
    sent++;
    StoreSimNode target = nodes.get(to);
    String link = from.address + ">" + to;
    Boolean fromOneWay = isolated.get(from.address);
    boolean waits = isolated.containsKey(to) || Boolean.FALSE.equals(fromOneWay)
        || Boolean.TRUE.equals(fromOneWay) && stalled.merge(link, 1, Integer::sum) > WINDOW;
    if (target != null && waits) {
      waiting.computeIfAbsent(link, k -> new ArrayList<>()).add(new Waiting(target, frame));
      return;
    }
    if (target == null || cut.contains(link) || (loss > 0 && random.nextDouble() < loss)) {
      dropped++;
      return;
    }
    long at = Math.max(events.now() + 100 + random.nextInt(900), lastArrival.getOrDefault(link, 0L) + 1);
    lastArrival.put(link, at);
    events.at(at, () -> target.receive(frame));
  }

  /** Cuts (or heals) both directions between {@code a} and {@code b}. */
  void cutBetween(StoreSimNode a, StoreSimNode b, boolean cutOff) {
    String ab = a.address + ">" + b.address;
    String ba = b.address + ">" + a.address;
    if (cutOff) {
      cut.add(ab);
      cut.add(ba);
    } else {
      cut.remove(ab);
      cut.remove(ba);
    }
  }

  /**
   * Cuts off (or heals) {@code a} from every other member, members that join meanwhile included, both ways or only
   * into {@code a}: frames wait rather than being lost (see the class comment); at the heal each link between
   * members no longer cut off sends what waited after its own backoff.
   */
  void isolate(StoreSimNode a, boolean cutOff, boolean oneWay) {
    if (cutOff) {
      isolated.put(a.address, oneWay);
      return;
    }
    if (isolated.remove(a.address) == null) {
      return;
    }
    stalled.keySet().removeIf(l -> l.startsWith(a.address + ">"));
    for (NodeAddress other : new ArrayList<>(nodes.keySet())) {
      if (!other.equals(a.address) && !isolated.containsKey(other)) {
        release(a.address + ">" + other);
        release(other + ">" + a.address);
      }
    }
  }

  /** Whether {@code n} is cut off now. */
  boolean isolated(StoreSimNode n) {
    return isolated.containsKey(n.address);
  }

  private void release(String link) {
    List<Waiting> frames = waiting.remove(link);
    if (frames == null) {
      return;
    }
    long at = events.now() + random.nextInt((int) MAX_BACKOFF_US);
    for (Waiting w : frames) {
      at = Math.max(at, lastArrival.getOrDefault(link, 0L) + 1);
      lastArrival.put(link, at);
      events.at(at, () -> w.target().receive(w.frame()));
    }
  }

}
