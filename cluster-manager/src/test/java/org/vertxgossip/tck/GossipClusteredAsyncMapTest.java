package org.vertxgossip.tck;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.shareddata.ClusteredAsyncMapTest;

/** The Vert.x suite's {@code ClusteredAsyncMapTest}, unchanged, on gossip. */
public class GossipClusteredAsyncMapTest extends ClusteredAsyncMapTest {

  @Override
  public void setUp() throws Exception {
    freshCluster();
    super.setUp();
  }

  /** A fresh cluster for each test; the encrypted subclass gives it a key too. */
  protected void freshCluster() {
    TckCluster.freshName();
  }

  @Override
  protected ClusterManager getClusterManager() {
    return TckCluster.manager();
  }
}
