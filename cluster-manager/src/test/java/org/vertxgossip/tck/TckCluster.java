package org.vertxgossip.tck;

import java.util.List;
import java.util.UUID;
import org.vertxgossip.GossipClusterManager;

/**
 * What every suite class does, as a user's build would: a fresh cluster name per test (so that nodes of an earlier
 * test, still closing, never join a later one) and default options otherwise.
 */
final class TckCluster {

  static final String PROPERTY = "vertx.gossip.clusterName";

  private TckCluster() {
  }

  static void freshName() {
    System.setProperty(PROPERTY, "tck-" + UUID.randomUUID());
  }

  static GossipClusterManager manager() {
    return new GossipClusterManager();
  }

  /** System properties for the suite's external JVMs: the same cluster name. */
  static List<String> externalProperties() {
    return List.of("-D" + PROPERTY + "=" + System.getProperty(PROPERTY), "-Djava.net.preferIPv4Stack=true");
  }
}
