package org.vertxgossip.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's API over three demo nodes in one JVM. */
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
}
