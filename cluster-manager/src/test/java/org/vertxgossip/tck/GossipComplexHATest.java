package org.vertxgossip.tck;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.ha.ComplexHATest;

/** The Vert.x suite's {@code ComplexHATest}, unchanged, on gossip. */
public class GossipComplexHATest extends ComplexHATest {

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
