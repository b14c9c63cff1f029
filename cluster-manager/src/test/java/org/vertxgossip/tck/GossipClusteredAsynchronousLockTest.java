package org.vertxgossip.tck;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.shareddata.ClusteredAsynchronousLockTest;
import org.junit.Test;

/**
 * The Vert.x suite's {@code ClusteredAsynchronousLockTest}, with the two tests the base class leaves to real
 * cluster managers turned on: a lock held by a node that closes, or only leaves, goes to the waiter.
 */
public class GossipClusteredAsynchronousLockTest extends ClusteredAsynchronousLockTest {

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

  @Test
  @Override
  public void testLockReleasedForClosedNode() throws Exception {
    super.testLockReleasedForClosedNode();
  }

  @Test
  @Override
  public void testLockReleasedForKilledNode() throws Exception {
    super.testLockReleasedForKilledNode();
  }
}
