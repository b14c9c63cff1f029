package org.vertxgossip.tck;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.tracing.ClusteredEventBusTracingTest;

/** The Vert.x suite's {@code ClusteredEventBusTracingTest}, unchanged, on gossip. */
public class GossipClusteredEventBusTracingTest extends ClusteredEventBusTracingTest {

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
