package org.vertxgossip.tck;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.tracing.ClusteredEventBusTracerTest;

/** The Vert.x suite's {@code ClusteredEventBusTracerTest}, unchanged, on gossip. */
public class GossipClusteredEventBusTracerTest extends ClusteredEventBusTracerTest {

  @Override
  public void setUp() throws Exception {
    TckCluster.freshName();
    super.setUp();
  }

  @Override
  protected ClusterManager getClusterManager() {
    return TckCluster.manager();
  }
}
