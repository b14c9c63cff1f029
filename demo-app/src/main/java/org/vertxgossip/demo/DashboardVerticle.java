package org.vertxgossip.demo;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vertxgossip.GossipClusterManager;

/**
 * The dashboard of one node: a page that shows the cluster as this node sees it, and a small JSON API behind it.
 *
 * <ul>
 *   <li>{@code GET /api/history}: what the charts draw, the last minutes ({@link ChartHistory});
 *   <li>{@code GET /api/state}: the cluster manager's snapshot, the demo's shared data and recent membership
 *   changes, refreshed every {@link #REFRESH_MS} ms whatever the number of viewers;
 *   <li>{@code POST /api/work?count=n}: sends n requests over the event bus and tells which nodes answered;
 *   <li>{@code GET /api/map}, {@code PUT /api/map/:key} (the body is the value), {@code DELETE /api/map/:key}: the
 *   clustered map {@link #MAP};
 *   <li>{@code /health/ready}, {@code /health/live} and {@code /metrics}: see {@link OperationsEndpoints}.
 * </ul>
 */
public final class DashboardVerticle extends VerticleBase {

  public static final String MAP = "demo.map";
  static final String DASHBOARDS = "demo.dashboards";
  static final long REFRESH_MS = 500;
  static final int MAX_REQUESTS = 1_000;
  static final int MAX_KEY_LENGTH = 100;
  static final int MAX_VALUE_BYTES = 4_096;
  static final int MAX_LISTED_ENTRIES = 500;

  private final GossipClusterManager clusterManager;
  private final String host;
  private final int requestedPort;
  private final PrometheusMeterRegistry metrics;
  private String url;
  private ClusterState state;
  private AsyncMap<String, String> map;
  private AsyncMap<String, String> dashboards;
  private Counter handled;
  private boolean refreshing;
  private final ChartHistory history = new ChartHistory();

  /**
   * @param host the address the page is served on
   * @param port its port, 0 for any free one ({@link #url()} tells which)
   */
  public DashboardVerticle(GossipClusterManager clusterManager, String host, int port) {
    this(clusterManager, host, port, null);
  }

  /** @param metrics the node's registry, served on {@code /metrics}; null for none */
  public DashboardVerticle(GossipClusterManager clusterManager, String host, int port,
                           PrometheusMeterRegistry metrics) {
    this.clusterManager = clusterManager;
    this.host = host;
    this.requestedPort = port;
    this.metrics = metrics;
  }

  /** The page's address, once started. */
  public String url() {
    return url;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/api/state").handler(this::showState);
    router.get("/api/history").handler(ctx -> ctx.json(history.toJson()));
    // The charting library, from its WebJar on the class path.
    router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
    router.post("/api/work").handler(this::work);
    router.get("/api/map").handler(this::listMap);
    router.put("/api/map/:key").handler(BodyHandler.create().setBodyLimit(MAX_VALUE_BYTES)).handler(this::putEntry);
    router.delete("/api/map/:key").handler(this::removeEntry);
    OperationsEndpoints.mount(router, vertx, clusterManager, metrics);
    router.route().handler(StaticHandler.create("webroot").setCachingEnabled(false));
    return vertx.sharedData().<String, String>getAsyncMap(MAP)
        .compose(m -> {
          map = m;
          return vertx.sharedData().<String, String>getAsyncMap(DASHBOARDS);
        })
        .compose(m -> {
          dashboards = m;
          return vertx.sharedData().getCounter(WorkVerticle.HANDLED_COUNTER);
        })
        .compose(c -> {
          handled = c;
          return vertx.createHttpServer().requestHandler(router).listen(requestedPort, host);
        })
        .compose(s -> {
          // A wildcard is no address to visit: other nodes link to this one by its cluster address.
          boolean wildcard = host.equals("0.0.0.0") || host.equals("::");
          url = "http://" + (wildcard ? clusterManager.clusterPublicHost() : host) + ":" + s.actualPort() + "/";
          state = new ClusterState(clusterManager.getNodeId(), url);
          vertx.setPeriodic(0, REFRESH_MS, id -> refresh());
          vertx.setPeriodic(1_000, id -> history.sample(state.current().getJsonObject("snapshot"),
              System.currentTimeMillis()));
          vertx.eventBus().<Object>consumer(WorkVerticle.RATES, m -> {
            if (m.body() instanceof JsonObject rate && rate.getValue("node") instanceof String node
                && rate.getValue("second") instanceof Number second && rate.getValue("answered") instanceof Number n) {
              history.answered(node, second.longValue(), n.longValue());
            }
          });
          return dashboards.put(clusterManager.getNodeId(), url);
        });
  }

  @Override
  public Future<?> stop() {
    return dashboards.remove(clusterManager.getNodeId());
  }

  private void showState(RoutingContext ctx) {
    if (state == null) { // the server listens a moment before the state exists
      ctx.response().setStatusCode(503).end("starting");
    } else {
      ctx.json(state.current());
    }
  }

  /** One refresh at a time: a slow one (say, while the counter's owner changes) is not piled upon. */
  private void refresh() {
    if (refreshing) {
      return;
    }
    refreshing = true;
    Future<JsonObject> snapshot = clusterManager.snapshotAsync();
    Future<Long> count = handled.get().otherwise((Long) null);
    Future<Integer> size = map.size();
    Future<Map<String, String>> links = dashboards.entries();
    Future.join(snapshot, count, size, links).onComplete(done -> {
      refreshing = false;
      if (snapshot.succeeded()) {
        state.update(snapshot.result(), count.result(), size.succeeded() ? size.result() : -1,
            links.succeeded() ? new JsonObject(new TreeMap<>(links.result())) : new JsonObject(),
            System.currentTimeMillis());
      }
    });
  }

  private void work(RoutingContext ctx) {
    int count = parseCount(ctx.queryParams().get("count"));
    if (count < 1) {
      ctx.response().setStatusCode(400).end("count must be a whole number from 1 to " + MAX_REQUESTS);
      return;
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(5_000);
    List<Future<Message<JsonObject>>> replies = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      replies.add(vertx.eventBus().request(WorkVerticle.ADDRESS, i, options));
    }
    Future.join(replies).onComplete(done -> {
      JsonObject byNode = new JsonObject();
      int answered = 0;
      for (Future<Message<JsonObject>> reply : replies) {
        if (reply.succeeded()) {
          answered++;
          String node = reply.result().body().getString("node");
          byNode.put(node, byNode.getInteger(node, 0) + 1);
        }
      }
      ctx.json(new JsonObject().put("sent", count).put("answered", answered).put("failed", count - answered)
          .put("byNode", byNode));
    });
  }

  /** The count asked for, or -1 if it is missing, not a number or out of range. */
  private static int parseCount(String text) {
    try {
      int n = Integer.parseInt(text == null ? "" : text.trim());
      return n >= 1 && n <= MAX_REQUESTS ? n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void listMap(RoutingContext ctx) {
    map.entries().onComplete((entries, failure) -> {
      if (failure != null) {
        ctx.fail(failure);
        return;
      }
      JsonObject listed = new JsonObject();
      new TreeMap<>(entries).entrySet().stream().limit(MAX_LISTED_ENTRIES)
          .forEach(e -> listed.put(e.getKey(), e.getValue()));
      ctx.json(new JsonObject().put("size", entries.size()).put("entries", listed));
    });
  }

  private void putEntry(RoutingContext ctx) {
    String key = ctx.pathParam("key");
    if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
      ctx.response().setStatusCode(400).end("the key must have 1 to " + MAX_KEY_LENGTH + " characters");
      return;
    }
    String value = ctx.body().asString();
    map.put(key, value == null ? "" : value).onComplete((v, failure) -> {
      if (failure != null) {
        ctx.response().setStatusCode(503).end(String.valueOf(failure.getMessage()));
      } else {
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  private void removeEntry(RoutingContext ctx) {
    map.remove(ctx.pathParam("key")).onComplete((previous, failure) -> {
      if (failure != null) {
        ctx.response().setStatusCode(503).end(String.valueOf(failure.getMessage()));
      } else {
        ctx.response().setStatusCode(previous == null ? 404 : 204).end();
      }
    });
  }
}
