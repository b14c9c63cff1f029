package org.vertxgossip.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo's health endpoints and its Prometheus scrape, read as a probe and a scraper would. */
class DemoOperationsTest {

  private DemoNodes cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new DemoNodes(3);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void healthEndpointsAnswerUpWithTheViewAndDownOnceTheNodeLeft() throws Exception {
    cluster.awaitState(0, s -> DemoNodes.viewOf(s, 3), "three members");
    HttpResponse<String> ready = cluster.send(0, "GET", "/health/ready", null);
    assertEquals(200, ready.statusCode(), ready.body());
    JsonObject body = new JsonObject(ready.body());
    assertEquals("UP", body.getString("status"), body.encode());
    JsonObject data = body.getJsonArray("checks").getJsonObject(0).getJsonObject("data");
    assertEquals(3, data.getInteger("viewSize"), data.encode());
    assertEquals(3, data.getJsonObject("members").getInteger("alive"));
    assertEquals(200, cluster.send(0, "GET", "/health/live", null).statusCode());

    // A node that left answers 503 with the reason until its HTTP server goes with its Vert.x.
    String url = cluster.url(2);
    cluster.nodes.get(2).clusterManager().leave((v, failure) -> { });
    long deadline = System.currentTimeMillis() + 20_000;
    HttpResponse<String> down = cluster.send(2, "GET", "/health/ready", null);
    while (down.statusCode() != 503 && System.currentTimeMillis() < deadline) {
      Thread.sleep(50); // polling interval
      down = cluster.send(2, "GET", "/health/ready", null);
    }
    assertEquals(503, down.statusCode(), url + " " + down.body());
    assertTrue(down.body().contains("not in a view (stopped)"), down.body());
  }

  @Test
  void theScrapeCarriesTheClusterManagersAndVertxMeters() throws Exception {
    cluster.awaitState(0, s -> DemoNodes.viewOf(s, 3), "three members");
    for (int i = 0; i < 7; i++) {
      assertEquals(204, cluster.send(0, "PUT", "/api/map/k" + i, "v" + i).statusCode());
    }
    String node = cluster.nodes.get(0).clusterManager().getNodeId();
    long deadline = System.currentTimeMillis() + 20_000;
    String scrape = scrape();
    while ((value(scrape, "vertx_gossip_members", "state=\"alive\"") != 3
        || value(scrape, "vertx_gossip_store_entries", "") < 7) && System.currentTimeMillis() < deadline) {
      Thread.sleep(100); // polling interval; the meters refresh every second
      scrape = scrape();
    }
    assertEquals(3, value(scrape, "vertx_gossip_members", "state=\"alive\""), scrape);
    assertEquals(3, value(scrape, "vertx_gossip_view_size", "node=\"" + node + "\""));
    assertEquals(1, value(scrape, "vertx_gossip_ready", ""));
    assertTrue(value(scrape, "vertx_gossip_bytes_total", "direction=\"out\",lane=\"membership\"") > 0, scrape);
    assertTrue(value(scrape, "vertx_gossip_operation_seconds_count", "kind=\"put\"") >= 7, scrape);
    assertTrue(value(scrape, "vertx_gossip_store_entries", "") >= 7, scrape);
    assertTrue(scrape.contains("vertx_gossip_dropped_total{"), "dropped input per reason");
    // Vert.x's own meters, from vertx-micrometer-metrics, in the same scrape.
    assertTrue(scrape.contains("vertx_http_server_requests_total"), "Vert.x's HTTP server meters");
  }

  private String scrape() throws Exception {
    HttpResponse<String> r = cluster.send(0, "GET", "/metrics", null);
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"),
        "Prometheus' text format: " + r.headers().map());
    return r.body();
  }

  /** The value of the first sample of {@code metric} whose labels contain {@code labels}; -1 when none. */
  private static double value(String scrape, String metric, String labels) {
    Matcher m = Pattern.compile("^" + metric + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE).matcher(scrape);
    while (m.find()) {
      if (m.group(1).contains(labels)) {
        return Double.parseDouble(m.group(2));
      }
    }
    return -1;
  }
}
