package org.vertxgossip.tck;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.ha.HATest;

/** The Vert.x suite's {@code HATest}, unchanged, on gossip. */
public class GossipHATest extends HATest {

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
