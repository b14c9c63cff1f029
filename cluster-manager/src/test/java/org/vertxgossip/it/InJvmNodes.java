package org.vertxgossip.it;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;

/** Clustered Vert.x instances a test starts in this JVM, closed together at its end. */
final class InJvmNodes implements AutoCloseable {

  private final List<Vertx> started = new ArrayList<>();
  private final Map<GossipClusterManager, Vertx> byManager = new HashMap<>();

  /** Starts a clustered Vert.x with these options; its cluster manager once joined. */
  GossipClusterManager start(GossipOptions options) throws Exception {
    GossipClusterManager cm = new GossipClusterManager(options);
    Vertx vertx = Vertx.builder().withClusterManager(cm).buildClustered().await(30, TimeUnit.SECONDS);
    started.add(vertx);
    byManager.put(cm, vertx);
    return cm;
  }

  /** The Vert.x instance around a cluster manager this started. */
  Vertx vertxOf(GossipClusterManager cm) {
    return byManager.get(cm);
  }

  /** Closes the {@code index}th node started (it leaves the cluster). */
  void stop(int index) throws Exception {
    started.remove(index).close().await(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    for (Vertx v : started) {
      v.close().await(30, TimeUnit.SECONDS);
    }
    started.clear();
    byManager.clear();
  }
}
