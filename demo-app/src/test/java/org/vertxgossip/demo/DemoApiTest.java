package org.vertxgossip.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's API over three demo nodes in one JVM, its health endpoints and its Prometheus scrape. */
class DemoApiTest {

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
  void everyDashboardShowsTheSameViewOfThreeLiveMembersWithLinksToEachOther() throws Exception {
    long viewId = -1;
    for (int i = 0; i < 3; i++) {
      JsonObject state = cluster.awaitState(i, s -> DemoNodes.viewOf(s, 3)
          && s.getJsonObject("dashboards", new JsonObject()).size() == 3, "three live members and dashboards");
      long id = state.getJsonObject("snapshot").getLong("viewId");
      assertTrue(viewId == -1 || viewId == id, "one view id everywhere");
      viewId = id;
      assertEquals(cluster.nodes.get(i).clusterManager().getNodeId(), state.getJsonObject("self").getString("nodeId"));
      for (int j = 0; j < 3; j++) {
        assertEquals(cluster.url(j), state.getJsonObject("dashboards")
            .getString(cluster.nodes.get(j).clusterManager().getNodeId()));
      }
    }
  }

  @Test
  void requestsFromOneDashboardAreAnsweredByEveryNodeAndCountedClusterWide() throws Exception {
    cluster.awaitState(0, s -> DemoNodes.viewOf(s, 3), "three members");
    JsonObject outcome = cluster.json(0, "POST", "/api/work?count=90");
    assertEquals(90, outcome.getInteger("answered"), outcome.encode());
    assertEquals(0, outcome.getInteger("failed"));
    JsonObject byNode = outcome.getJsonObject("byNode");
    assertEquals(3, byNode.size(), "every node answered some: " + byNode.encode());
    assertEquals(90, byNode.stream().mapToInt(e -> (Integer) e.getValue()).sum());
    // Each reply waited for the counter, so every dashboard comes to show exactly 90.
    for (int i = 0; i < 3; i++) {
      cluster.awaitState(i, s -> Long.valueOf(90).equals(s.getLong("handled")), "90 handled");
    }
  }

  @Test
  void aValuePutThroughOneDashboardIsListedByEveryOther() throws Exception {
    assertEquals(204, cluster.send(0, "PUT", "/api/map/greeting", "hello").statusCode());
    // A completed put is on every member: no waiting.
    for (int i = 0; i < 3; i++) {
      JsonObject listing = cluster.json(i, "GET", "/api/map");
      assertEquals("hello", listing.getJsonObject("entries").getString("greeting"), "node " + i);
      assertEquals(1, listing.getInteger("size"));
    }
    assertEquals(204, cluster.send(1, "DELETE", "/api/map/greeting", null).statusCode());
    assertEquals(404, cluster.send(2, "DELETE", "/api/map/greeting", null).statusCode());
    assertFalse(cluster.json(0, "GET", "/api/map").getJsonObject("entries").containsKey("greeting"));
  }

  @Test
  void badRequestsGetAClearErrorAndTheNodeGoesOn() throws Exception {
    for (String count : new String[] {"0", "abc", "1001", "-5", ""}) {
      HttpResponse<String> r = cluster.send(0, "POST", "/api/work?count=" + count, null);
      assertEquals(400, r.statusCode(), "count=" + count);
      assertTrue(r.body().contains("from 1 to 1000"), r.body());
    }
    assertEquals(400, cluster.send(0, "POST", "/api/work", null).statusCode());
    assertEquals(413, cluster.send(0, "PUT", "/api/map/big", "x".repeat(5_000)).statusCode());
    HttpResponse<String> longKey = cluster.send(0, "PUT", "/api/map/" + "k".repeat(101), "v");
    assertEquals(400, longKey.statusCode());
    assertTrue(longKey.body().contains("1 to 100 characters"), longKey.body());
    assertEquals(404, cluster.send(0, "GET", "/api/nothing-here", null).statusCode());
    assertEquals(0, cluster.json(0, "GET", "/api/map").getInteger("size"), "nothing was stored");
    assertEquals(1, cluster.json(0, "POST", "/api/work?count=1").getInteger("answered"));
  }

  @Test
  void aNodeThatLeavesIsShownOutOfTheViewWithTheChangeLogged() throws Exception {
    cluster.awaitState(0, s -> DemoNodes.viewOf(s, 3), "three members");
    String leaver = cluster.nodes.get(2).clusterManager().getNodeId();
    cluster.nodes.remove(2).stop().await(30, TimeUnit.SECONDS);
    JsonObject state = cluster.awaitState(0, s -> DemoNodes.viewOf(s, 2), "two members");
    // Events are newest first.
    List<JsonObject> changes = state.getJsonArray("events").stream().map(JsonObject.class::cast)
        .filter(e -> leaver.equals(e.getString("member"))).toList();
    assertFalse(changes.isEmpty(), "no event for the leaver: " + state.encode());
    assertTrue(changes.get(0).getString("to").contains("not in view"), changes.toString());
    // A graceful leave shows as LEFT, never as a death.
    assertTrue(changes.stream().anyMatch(e -> e.getString("from").equals("ALIVE")
        && e.getString("to").startsWith("LEFT")), changes.toString());
    assertTrue(changes.stream().noneMatch(e -> e.getString("to").startsWith("DEAD")), changes.toString());
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
