package org.vertxgossip.demo;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipHealthCheck;

/**
 * What an operator wires to probes and a scraper, as src-docs/operations.md describes:
 *
 * <ul>
 *   <li>{@code GET /health/ready}: {@link GossipHealthCheck#readiness}, 200 when UP, 503 with the reason when DOWN
 *   (a load balancer's or Kubernetes' readiness probe, Docker's healthcheck);
 *   <li>{@code GET /health/live}: {@link GossipHealthCheck#liveness} (a liveness probe);
 *   <li>{@code GET /metrics}: every meter of the node's registry in Prometheus' text format: Vert.x's own
 *   ({@code vertx_*}, from vertx-micrometer-metrics) and the cluster manager's ({@code vertx_gossip_*});
 *   <li>{@code POST /admin/leave}, from loopback only: a graceful leave before the process is stopped (the
 *   Kubernetes pre-stop hook of deploy/kubernetes).
 * </ul>
 */
final class OperationsEndpoints {

  private OperationsEndpoints() {
  }

  static void mount(Router router, Vertx vertx, GossipClusterManager clusterManager,
                    PrometheusMeterRegistry registry) {
    HealthChecks ready = HealthChecks.create(vertx).register("cluster", GossipHealthCheck.readiness(clusterManager));
    HealthChecks live = HealthChecks.create(vertx).register("cluster", GossipHealthCheck.liveness(clusterManager));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(live));
    if (registry != null) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    }
    router.post("/admin/leave").handler(ctx -> leave(ctx, vertx));
  }

  /**
   * A pre-stop hook's way out: leaves the cluster gracefully and closes this node's Vert.x (its HTTP server with it),
   * as SIGTERM would, while the process stays until its platform stops it. Only from this host's loopback.
   */
  private static void leave(RoutingContext ctx, Vertx vertx) {
    String from = ctx.request().remoteAddress().hostAddress();
    if (!from.equals("127.0.0.1") && !from.equals("0:0:0:0:0:0:0:1") && !from.equals("::1")) {
      ctx.response().setStatusCode(403).end("only from this host's loopback");
      return;
    }
    ctx.response().setStatusCode(202).end("leaving").onComplete(sent -> vertx.close());
  }
}
