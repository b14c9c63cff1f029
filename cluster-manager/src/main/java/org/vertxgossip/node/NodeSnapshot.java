package org.vertxgossip.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vertxgossip.membership.MemberRecord;
import org.vertxgossip.membership.Membership;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.membership.View;
import org.vertxgossip.replication.KeyedStores;
import org.vertxgossip.replication.OwnedStates;
import org.vertxgossip.transport.DropCounters;

/** A copy of one node's state for diagnostics, as plain maps and lists (JSON-ready). */
public record NodeSnapshot(Map<String, Object> content) {

  static NodeSnapshot stopped(NodeId id, String cluster, DropCounters drops) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nodeId", id.toString());
    m.put("clusterName", cluster);
    m.put("state", "stopped");
    m.put("dropped", dropsOf(drops));
    return new NodeSnapshot(m);
  }

  static NodeSnapshot of(NodeId id, String cluster, NodeAddress address, Membership membership, OwnedStates states,
                         KeyedStores stores, View view, boolean transferDone, ViewChanges viewChanges,
                         DropCounters drops, Map<String, Object> transport) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nodeId", id.toString());
    m.put("clusterName", cluster);
    m.put("address", String.valueOf(address));
    if (membership == null) {
      m.put("state", "binding");
      m.put("dropped", dropsOf(drops));
      return new NodeSnapshot(m);
    }
    m.put("state", membership.isStopped() ? "stopped" : membership.inView() ? "member" : "joining");
    m.put("viewId", view == null ? 0 : view.id());
    m.put("viewSize", view == null ? 0 : view.size());
    m.put("coordinator", view == null ? null : String.valueOf(view.coordinator()));
    m.put("healthScore", membership.healthScore());
    // Joined, and holding every node's owned state and every store: what a readiness check waits for.
    m.put("stateTransferDone", transferDone);
    m.put("viewChanges", viewChanges.toMap());
    List<Object> members = new ArrayList<>();
    Map<NodeId, Long> versions = states.versions();
    for (MemberRecord r : membership.members()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", r.id().toString());
      row.put("state", r.state().name());
      row.put("incarnation", r.incarnation());
      row.put("address", r.address().toString());
      row.put("inView", view != null && view.members().contains(r.id()));
      row.put("stateVersion", versions.get(r.id()));
      members.add(row);
    }
    m.put("members", members);
    Map<String, Object> dropped = dropsOf(drops);
    // Bodies that passed the envelope but did not decode are counted by the cores; one total for all.
    long malformed = membership.stats().malformed + membership.stats().oversize + states.stats().malformed()
        + (stores == null ? 0 : stores.stats().malformed());
    dropped.put("MALFORMED", malformed);
    dropped.put("UNKNOWN_TYPE", membership.stats().unknownTypes);
    dropped.put("total", drops.total() + malformed + membership.stats().unknownTypes);
    m.put("dropped", dropped);
    m.put("transport", transport);
    m.put("membership", new LinkedHashMap<>(membership.stats().toMap()));
    Map<String, Object> replication = new LinkedHashMap<>(states.stats().toMap());
    replication.put("pendingChanges", states.pendingChanges());
    replication.put("ownersHeld", states.ownersHeld());
    m.put("replication", replication);
    if (stores != null) {
      Map<String, Object> s = new LinkedHashMap<>(stores.stats().toMap());
      s.putAll(stores.sizes());
      m.put("stores", s);
    }
    return new NodeSnapshot(m);
  }

  private static Map<String, Object> dropsOf(DropCounters drops) {
    Map<String, Object> d = new LinkedHashMap<>();
    drops.toMap().forEach((k, v) -> d.put(k.name(), v));
    d.put("total", drops.total());
    return d;
  }
}
