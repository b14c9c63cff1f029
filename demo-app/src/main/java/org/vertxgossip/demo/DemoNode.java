package org.vertxgossip.demo;

import io.vertx.core.Future;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.concurrent.TimeUnit;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipMetrics;

/**
 * One node of the demo: a clustered Vert.x with the gossip cluster manager (configured as any application's is:
 * {@code vertx.gossip.*} system properties, {@code VERTX_GOSSIP_*} environment, {@code gossip.json}), a
 * {@link WorkVerticle} and a {@link DashboardVerticle}.
 *
 * <pre>java -cp vertx-gossip-demo.jar org.vertxgossip.demo.DemoNode [--http-host 127.0.0.1] [--http-port 8080]
 *     [--admin-port 8079]</pre>
 *
 * It prints {@value #READY} and the dashboard's address once it serves; it leaves the cluster on SIGTERM or
 * Ctrl-C.
 */
public final class DemoNode {

  static final String READY = "demo node ready:";

  private final Vertx vertx;
  private final GossipClusterManager clusterManager;
  private final DashboardVerticle dashboard;
  private Future<Void> stopping;

  private DemoNode(Vertx vertx, GossipClusterManager clusterManager, DashboardVerticle dashboard) {
    this.vertx = vertx;
    this.clusterManager = clusterManager;
    this.dashboard = dashboard;
  }

  /** Joins the cluster and deploys the demo's verticles. */
  public static Future<DemoNode> start(GossipClusterManager clusterManager, String httpHost, int httpPort) {
    return start(clusterManager, httpHost, httpPort, 0);
  }

  /** The same, with the pre-stop leave endpoint on {@code 127.0.0.1:adminPort} (0: none). */
  public static Future<DemoNode> start(GossipClusterManager clusterManager, String httpHost, int httpPort,
                                       int adminPort) {
    // A registry of its own per node (several share a JVM in the tests): Vert.x's meters and the cluster's.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry))
        .withClusterManager(clusterManager).buildClustered().compose(vertx -> {
      new GossipMetrics(clusterManager).bindTo(registry);
      DashboardVerticle dashboard = new DashboardVerticle(clusterManager, httpHost, httpPort, registry);
      return vertx.deployVerticle(new WorkVerticle(clusterManager.getNodeId()))
          .compose(id -> vertx.deployVerticle(dashboard))
          .compose(id -> new DemoNode(vertx, clusterManager, dashboard).listenForLeave(adminPort))
          .recover(failure -> vertx.close().transform(closed -> Future.failedFuture(failure)));
    });
  }

  public Vertx vertx() {
    return vertx;
  }

  public GossipClusterManager clusterManager() {
    return clusterManager;
  }

  public String dashboardUrl() {
    return dashboard.url();
  }

  /**
   * Leaves the cluster gracefully; the one close, whoever asks (a pre-stop hook, then SIGTERM): a second
   * {@code vertx.close()} would complete at once, and the JVM would exit in the middle of the first.
   */
  public synchronized Future<Void> stop() {
    if (stopping == null) {
      stopping = vertx.close();
    }
    return stopping;
  }

  /**
   * A pre-stop hook's way out, on {@code 127.0.0.1:port} only (a listener of its own, which no Service, proxy or
   * port published for the dashboard reaches): {@code POST /admin/leave} answers 202 and starts {@link #stop()}.
   */
  private Future<DemoNode> listenForLeave(int port) {
    if (port <= 0) {
      return Future.succeededFuture(this);
    }
    return vertx.createHttpServer().requestHandler(req -> {
      if (req.method() == HttpMethod.POST && "/admin/leave".equals(req.path())) {
        req.response().setStatusCode(202).end("leaving").onComplete(sent -> stop());
      } else {
        req.response().setStatusCode(404).end();
      }
    }).listen(port, "127.0.0.1").map(server -> this);
  }

  public static void main(String[] args) throws Exception {
    DemoArgs a = DemoArgs.parse(args, "--http-host", "--http-port", "--admin-port");
    String host = a.get("--http-host", "127.0.0.1");
    int port = a.getInt("--http-port", 8080);
    int adminPort = a.getInt("--admin-port", 0);
    DemoNode node = start(new GossipClusterManager(), host, port, adminPort).await(120, TimeUnit.SECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.stop().await(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("leaving the cluster: " + e);
      }
    }, "demo-node-shutdown"));
    System.out.println(READY + " node " + node.clusterManager.getNodeId() + ", dashboard " + node.dashboard.url());
  }
}
