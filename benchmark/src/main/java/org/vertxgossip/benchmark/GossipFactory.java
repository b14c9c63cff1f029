package org.vertxgossip.benchmark;

import io.vertx.core.spi.cluster.ClusterManager;
import org.vertxgossip.GossipClusterManager;

/** vertx-gossip with the options its JVM was given ({@code -Dvertx.gossip.*}), else its zero configuration. */
public final class GossipFactory implements ManagerFactory {

  @Override
  public ClusterManager create() {
    return new GossipClusterManager();
  }
}
