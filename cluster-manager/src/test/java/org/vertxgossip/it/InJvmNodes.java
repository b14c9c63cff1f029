package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;

/**
 * Clustered Vert.x instances a test starts in this JVM, by their cluster managers, closed together at its end.
 * Public for the tests of the API's own package.
 */
public final class InJvmNodes implements AutoCloseable {

  private final Map<GossipClusterManager, Vertx> started = new LinkedHashMap<>();

  /** Starts a clustered Vert.x with these options; its cluster manager once joined. */
  public GossipClusterManager start(GossipOptions options) throws Exception {
    return start(options, new VertxOptions());
  }

  /** The same, with these Vert.x options (the event bus's, say). */
  public GossipClusterManager start(GossipOptions options, VertxOptions vertxOptions) throws Exception {
    GossipClusterManager cm = new GossipClusterManager(options);
    start(cm, vertxOptions);
    return cm;
  }

  /** A clustered Vert.x around {@code cm}, made by the test (to act on it before it joins); once joined. */
  public Vertx start(GossipClusterManager cm, VertxOptions vertxOptions) throws Exception {
    Vertx v = Vertx.builder().with(vertxOptions).withClusterManager(cm).buildClustered().await(30, TimeUnit.SECONDS);
    started.put(cm, v);
    return v;
  }

  /** The Vert.x instance around a cluster manager this started. */
  public Vertx vertxOf(GossipClusterManager cm) {
    return started.get(cm);
  }

  /** Closes the node of {@code cm} (it leaves the cluster). */
  public void stop(GossipClusterManager cm) throws Exception {
    started.remove(cm).close().await(30, TimeUnit.SECONDS);
  }

  /**
   * Waits for one view of these members, then checks that they serve: a request from the last to a consumer on
   * the first, and a map entry put on the first and read on each of the others.
   */
  void assertServe(GossipClusterManager... members) throws Exception {
    List<GossipClusterManager> all = List.of(members);
    ClusterFixture.awaitTrue(() -> all.stream().allMatch(cm -> cm.getNodes().size() == all.size()), 30_000,
        "one view of " + all.size());
    Vertx first = vertxOf(members[0]);
    Vertx last = vertxOf(members[members.length - 1]);
    first.eventBus().<String>consumer("echo", m -> m.reply("re:" + m.body())).completion()
        .await(10, TimeUnit.SECONDS);
    assertEquals("re:x", last.eventBus().<String>request("echo", "x").await(10, TimeUnit.SECONDS).body());
    first.sharedData().<String, String>getAsyncMap("m").compose(m -> m.put("k", "v")).await(10, TimeUnit.SECONDS);
    for (GossipClusterManager cm : all.subList(1, all.size())) {
      assertEquals("v", vertxOf(cm).sharedData().<String, String>getAsyncMap("m").compose(m -> m.get("k"))
          .await(10, TimeUnit.SECONDS));
    }
  }

  @Override
  public void close() throws Exception {
    for (Vertx v : started.values()) {
      v.close().await(30, TimeUnit.SECONDS);
    }
    started.clear();
  }
}
