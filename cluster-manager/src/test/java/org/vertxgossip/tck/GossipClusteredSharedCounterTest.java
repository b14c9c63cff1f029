package org.vertxgossip.tck;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.shareddata.ClusteredSharedCounterTest;

/** The Vert.x suite's {@code ClusteredSharedCounterTest}, unchanged, on gossip. */
public class GossipClusteredSharedCounterTest extends ClusteredSharedCounterTest {

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
