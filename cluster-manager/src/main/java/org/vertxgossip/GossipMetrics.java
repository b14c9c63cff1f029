package org.vertxgossip;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.vertxgossip.membership.MemberState;
import org.vertxgossip.replication.StoreOp;
import org.vertxgossip.shareddata.OperationObserver;
import org.vertxgossip.transport.DropReason;

/**
 * This member's protocol figures as Micrometer meters under {@code vertx.gossip.} (Micrometer is an optional
 * dependency: only this class needs it). Bind it once the cluster manager has joined:
 *
 * <pre>{@code
 * new GossipMetrics(clusterManager).bindTo(registry);
 * }</pre>
 *
 * <p>Counters and gauges read a copy of the member's state taken every refresh interval (1 s by default) on a
 * Vert.x timer, so a scrape never waits for the gossip thread; {@code vertx.gossip.operation} times every
 * shared-data operation as it completes. The meters are listed in src-docs/operations.md. {@link #close()} stops
 * the refresh and the timing and removes the meters.
 */
public final class GossipMetrics implements MeterBinder, AutoCloseable {

  private static final String P = "vertx.gossip.";
  private static final List<String> DIRECTIONS = List.of("in", "out");

  private final GossipClusterManager clusterManager;
  private final long refreshMs;
  private volatile JsonObject latest = new JsonObject();
  private volatile long timerId = -1;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  /** What this binder registered, removed again by {@link #close()}. */
  private final List<Meter> meters = new CopyOnWriteArrayList<>();
  private volatile MeterRegistry registry;

  public GossipMetrics(GossipClusterManager clusterManager) {
    this(clusterManager, Duration.ofSeconds(1));
  }

  /** @param refresh how often the counters and gauges are brought up to date (at least 10 ms) */
  public GossipMetrics(GossipClusterManager clusterManager, Duration refresh) {
    this.clusterManager = clusterManager;
    this.refreshMs = Math.max(10, refresh.toMillis());
  }

  /**
   * Registers the meters and starts their refresh.
   *
   * @throws IllegalStateException before the cluster manager has joined (its clustered Vert.x is not built yet)
   */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    Vertx vertx = clusterManager.vertx();
    if (vertx == null || clusterManager.getNodeId() == null) {
      throw new IllegalStateException("vertx-gossip: bind GossipMetrics once the clustered Vert.x is built");
    }
    if (this.registry != null) {
      throw new IllegalStateException("vertx-gossip: GossipMetrics is bound already");
    }
    this.registry = registry;
    Tags node = Tags.of("node", String.valueOf(clusterManager.getNodeId()));
    for (MemberState state : MemberState.values()) {
      meters.add(Gauge.builder(P + "members", this, m -> m.membersIn(state))
          .tags(node.and("state", lower(state.name()))).description("Members this member knows, by state")
          .register(registry));
    }
    meters.add(Gauge.builder(P + "view.size", this, m -> m.number("viewSize")).tags(node)
        .description("Members of this member's current view").register(registry));
    meters.add(Gauge.builder(P + "view.id", this, m -> m.number("viewId")).tags(node)
        .description("The id of this member's current view").register(registry));
    meters.add(Gauge.builder(P + "ready", this, m -> m.ready() ? 1 : 0).tags(node)
        .description("1 when in a view with its state transfer done, else 0").register(registry));
    counter(registry, "view.changes", node, "Views delivered", "viewChanges", "views");
    counter(registry, "members.admitted", node, "Members admitted by the views delivered", "viewChanges",
        "admitted");
    for (String cause : List.of("left", "failed", "removed")) {
      counter(registry, "members.removed", node.and("cause", cause),
          "Members removed by the views delivered, by cause", "viewChanges", "removed", cause);
    }
    counter(registry, "probes", node, "Failure-detector probes sent", "membership", "probes");
    counter(registry, "probe.failures", node, "Probes not acknowledged in time", "membership", "probeFailures");
    counter(registry, "suspicions", node, "Suspicions raised", "membership", "suspicions");
    counter(registry, "refutations", node, "Suspicions of this member it refuted", "membership", "refutations");
    for (String lane : List.of("membership", "replication")) {
      for (String direction : DIRECTIONS) {
        String suffix = direction.equals("in") ? "In" : "Out";
        meters.add(FunctionCounter.builder(P + "bytes", this,
                m -> m.number("transport", "lanes", lane, "bytes" + suffix))
            .tags(node.and("lane", lane, "direction", direction)).baseUnit(BaseUnits.BYTES)
            .description("Gossip bytes per lane and direction, envelope included").register(registry));
        meters.add(FunctionCounter.builder(P + "packets", this,
                m -> m.number("transport", "lanes", lane, "packets" + suffix))
            .tags(node.and("lane", lane, "direction", direction))
            .description("Gossip datagrams and frames per lane and direction").register(registry));
      }
    }
    for (DropReason reason : DropReason.values()) {
      counter(registry, "dropped", node.and("reason", lower(reason.name())), "Input dropped, by reason", "dropped",
          reason.name());
    }
    counter(registry, "dropped", node.and("reason", "unknown_type"), "Input dropped, by reason", "dropped",
        "UNKNOWN_TYPE");
    meters.add(Gauge.builder(P + "store.entries", this, m -> m.number("stores", "entries")).tags(node)
        .description("Shared-data entries held by this member, tombstones included").register(registry));
    meters.add(Gauge.builder(P + "store.bytes", this, m -> m.number("stores", "bytes")).tags(node)
        .baseUnit(BaseUnits.BYTES)
        .description("Key and value bytes of the entries held by this member").register(registry));
    counter(registry, "ack.timeouts", node.and("layer", "states"),
        "Owners that stopped waiting for a member's acknowledgement", "replication", "ackTimeouts");
    counter(registry, "ack.timeouts", node.and("layer", "stores"),
        "Owners that stopped waiting for a member's acknowledgement", "stores", "membersLagging");
    counter(registry, "antientropy.repairs", node.and("layer", "states"), "Entries repaired by anti-entropy",
        "replication", "repairs");
    counter(registry, "antientropy.repairs", node.and("layer", "stores"), "Entries repaired by anti-entropy",
        "stores", "repaired");
    clusterManager.observeOperations(new Timing(node));
    refresh();
    timerId = vertx.setPeriodic(refreshMs, id -> refresh());
  }

  /** Stops the refresh and the timing of operations, and removes every meter this binder registered. */
  @Override
  public synchronized void close() {
    long id = timerId;
    Vertx vertx = clusterManager.vertx();
    if (id >= 0 && vertx != null) {
      vertx.cancelTimer(id);
    }
    timerId = -1;
    clusterManager.observeOperations(null);
    MeterRegistry r = registry;
    if (r != null) {
      meters.forEach(r::remove);
      timers.values().forEach(r::remove);
    }
    meters.clear();
    timers.clear();
  }

  private void refresh() {
    clusterManager.snapshotAsync().onSuccess(s -> latest = s);
  }

  private void counter(MeterRegistry registry, String name, Tags tags, String description, String... path) {
    meters.add(FunctionCounter.builder(P + name, this, m -> m.number(path)).tags(tags).description(description)
        .register(registry));
  }

  private double number(String... path) {
    Object o = latest;
    for (String step : path) {
      if (!(o instanceof JsonObject j)) {
        return 0;
      }
      o = j.getValue(step);
    }
    return o instanceof Number n ? n.doubleValue() : 0;
  }

  private double membersIn(MemberState state) {
    JsonArray members = latest.getJsonArray("members");
    if (members == null) {
      return 0;
    }
    int n = 0;
    for (int i = 0; i < members.size(); i++) {
      if (state.name().equals(members.getJsonObject(i).getString("state"))) {
        n++;
      }
    }
    return n;
  }

  private boolean ready() {
    JsonObject s = latest;
    return "member".equals(s.getString("state")) && s.getBoolean("stateTransferDone", false);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** Times operations into {@code vertx.gossip.operation}, one timer per kind, route and outcome. */
  private final class Timing implements OperationObserver {
    private final Tags node;

    Timing(Tags node) {
      this.node = node;
    }

    @Override
    public void completed(StoreOp op, boolean local, long nanos, boolean ok) {
      String served = local ? "local" : "owner";
      String outcome = ok ? "ok" : "failed";
      timers.computeIfAbsent(op.name() + '/' + served + '/' + outcome, k -> Timer.builder(P + "operation")
              .tags(node.and("kind", lower(op.name()), "served", served, "outcome", outcome))
              .description("Shared-data operations, from the call to the answer").register(registry))
          .record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
