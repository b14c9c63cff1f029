package org.vertxgossip.tck;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.eventbus.FaultToleranceTest;
import java.util.List;

/**
 * The Vert.x suite's {@code FaultToleranceTest}: three external JVMs (found through the default loopback port
 * range, configured by the cluster-name property alone), two of them killed with SIGKILL. No sleep is added after
 * the kills: the survivors must see the removals through failure detection.
 */
public class GossipFaultToleranceTest extends FaultToleranceTest {

  @Override
  public void setUp() throws Exception {
    TckCluster.freshName();
    super.setUp();
  }

  @Override
  protected ClusterManager getClusterManager() {
    return TckCluster.manager();
  }

  @Override
  protected List<String> getExternalNodeSystemProperties() {
    return TckCluster.externalProperties();
  }
}
