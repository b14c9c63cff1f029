package org.vertxgossip.demo;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
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
 *   ({@code vertx_*}, from vertx-micrometer-metrics) and the cluster manager's ({@code vertx_gossip_*}).
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
  }
}
