package org.vertxgossip.tck;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.eventbus.NodeInfoTest;

/** The Vert.x suite's {@code NodeInfoTest}, unchanged, on gossip. */
public class GossipNodeInfoTest extends NodeInfoTest {

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
