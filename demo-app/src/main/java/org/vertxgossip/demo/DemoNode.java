package org.vertxgossip.demo;

import io.vertx.core.Future;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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
 * <pre>java -cp vertx-gossip-demo.jar org.vertxgossip.demo.DemoNode [--http-host 127.0.0.1] [--http-port 8080]</pre>
 *
 * It prints {@value #READY} and the dashboard's address once it serves; it leaves the cluster on SIGTERM or
 * Ctrl-C.
 */
public final class DemoNode {

  static final String READY = "demo node ready:";

  private final Vertx vertx;
  private final GossipClusterManager clusterManager;
  private final DashboardVerticle dashboard;

  private DemoNode(Vertx vertx, GossipClusterManager clusterManager, DashboardVerticle dashboard) {
    this.vertx = vertx;
    this.clusterManager = clusterManager;
    this.dashboard = dashboard;
  }

  /** Joins the cluster and deploys the demo's verticles. */
  public static Future<DemoNode> start(GossipClusterManager clusterManager, String httpHost, int httpPort) {
    // A registry of its own per node (several share a JVM in the tests): Vert.x's meters and the cluster's.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry))
        .withClusterManager(clusterManager).buildClustered().compose(vertx -> {
      new GossipMetrics(clusterManager).bindTo(registry);
      DashboardVerticle dashboard = new DashboardVerticle(clusterManager, httpHost, httpPort, registry);
      return vertx.deployVerticle(new WorkVerticle(clusterManager.getNodeId()))
          .compose(id -> vertx.deployVerticle(dashboard))
          .map(id -> new DemoNode(vertx, clusterManager, dashboard))
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

  /** Leaves the cluster gracefully. */
  public Future<Void> stop() {
    return vertx.close();
  }

  public static void main(String[] args) throws Exception {
    DemoArgs a = DemoArgs.parse(args, "--http-host", "--http-port");
    String host = a.get("--http-host", "127.0.0.1");
    int port = a.getInt("--http-port", 8080);
    DemoNode node = start(new GossipClusterManager(), host, port).await(120, TimeUnit.SECONDS);
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
