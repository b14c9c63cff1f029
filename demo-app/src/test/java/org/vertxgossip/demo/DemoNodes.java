package org.vertxgossip.demo;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;

/** Demo nodes in this JVM, in a cluster of their own, and an HTTP client for their dashboards. */
final class DemoNodes implements AutoCloseable {

  static final String HOST = "127.0.0.1";
  private static final long POLL_TIMEOUT_MS = 30_000;

  final String clusterName = "demo-test-" + UUID.randomUUID();
  final List<DemoNode> nodes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  DemoNodes(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      GossipOptions options = new GossipOptions().setClusterName(clusterName).setHost(HOST).setPort(0);
      if (!nodes.isEmpty()) {
        options.setSeeds(List.of(nodes.get(0).clusterManager().gossipAddress()));
      }
      nodes.add(DemoNode.start(new GossipClusterManager(options), HOST, 0).await(60, TimeUnit.SECONDS));
    }
  }

  String url(int node) {
    return nodes.get(node).dashboardUrl();
  }

  HttpResponse<String> send(int node, String method, String path, String body) throws IOException,
      InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url(node) + path.substring(1)))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  JsonObject json(int node, String method, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = send(node, method, path, null);
    if (r.statusCode() != 200) {
      throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body());
  }

  /** Polls a node's state until it satisfies {@code condition}; fails with the last state after the deadline. */
  JsonObject awaitState(int node, Predicate<JsonObject> condition, String what) throws Exception {
    long deadline = System.currentTimeMillis() + POLL_TIMEOUT_MS;
    JsonObject state = json(node, "GET", "/api/state");
    while (!condition.test(state)) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("node " + node + " never showed " + what + "; last state: " + state.encode());
      }
      Thread.sleep(50); // polling interval
      state = json(node, "GET", "/api/state");
    }
    return state;
  }

  /** Whether a state shows exactly {@code size} members in the view, all alive. */
  static boolean viewOf(JsonObject state, int size) {
    JsonObject s = state.getJsonObject("snapshot");
    if (s == null || s.getInteger("viewSize", 0) != size || s.getJsonArray("members") == null) {
      return false;
    }
    long live = s.getJsonArray("members").stream().map(JsonObject.class::cast)
        .filter(m -> m.getBoolean("inView") && "ALIVE".equals(m.getString("state"))).count();
    return live == size;
  }

  @Override
  public void close() throws Exception {
    for (DemoNode n : nodes) {
      n.stop().await(30, TimeUnit.SECONDS);
    }
  }
}
