package org.vertxgossip.simulator;

import java.util.HashMap;
import java.util.Map;
import org.vertxgossip.membership.Canonicalizer;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;

/**
 * One instance of each node id and address for the whole simulation, so that 10,000 nodes that each know 10,000
 * members hold references to shared objects rather than 10^8 private copies. Bounded by the number of nodes.
 */
final class SharedInstances implements Canonicalizer {

  private final Map<NodeId, NodeId> ids = new HashMap<>();
  private final Map<NodeAddress, NodeAddress> addresses = new HashMap<>();

  @Override
  public NodeId id(NodeId id) {
    return ids.computeIfAbsent(id, k -> k);
  }

  @Override
  public NodeAddress address(NodeAddress address) {
    return addresses.computeIfAbsent(address, k -> k);
  }
}
