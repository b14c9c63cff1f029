package org.vertxgossip.tck;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.eventbus.ClusteredEventBusWithSSLTest;

/** The Vert.x suite's {@code ClusteredEventBusWithSSLTest}, unchanged, on gossip. */
public class GossipClusteredEventBusWithSSLTest extends ClusteredEventBusWithSSLTest {

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
