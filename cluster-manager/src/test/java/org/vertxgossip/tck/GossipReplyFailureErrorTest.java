package org.vertxgossip.tck;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.eventbus.ReplyFailureErrorTest;

/** The Vert.x suite's {@code ReplyFailureErrorTest}, unchanged, on gossip. */
public class GossipReplyFailureErrorTest extends ReplyFailureErrorTest {

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
