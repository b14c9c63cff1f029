package org.vertxgossip.registry;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.replication.Change;
import org.vertxgossip.replication.OwnedStateListener;

/**
 * Every node's event-bus registrations and NodeInfo as the event bus reads them, built from the replicated owner
 * states plus this node's local-only registrations (which never leave it). Reads are lock-free from any thread;
 * writes come from the gossip loop (or, after leave, from the caller) one at a time. Each change fires
 * {@code registrationsUpdated} once per address, after the table holds the new list.
 */
public final class RegistrationTable implements OwnedStateListener {

  private static final System.Logger LOG = System.getLogger(RegistrationTable.class.getName());

  /** What a registration's key holds in its owner's state: present, or present on a member that is stopping. */
  public static final byte[] PRESENT = new byte[0];
  public static final byte[] STOPPING = new byte[] {1};

  private final Map<String, List<RegistrationInfo>> byAddress = new ConcurrentHashMap<>();
  /** Registrations of members that are stopping: used for an address only when no other member has one. */
  private final Map<String, List<RegistrationInfo>> stopping = new ConcurrentHashMap<>();
  private final Map<String, NodeInfo> nodeInfos = new ConcurrentHashMap<>();
  private final NodeInfoWaiters infoWaiters = new NodeInfoWaiters();
  private volatile RegistrationListener listener;

  public void listener(RegistrationListener listener) {
    this.listener = listener;
  }

  /**
   * The registrations of {@code address}: remote non-local ones plus all of this node's, leaving out those of
   * members that are stopping unless there is no other (a stopping member's handlers still answer, but requests go
   * elsewhere while they can, so that none reaches a handler just as it goes).
   */
  public List<RegistrationInfo> registrations(String address) {
    List<RegistrationInfo> active = byAddress.get(address);
    return active != null ? active : stopping.getOrDefault(address, List.of());
  }

  public NodeInfo nodeInfo(String nodeId) {
    return nodeInfos.get(nodeId);
  }

  /**
   * Hands {@code waiter} the node's NodeInfo now if it is known, else once it arrives (on the thread that applies
   * it, so the waiter must only hand it on). False, and nothing registered, when too many callers already wait.
   */
  public synchronized boolean whenNodeInfo(String nodeId, Consumer<NodeInfo> waiter) {
    NodeInfo info = nodeInfos.get(nodeId);
    if (info != null) {
      waiter.accept(info);
      return true;
    }
    return infoWaiters.add(nodeId, waiter);
  }

  /** Withdraws a waiter of {@link #whenNodeInfo} that gave up. */
  public synchronized void stopWaiting(String nodeId, Consumer<NodeInfo> waiter) {
    infoWaiters.remove(nodeId, waiter);
  }

  public int addressCount() {
    Set<String> all = new HashSet<>(byAddress.keySet());
    all.addAll(stopping.keySet());
    return all.size();
  }

  public int registrationCount() {
    int n = 0;
    for (List<RegistrationInfo> l : byAddress.values()) {
      n += l.size();
    }
    for (List<RegistrationInfo> l : stopping.values()) {
      n += l.size();
    }
    return n;
  }

  /** Key and value of a registration in this node's replicated state. */
  public static String keyOf(String address, RegistrationInfo info) {
    return OwnedKeys.registration(address, info.seq());
  }

  /** Whether {@code key} of a node's owned state is one of its event-bus registrations (not its node info). */
  public static boolean isRegistrationKey(String key) {
    return OwnedKeys.isRegistration(key);
  }

  public static String nodeInfoKey() {
    return OwnedKeys.NODE_INFO;
  }

  public static byte[] encode(NodeInfo info) {
    Buffer b = Buffer.buffer();
    info.writeToBuffer(b);
    return b.getBytes();
  }

  /** A local-only registration: part of this node's list and events, never replicated. */
  public synchronized void putLocal(String address, RegistrationInfo info, boolean present) {
    if (update(byAddress, address, info, present)) {
      fire(address);
    }
  }

  @Override
  public synchronized void changed(NodeId owner, List<Change> changes) {
    Set<String> touched = new LinkedHashSet<>();
    String ownerId = owner.toString();
    for (Change c : changes) {
      if (OwnedKeys.NODE_INFO.equals(c.key())) {
        if (c.after() == null) {
          nodeInfos.remove(ownerId);
        } else {
          NodeInfo info = decodeNodeInfo(c.after());
          if (info != null) {
            nodeInfos.put(ownerId, info);
            infoWaiters.arrived(ownerId, info);
          }
        }
      } else if (OwnedKeys.isRegistration(c.key())) {
        String address = OwnedKeys.addressOf(c.key());
        RegistrationInfo info = new RegistrationInfo(ownerId, OwnedKeys.seqOf(c.key()), false);
        boolean isStopping = c.after() != null && Arrays.equals(c.after(), STOPPING);
        boolean isActive = c.after() != null && !isStopping;
        if (update(byAddress, address, info, isActive) | update(stopping, address, info, isStopping)) {
          touched.add(address);
        }
      }
    }
    touched.forEach(this::fire);
  }

  private static NodeInfo decodeNodeInfo(byte[] bytes) {
    try {
      NodeInfo info = new NodeInfo();
      info.readFromBuffer(0, Buffer.buffer(bytes));
      return info;
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "unreadable NodeInfo dropped", e);
      return null;
    }
  }

  private static boolean update(Map<String, List<RegistrationInfo>> byAddress, String address, RegistrationInfo info,
                                boolean present) {
    List<RegistrationInfo> current = byAddress.getOrDefault(address, List.of());
    boolean has = current.contains(info);
    if (has == present) {
      return false;
    }
    List<RegistrationInfo> next = new ArrayList<>(current.size() + 1);
    next.addAll(current);
    if (present) {
      next.add(info);
    } else {
      next.remove(info);
    }
    if (next.isEmpty()) {
      byAddress.remove(address);
    } else {
      byAddress.put(address, Collections.unmodifiableList(next));
    }
    return true;
  }

  private void fire(String address) {
    RegistrationListener l = listener;
    if (l == null) {
      return;
    }
    try {
      if (l.wantsUpdatesFor(address)) {
        l.registrationsUpdated(new RegistrationUpdateEvent(address, registrations(address)));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "registration listener failed for " + address, e);
    }
  }
}
