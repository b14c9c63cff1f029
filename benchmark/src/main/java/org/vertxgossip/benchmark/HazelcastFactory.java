package org.vertxgossip.benchmark;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The Hazelcast manager with its default configuration ({@code default-cluster.xml}), joined over TCP on loopback
 * instead of multicast: the setting its documentation gives for hosts without multicast.
 */
public final class HazelcastFactory implements ManagerFactory {

  @Override
  public ClusterManager create() {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(System.getProperty("bench.cluster", "bench"));
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    return new HazelcastClusterManager(config);
  }
}
