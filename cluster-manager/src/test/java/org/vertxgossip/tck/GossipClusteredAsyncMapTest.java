package org.vertxgossip.tck;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.shareddata.ClusteredAsyncMapTest;

/** The Vert.x suite's {@code ClusteredAsyncMapTest}, unchanged, on gossip. */
public class GossipClusteredAsyncMapTest extends ClusteredAsyncMapTest {

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
