package org.vertxgossip.tck;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.eventbus.ClusteredEventBusTest;

/** The Vert.x suite's {@code ClusteredEventBusTest}, unchanged, on gossip. */
public class GossipClusteredEventBusTest extends ClusteredEventBusTest {

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
