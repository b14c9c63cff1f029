package org.vertxgossip.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The main job: separate JVMs that find each other with no configuration but a cluster name. */
class DemoClusterTest {

  @Test
  void theNodesFormOneClusterServeTheirDashboardsAndLeaveWhenStopped() throws Exception {
    int firstPort = twoFreePorts();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    DemoCluster cluster = DemoCluster.launch(2, firstPort, "demo-cluster-test-" + UUID.randomUUID(), out);
    try {
      List<String> dashboards = cluster.dashboards();
      assertEquals(List.of("http://127.0.0.1:" + firstPort + "/", "http://127.0.0.1:" + (firstPort + 1) + "/"),
          dashboards, "node by node");
      HttpClient http = HttpClient.newHttpClient();
      for (String url : dashboards) {
        long deadline = System.currentTimeMillis() + 30_000;
        JsonObject state = state(http, url);
        while (!DemoNodes.viewOf(state, 2)) {
          assertTrue(System.currentTimeMillis() < deadline, "no view of two at " + url + ": " + state.encode());
          Thread.sleep(50); // polling interval
          state = state(http, url);
        }
      }
    } finally {
      cluster.stop();
    }
    for (ProcessHandle p : cluster.pids().stream().map(ProcessHandle::of).flatMap(java.util.Optional::stream)
        .toList()) {
      assertFalse(p.isAlive(), "node " + p.pid() + " still runs");
    }
    String log = output.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("[node-1] " + DemoNode.READY), log);
    assertTrue(log.contains("[node-2] " + DemoNode.READY), log);
  }

  @Test
  void aNodeCountOutOfRangeIsRefusedBeforeAnythingStarts() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DemoCluster.launch(0, 8080, "x", System.out));
    assertTrue(e.getMessage().contains("from 1 to 9"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DemoArgs.parse(new String[] {"--nodse", "3"}, "--nodes"));
    assertThrows(IllegalArgumentException.class,
        () -> DemoArgs.parse(new String[] {"--nodes", "three"}, "--nodes").getInt("--nodes", 3));
  }

  private static JsonObject state(HttpClient http, String url) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "api/state")).build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body());
  }

  /** A free port whose successor is free too (each node serves on its own). */
  private static int twoFreePorts() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket a = new ServerSocket(0)) {
        try (ServerSocket b = new ServerSocket(a.getLocalPort() + 1)) {
          return a.getLocalPort();
        } catch (IOException taken) {
          // try another pair
        }
      }
    }
    throw new IOException("no two consecutive free ports");
  }
}
