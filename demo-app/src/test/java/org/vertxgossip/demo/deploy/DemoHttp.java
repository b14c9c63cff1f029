package org.vertxgossip.demo.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A demo node's HTTP API as the deployment tests read it: its state, its scrape, its work endpoint; polling. */
final class DemoHttp {

  static final long DEADLINE_MS = 60_000;

  interface Check {
    boolean holds() throws Exception;
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  HttpResponse<String> send(String base, String method, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonObject state(String base) throws IOException, InterruptedException {
    HttpResponse<String> r = send(base, "GET", "/api/state");
    if (r.statusCode() != 200) {
      throw new IOException(base + " answered " + r.statusCode());
    }
    return new JsonObject(r.body());
  }

  /** The first sample of {@code name} in the node's scrape whose labels contain {@code labels}; -1 when none. */
  double metric(String base, String name, String labels) throws IOException, InterruptedException {
    Matcher m = Pattern.compile("^" + name + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE)
        .matcher(send(base, "GET", "/metrics").body());
    while (m.find()) {
      if (m.group(1).contains(labels)) {
        return Double.parseDouble(m.group(2));
      }
    }
    return -1;
  }

  /** {@code count} requests from {@code base}'s dashboard: the outcome, after checking it is a 200. */
  JsonObject work(String base, int count) throws IOException, InterruptedException {
    HttpResponse<String> r = send(base, "POST", "/api/work?count=" + count);
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  /** Polls {@code base}'s state until it passes {@code condition}; fails with the last one after the deadline. */
  void awaitState(String base, Predicate<JsonObject> condition, String what, Object logs) throws Exception {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    String last = "no answer";
    while (System.currentTimeMillis() < deadline) {
      try {
        JsonObject st = state(base);
        if (condition.test(st)) {
          return;
        }
        last = st.getJsonObject("snapshot").encode();
      } catch (IOException notServingYet) {
        last = String.valueOf(notServingYet);
      }
      Thread.sleep(20); // polling interval
    }
    throw new AssertionError(base + " never showed " + what + " (logs in " + logs + "); last: " + last);
  }

  static void awaitTrue(Check check, String what) throws Exception {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    while (!check.holds()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(what + ": not within " + DEADLINE_MS + " ms");
      }
      Thread.sleep(100); // polling interval
    }
  }

  /** Exactly {@code size} members in the view, all alive. */
  static boolean viewOf(JsonObject state, int size) {
    JsonObject s = state.getJsonObject("snapshot");
    if (s == null || s.getInteger("viewSize", 0) != size || s.getJsonArray("members") == null) {
      return false;
    }
    return s.getJsonArray("members").stream().map(JsonObject.class::cast)
        .filter(m -> m.getBoolean("inView") && "ALIVE".equals(m.getString("state"))).count() == size;
  }
}
