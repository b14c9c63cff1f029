package org.vertxgossip.registry;

import io.vertx.core.spi.cluster.NodeInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Callers waiting for the NodeInfo of a node whose state has not reached this node yet. A message from a node can
 * arrive before its state does: views reach members at slightly different moments, and a node sends a member its
 * state only once its own view admits that member. The reply needs the sender's address. Bounded in number; not
 * thread-safe (its {@link RegistrationTable} guards it).
 */
final class NodeInfoWaiters {

  static final int MAX_WAITERS = 10_000;

  private final Map<String, List<Consumer<NodeInfo>>> byNode = new HashMap<>();
  private int count;

  /** Adds a waiter; false when too many already wait. */
  boolean add(String nodeId, Consumer<NodeInfo> waiter) {
    if (count >= MAX_WAITERS) {
      return false;
    }
    byNode.computeIfAbsent(nodeId, k -> new ArrayList<>(1)).add(waiter);
    count++;
    return true;
  }

  /** Removes a waiter that gave up. */
  void remove(String nodeId, Consumer<NodeInfo> waiter) {
    List<Consumer<NodeInfo>> list = byNode.get(nodeId);
    if (list != null && list.remove(waiter)) {
      count--;
      if (list.isEmpty()) {
        byNode.remove(nodeId);
      }
    }
  }

  /** The node's NodeInfo arrived: hands it to everyone waiting for it. */
  void arrived(String nodeId, NodeInfo info) {
    List<Consumer<NodeInfo>> list = byNode.remove(nodeId);
    if (list != null) {
      count -= list.size();
      list.forEach(w -> w.accept(info));
    }
  }
}
