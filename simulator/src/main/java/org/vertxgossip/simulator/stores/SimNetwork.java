package org.vertxgossip.simulator.stores;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.vertxgossip.membership.NodeAddress;

/**
 * The replication lane between simulated members: one ordered stream per pair (TCP), a delay per frame, links that
 * can be cut (frames are lost, as when a connection breaks), and random loss (the transport dropping frames under
 * pressure). Times are virtual microseconds.
 */
final class SimNetwork {

  private final EventQueue events;
  private final Random random;
  private final Map<NodeAddress, StoreSimNode> nodes = new HashMap<>();
  private final Map<String, Long> lastArrival = new HashMap<>();
  private final Set<String> cut = new HashSet<>();
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

  /** Cuts (or heals) both directions between {@code a} and every other member, or only into {@code a}. */
  void isolate(StoreSimNode a, boolean isolated, boolean oneWay) {
    for (NodeAddress other : nodes.keySet()) {
      if (other.equals(a.address)) {
        continue;
      }
      String in = other + ">" + a.address;
      String out = a.address + ">" + other;
      if (isolated) {
        cut.add(in);
        if (!oneWay) {
          cut.add(out);
        }
      } else {
        cut.remove(in);
        cut.remove(out);
      }
    }
  }
}
