package org.vertxgossip.it;

import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;

/** Clustered Vert.x instances a test starts in this JVM, by their cluster managers, closed together at its end. */
final class InJvmNodes implements AutoCloseable {

  private final Map<GossipClusterManager, Vertx> started = new LinkedHashMap<>();

  /** Starts a clustered Vert.x with these options; its cluster manager once joined. */
  GossipClusterManager start(GossipOptions options) throws Exception {
    GossipClusterManager cm = new GossipClusterManager(options);
    started.put(cm, Vertx.builder().withClusterManager(cm).buildClustered().await(30, TimeUnit.SECONDS));
    return cm;
  }

  /** The Vert.x instance around a cluster manager this started. */
  Vertx vertxOf(GossipClusterManager cm) {
    return started.get(cm);
  }

  /** Closes the node of {@code cm} (it leaves the cluster). */
  void stop(GossipClusterManager cm) throws Exception {
    started.remove(cm).close().await(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    for (Vertx v : started.values()) {
      v.close().await(30, TimeUnit.SECONDS);
    }
    started.clear();
  }
}
