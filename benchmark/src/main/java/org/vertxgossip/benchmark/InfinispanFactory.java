package org.vertxgossip.benchmark;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.cluster.infinispan.InfinispanClusterManager;

/**
 * The Infinispan manager with its default configuration: JGroups over TCP, found on loopback through the
 * {@code jgroups.*} properties the driver sets (TCPPING, as its {@code tcp.xml} asks for on hosts without
 * multicast).
 */
public final class InfinispanFactory implements ManagerFactory {

  @Override
  public ClusterManager create() {
    return new InfinispanClusterManager();
  }
}
