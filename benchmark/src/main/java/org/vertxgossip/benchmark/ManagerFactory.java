package org.vertxgossip.benchmark;

import io.vertx.core.spi.cluster.ClusterManager;

/**
 * Makes one manager's {@link ClusterManager}. Each implementation is loaded by name, so a node JVM links only the
 * manager it runs and needs only that manager's jars.
 */
public interface ManagerFactory {

  ClusterManager create();
}
