package org.vertxgossip;

import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import io.vertx.core.shareddata.Lock;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.membership.View;
import org.vertxgossip.node.ClusterNode;
import org.vertxgossip.node.NodeSettings;
import org.vertxgossip.registry.RegistrationTable;
import org.vertxgossip.replication.Change;
import org.vertxgossip.replication.KeyedStores;
import org.vertxgossip.security.Keyring;
import org.vertxgossip.shareddata.OperationObserver;
import org.vertxgossip.transport.WireVersion;
import org.vertxgossip.shareddata.SharedDataProvider;
import org.vertxgossip.shareddata.ValueFilter;
import org.vertxgossip.transport.StreamTls;

/**
 * A Vert.x {@link ClusterManager} built on gossip: SWIM/Lifeguard membership with views ordered by the oldest
 * member, event-bus registrations and NodeInfo owned by their node and acknowledged by every member, its own
 * transport on its own thread.
 *
 * <p>Put the jar on the class path (ServiceLoader finds this class) or pass an instance to
 * {@code Vertx.builder().withClusterManager(..)}. Construction is free of side effects; sockets and threads exist
 * from {@code join} to {@code leave}.
 */
public class GossipClusterManager implements ClusterManager {

  private static final System.Logger LOG = System.getLogger(GossipClusterManager.class.getName());
  /** The warning that traffic is not secured is said once per JVM, however many nodes it runs. */
  private static final AtomicBoolean INSECURE_SAID = new AtomicBoolean();

  private final GossipOptions options;
  private final RegistrationTable table = new RegistrationTable();
  private NodeEventDispatcher events;
  private Vertx vertx;
  private ConnectionLoops connectionLoops;
  private volatile ClusterNode node;
  private volatile NodeSettings settings;
  private volatile NodeInfo nodeInfo;
  private volatile SharedDataProvider sharedData;
  private volatile OperationObserver operationObserver;
  private volatile WireVersion wire;
  /** How long a stopping member keeps its handlers after every member knows it is stopping. */
  static final long DRAIN_GRACE_MS = 50;
  /** Set by the close hook: this member's registrations are marked as a stopping member's. */
  private volatile boolean draining;
  private volatile ValueFilter valueFilter;
  private volatile EventBusProbe probe;
  private volatile boolean active;
  private CompletableFuture<Void> leaving;

  /** Options from system properties, environment, file and defaults. */
  public GossipClusterManager() {
    this(new GossipOptions());
  }

  /** These options over system properties, environment, file and defaults. */
  public GossipClusterManager(GossipOptions options) {
    this.options = new GossipOptions(options);
  }

  @Override
  public void init(Vertx vertx) {
    this.vertx = vertx;
    this.connectionLoops = new ConnectionLoops((VertxInternal) vertx);
  }

  @Override
  public void registrationListener(RegistrationListener registrationListener) {
    table.listener(registrationListener);
  }

  @Override
  public void nodeListener(NodeListener listener) {
    events().listener(listener);
  }

  private synchronized NodeEventDispatcher events() {
    if (events == null) {
      events = new NodeEventDispatcher();
    }
    return events;
  }

  // ---- lifecycle ---------------------------------------------------------------------------------------------

  @Override
  public void join(Completable<Void> promise) {
    ContextInternal context = ((VertxInternal) vertx).getOrCreateContext();
    // Resolving the options may read files and resolve a host name: not on an event loop. Nor on a Vert.x worker,
    // whose pool keeps the thread for the node's whole life once started: this thread ends once they are resolved.
    Thread resolver = new Thread(() -> {
      NodeSettings s;
      try {
        s = resolveSettings();
      } catch (Throwable e) {
        // Whatever the configuration throws (an Error of a missing class too) fails the join rather than hang it.
        onContext(context, promise).fail(e);
        return;
      }
      try {
        context.runOnContext(v -> start(s, context, promise));
      } catch (RejectedExecutionException e) {
        promise.fail(new IllegalStateException("vertx-gossip: Vert.x closed while joining", e));
      }
    }, "vertx-gossip-configuration");
    // Not a daemon: an application whose main thread returns after clusteredVertx() keeps running until Vert.x has
    // a thread of its own (the context this thread hands over to starts one).
    resolver.setDaemon(false);
    resolver.start();
  }

  /** The options made effective and resolved into the node's settings; logs them. Blocking. */
  private NodeSettings resolveSettings() {
    GossipOptions effective = options.effective();
    NodeSettings s = Addressing.settings(effective, System.getenv());
    if (effective.hasTls()) {
      s = s.withSecurity(s.security().withTls(tls(effective)));
    }
    WireVersion other = wire;
    if (other != null) {
      s = s.withWire(other);
    }
    valueFilter = effective.valueFilter();
    LOG.log(Level.INFO, "vertx-gossip configuration: " + effective.toMaskedJson().encode() + "; binding "
        + s.bindHost() + ", advertising " + s.publicHost());
    warnIfInsecure(s);
    return s;
  }

  /** The TLS contexts of the streams, from the key and trust stores the options name (read here, blocking). */
  private StreamTls tls(GossipOptions o) {
    try {
      return StreamTls.of(o.tlsKeyCert().getKeyManagerFactory(vertx), o.tlsTrust().getTrustManagerFactory(vertx));
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("vertx-gossip configuration: cannot read the TLS key or trust store: "
          + e.getMessage(), e);
    }
  }

  private static void warnIfInsecure(NodeSettings s) {
    if (s.security().keyring().isEmpty()) {
      if (INSECURE_SAID.compareAndSet(false, true)) {
        LOG.log(Level.WARNING, "vertx-gossip: no cluster key is configured, so cluster traffic is neither "
            + "authenticated nor encrypted: anyone who reaches the gossip port can join, read and write; set "
            + "'keys' (src-docs/security.md)");
      }
    } else if (!s.security().sealOutgoing() || !s.security().requireSealed()) {
      LOG.log(Level.WARNING, "vertx-gossip: encryption is being switched on: verifyOutgoing="
          + s.security().sealOutgoing() + ", verifyIncoming=" + s.security().requireSealed()
          + "; set both to true once every member holds the key");
    }
  }

  /**
   * Starts the node; runs on {@code context}, the one join was called from. Vert.x continues its start-up (the event
   * bus, the HA manager) in the join's callback and does not move it to a context of its own: the outcome is told
   * on {@code context} too, never on a gossip or listener thread, and whatever fails on the way fails the join
   * rather than hang it.
   */
  private synchronized void start(NodeSettings s, ContextInternal context, Completable<Void> promise) {
    if (leaving != null) {
      promise.fail(new IllegalStateException("left before joining"));
      return;
    }
    Completable<Void> told = onContext(context, promise);
    NodeEventDispatcher dispatcher;
    ClusterNode n;
    try {
      settings = s;
      dispatcher = events();
      n = new ClusterNode(s, table, (view, added, removed) -> {
        dispatcher.view(ids(view.members()), ids(withoutSelf(added)), ids(withoutSelf(removed)));
        EventBusProbe p = probe;
        if (p != null) {
          ids(removed).forEach(p::forget);
          ids(added).forEach(p::check);
        }
      });
      node = n;
      sharedData = new SharedDataProvider((VertxInternal) vertx, n, valueFilter);
      sharedData.observe(operationObserver);
    } catch (RuntimeException | Error e) {
      promise.fail(e);
      return;
    }
    n.start().whenComplete((v, e) -> joined(n, dispatcher, e, told));
  }

  /** The node is in the view (or failed to get there): the join's outcome, unless a leave came first. */
  private void joined(ClusterNode n, NodeEventDispatcher dispatcher, Throwable failure, Completable<Void> told) {
    if (failure != null) {
      told.fail(failure);
      return;
    }
    EventBusProbe p;
    synchronized (this) {
      if (leaving != null) {
        // leave() ran while this node was joining: it found no probe to close and set nothing active.
        told.fail(new IllegalStateException("left before joining"));
        return;
      }
      try {
        active = true;
        draining = false;
        ((VertxInternal) vertx).addCloseHook(this::drain);
        p = new EventBusProbe(vertx, table, n.id().toString());
        probe = p;
      } catch (RuntimeException | Error e) {
        told.fail(e);
        return;
      }
    }
    // Through the listener thread, so that getNodes() already shows the view this node joined.
    dispatcher.submit(() -> {
      try {
        getNodes().forEach(p::check);
      } finally {
        told.succeed();
      }
    });
  }

  /** {@code promise}, completed on {@code context}; directly if that context can no longer run tasks. */
  private static <T> Completable<T> onContext(ContextInternal context, Completable<T> promise) {
    return (value, failure) -> {
      try {
        context.runOnContext(v -> promise.complete(value, failure));
      } catch (RejectedExecutionException e) {
        promise.complete(value, failure);
      }
    };
  }

  private List<NodeId> withoutSelf(List<NodeId> ids) {
    List<NodeId> out = new ArrayList<>(ids);
    out.remove(node.id());
    return out;
  }

  private static List<String> ids(List<NodeId> ids) {
    List<String> out = new ArrayList<>(ids.size());
    ids.forEach(i -> out.add(i.toString()));
    return Collections.unmodifiableList(out);
  }

  @Override
  public void leave(Completable<Void> promise) {
    CompletableFuture<Void> done;
    synchronized (this) {
      if (leaving == null) {
        active = false;
        EventBusProbe p = probe;
        if (p != null) {
          p.close();
        }
        ClusterNode n = node;
        leaving = n == null ? CompletableFuture.completedFuture(null) : n.leave();
        NodeEventDispatcher dispatcher = events;
        leaving.whenComplete((v, e) -> {
          if (dispatcher != null) {
            dispatcher.deactivate();
            dispatcher.shutdown();
          }
        });
      }
      done = leaving;
    }
    done.whenComplete((v, e) -> promise.succeed());
  }

  @Override
  public boolean isActive() {
    return active;
  }

  // ---- identity and nodes ----------------------------------------------------------------------------------------

  @Override
  public String getNodeId() {
    ClusterNode n = node;
    return n == null ? null : n.id().toString();
  }

  @Override
  public List<String> getNodes() {
    return events().nodes();
  }

  @Override
  public String clusterHost() {
    NodeSettings s = settings;
    return s == null ? null : s.bindHost();
  }

  @Override
  public String clusterPublicHost() {
    NodeSettings s = settings;
    return s == null ? null : s.publicHost();
  }

  @Override
  public void setNodeInfo(NodeInfo nodeInfo, Completable<Void> promise) {
    this.nodeInfo = nodeInfo;
    changeOwnState(Map.of(RegistrationTable.nodeInfoKey(), RegistrationTable.encode(nodeInfo)), promise);
  }

  @Override
  public NodeInfo getNodeInfo() {
    return nodeInfo;
  }

  @Override
  public void getNodeInfo(String nodeId, Completable<NodeInfo> promise) {
    // Only the event bus asks, to open a connection to that node on the context the answer runs on: answer on a
    // loop other than the caller's (ConnectionLoops says why). On a Vert.x thread the answer first waits behind the
    // caller's current task, in which the event bus attaches its continuation to the promise: completed before
    // that, the continuation would run on the caller's thread after all.
    ContextInternal caller = ((VertxInternal) vertx).getOrCreateContext();
    ContextInternal connection = connectionLoops.besides(caller);
    Completable<NodeInfo> answer = (info, failure) -> {
      try {
        caller.runOnContext(v -> connection.runOnContext(w -> promise.complete(info, failure)));
      } catch (RejectedExecutionException e) {
        // The caller's context can no longer run tasks (a closed worker pool): answer anyway, or the event bus
        // would queue every later message to that node behind a connection that never opens.
        connection.runOnContext(w -> promise.complete(info, failure));
      }
    };
    NodeInfo info = table.nodeInfo(nodeId);
    ClusterNode n = node;
    NodeId id = info == null && n != null && active ? NodeId.parseOrNull(nodeId) : null;
    if (id == null) {
      answerNodeInfo(nodeId, info, answer);
      return;
    }
    // A message can come from a member whose state is still on its way here (a reply to a joiner's first
    // request). If the membership knows it as live, wait for its NodeInfo as long as a replicated change may take
    // to reach every member.
    n.isLive(id, live -> caller.runOnContext(v -> {
      if (live) {
        awaitNodeInfo(nodeId, caller, answer);
      } else {
        answerNodeInfo(nodeId, table.nodeInfo(nodeId), answer);
      }
    }));
  }

  private void awaitNodeInfo(String nodeId, ContextInternal caller, Completable<NodeInfo> promise) {
    AtomicBoolean answered = new AtomicBoolean();
    Consumer<NodeInfo> waiter = arrived -> {
      if (answered.compareAndSet(false, true)) {
        promise.succeed(arrived); // the answer moves to its connection's loop itself
      }
    };
    if (!table.whenNodeInfo(nodeId, waiter)) {
      answerNodeInfo(nodeId, null, promise);
      return;
    }
    if (answered.get()) {
      return; // it arrived in the meantime
    }
    caller.setTimer(settings.ackTimeoutMs(), t -> {
      table.stopWaiting(nodeId, waiter);
      if (answered.compareAndSet(false, true)) {
        answerNodeInfo(nodeId, table.nodeInfo(nodeId), promise);
      }
    });
  }

  private static void answerNodeInfo(String nodeId, NodeInfo info, Completable<NodeInfo> promise) {
    if (info != null) {
      promise.succeed(info);
    } else {
      promise.fail(new IllegalStateException("Not a member of the cluster: " + nodeId));
    }
  }

  // ---- registrations -----------------------------------------------------------------------------------------------

  @Override
  public void addRegistration(String address, RegistrationInfo info, Completable<Void> promise) {
    registration(address, info, true, promise);
  }

  @Override
  public void removeRegistration(String address, RegistrationInfo info, Completable<Void> promise) {
    registration(address, info, false, promise);
  }

  private void registration(String address, RegistrationInfo info, boolean present, Completable<Void> promise) {
    if (info.localOnly()) {
      table.putLocal(address, info, present);
      promise.succeed();
      return;
    }
    Map<String, byte[]> change = new HashMap<>();
    change.put(RegistrationTable.keyOf(address, info), present ? RegistrationTable.PRESENT : null);
    changeOwnState(change, promise);
  }

  @Override
  public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) {
    List<RegistrationInfo> known = table.registrations(address);
    ClusterNode n = node;
    if (!known.isEmpty() || n == null || !active) {
      promise.succeed(known);
      return;
    }
    // None known: before the event bus reports NO_HANDLERS, make sure no member has one on its way here (a
    // consumer registered on another node just before this send). One round trip, only for unknown addresses.
    // The promise is not bound to a context: answer on the caller's, never on the gossip loop.
    ContextInternal caller = ((VertxInternal) vertx).getOrCreateContext();
    n.barrier(() -> caller.runOnContext(v -> promise.succeed(table.registrations(address))));
  }

  /** Replicated while a member; after leave (or before join) applied to the local table only. */
  private void changeOwnState(Map<String, byte[]> changes, Completable<Void> promise) {
    ClusterNode n = node;
    if (n == null || !active) {
      NodeId self = n == null ? null : n.id();
      if (self != null) {
        localOnly(self, changes);
      }
      promise.succeed();
      return;
    }
    n.updateOwnState(changes, promise::succeed);
  }

  private void localOnly(NodeId self, Map<String, byte[]> changes) {
    List<Change> local = new ArrayList<>();
    changes.forEach((k, v) -> local.add(new Change(k, null, v))); // the table reads only the new value
    table.changed(self, local);
  }

  // ---- shared data ------------------------------------------------------------------------------------------------

  private SharedDataProvider sharedData() {
    SharedDataProvider d = sharedData;
    if (d == null) {
      throw new IllegalStateException("vertx-gossip: not a member of a cluster (join first)");
    }
    return d;
  }

  @Override
  public <K, V> void getAsyncMap(String name, Completable<AsyncMap<K, V>> promise) {
    try {
      promise.succeed(sharedData().asyncMap(name));
    } catch (IllegalStateException e) {
      promise.fail(e);
    }
  }

  @Override
  public <K, V> Map<K, V> getSyncMap(String name) {
    return sharedData().syncMap(name);
  }

  @Override
  public void getLockWithTimeout(String name, long timeout, Completable<Lock> promise) {
    try {
      sharedData().lock(name, timeout, promise);
    } catch (IllegalStateException e) {
      promise.fail(e);
    }
  }

  @Override
  public void getCounter(String name, Completable<Counter> promise) {
    try {
      promise.succeed(sharedData().counter(name));
    } catch (IllegalStateException e) {
      promise.fail(e);
    }
  }

  // ---- diagnostics -------------------------------------------------------------------------------------------------

  /**
   * This node's view of the cluster as JSON: members with state, incarnation and address, the view and its
   * coordinator, registration counts, dropped-input counters per reason, and protocol counters. It waits (at
   * most 5 s, normally microseconds) for the gossip thread to copy its state: call {@link #snapshotAsync()} on an
   * event loop.
   */
  public JsonObject snapshot() {
    try {
      return snapshotOf(node).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return withRegistrations(new JsonObject().put("state", "unavailable").put("error", String.valueOf(e)));
    }
  }

  /** {@link #snapshot()} without blocking: completes on the caller's context (or a new one) once it is copied. */
  public Future<JsonObject> snapshotAsync() {
    if (vertx == null) {
      return Future.succeededFuture(withRegistrations(new JsonObject().put("state", "not joined")));
    }
    VertxInternal vi = (VertxInternal) vertx;
    if (vi.nettyEventLoopGroup().isShuttingDown()) {
      // Vert.x has closed (this member left), its event loops with it: the snapshot completes on this thread.
      return Future.fromCompletionStage(snapshotOf(node));
    }
    ContextInternal ctx = vi.getOrCreateContext();
    Promise<JsonObject> promise = ctx.promise();
    snapshotOf(node).whenComplete((json, failure) -> {
      if (failure != null) {
        promise.fail(failure);
      } else {
        promise.complete(json);
      }
    });
    return promise.future();
  }

  private CompletableFuture<JsonObject> snapshotOf(ClusterNode n) {
    if (n == null) {
      return CompletableFuture.completedFuture(withRegistrations(new JsonObject().put("state", "not joined")));
    }
    return n.snapshot().thenApply(s -> withRegistrations(new JsonObject(s.content())));
  }

  private JsonObject withRegistrations(JsonObject json) {
    EventBusProbe p = probe;
    if (p != null) {
      json.put("eventBus", p.toJson());
    }
    return json.put("registrations", new JsonObject().put("addresses", table.addressCount())
        .put("total", table.registrationCount()));
  }

  /**
   * Diagnostics: the id of the member that serialises the operations of counter {@code name}, by this node's
   * current view (it moves when the view changes); null before joining.
   */
  public String counterOwner(String name) {
    ClusterNode n = node;
    return n == null || n.stores() == null ? null
        : n.stores().ownerOf(KeyedStores.COUNTERS, name.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .toString();
  }

  /**
   * Diagnostics: the id of the member that serialises the operations of {@code key} in the async map {@code map},
   * by this node's current view; null before joining.
   */
  public String mapKeyOwner(String map, Object key) {
    ClusterNode n = node;
    NodeId owner = n == null || n.stores() == null ? null
        : n.stores().ownerOf(map, org.vertxgossip.shareddata.ValueCodec.encode(key));
    return owner == null ? null : owner.toString();
  }

  /**
   * This member's cluster keys, to rotate them at run time: {@link Keyring#install} a new key on every member,
   * then {@link Keyring#use} it on every member, then {@link Keyring#remove} the old one (src-docs/security.md).
   *
   * @throws IllegalStateException before joining, or when the member started without keys
   */
  public Keyring keyring() {
    NodeSettings s = settings;
    if (s == null) {
      throw new IllegalStateException("not joined");
    }
    if (s.security().keyring().isEmpty()) {
      throw new IllegalStateException("this member started without keys; encryption is switched on by rolling "
          + "restarts (src-docs/security.md)");
    }
    return s.security().keyring();
  }

  /**
   * Switches, at run time, whether this member encrypts what it sends ({@code verifyOutgoing}) and whether it
   * refuses input that is not encrypted ({@code verifyIncoming}): encryption is turned on in a running cluster by
   * switching outgoing on every member, then incoming on every member (src-docs/security.md). Completes once in
   * effect; connections opened before are reopened.
   *
   * @throws IllegalStateException before joining, or when the member started without keys
   */
  public CompletableFuture<Void> setVerification(boolean verifyOutgoing, boolean verifyIncoming) {
    keyring(); // the same preconditions
    LOG.log(Level.INFO, "vertx-gossip: verifyOutgoing=" + verifyOutgoing + ", verifyIncoming=" + verifyIncoming);
    return node.switchSealing(verifyOutgoing, verifyIncoming);
  }

  /**
   * The first thing Vert.x runs when it closes (a close hook, before verticles stop and the event bus unregisters
   * its handlers one by one): this member marks its registrations as a stopping member's, which members route to
   * only when no other member has a handler for the address, and waits until every member holds that (at most the
   * acknowledgement bound), then {@link #DRAIN_GRACE_MS} for requests already on their way over the event bus's own
   * connections. Without it, members keep routing requests here between a handler's local unregistration and the
   * news of it, and the event bus discards them (the sender times out). A stopping member's handlers still answer:
   * a verticle stopping elsewhere can still reach the only handler of an address here.
   */
  private void drain(Completable<Void> done) {
    ClusterNode n = node;
    if (n == null || !active || draining) {
      done.succeed();
      return;
    }
    draining = true;
    // Once every member holds the mark, a request one of them sent just before it applied it may still be on its
    // way over the event bus's own connection: a short grace lets it arrive while the handlers are here.
    n.markRegistrationsStopping(() -> vertx.setTimer(DRAIN_GRACE_MS, t -> done.succeed()));
  }

  /**
   * The test switch that stands in for a next release: this member speaks {@code version} instead of
   * {@link WireVersion#CURRENT} from its next join (WireVersionTest).
   */
  void speak(WireVersion version) {
    wire = version;
  }

  /** For {@link GossipMetrics}: times every shared-data operation from now on, across re-joins; null stops. */
  void observeOperations(OperationObserver observer) {
    operationObserver = observer;
    SharedDataProvider d = sharedData;
    if (d != null) {
      d.observe(observer);
    }
  }

  /** The Vert.x instance this manager was initialised with; null before. */
  Vertx vertx() {
    return vertx;
  }

  /** The effective configuration once joined (null before): for {@link GossipHealthCheck}'s quorum. */
  NodeSettings settings() {
    return settings;
  }

  /** For tests and tools: the bound gossip address, {@code host:port}, once joined. */
  public String gossipAddress() {
    ClusterNode n = node;
    return n == null || n.address() == null ? null : n.address().toString();
  }

  @Override
  public String toString() {
    return "GossipClusterManager[" + getNodeId() + "]";
  }
}
