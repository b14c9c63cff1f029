package org.vertxgossip.benchmark;

import java.util.ArrayList;
import java.util.List;

/**
 * What a node JVM runs, with the jars it gets and the properties it is started with. The jars are picked from the
 * benchmark's own dependencies by their Maven path, so a node never has another manager's jars on its class path.
 */
enum Manager {

  GOSSIP("vertx-gossip", GossipFactory.class.getName()),
  /** vertx-gossip with its own address as its only seed: the founder's start-up figure when seeds are set. */
  GOSSIP_SEEDED("vertx-gossip, seeds set", GossipFactory.class.getName()),
  HAZELCAST("Hazelcast CM", HazelcastFactory.class.getName()),
  INFINISPAN("Infinispan CM", InfinispanFactory.class.getName()),
  BARE("bare Vert.x", null);

  /** The Infinispan manager's dependencies (vertx-infinispan 5.0.7's tree), by their Maven group paths. */
  private static final List<String> INFINISPAN_JARS = List.of("/io/vertx/vertx-infinispan/", "/org/infinispan/",
      "/org/jgroups/", "/org/jboss/", "/org/wildfly/", "/com/github/ben-manes/", "/io/reactivex/",
      "/org/reactivestreams/", "/jakarta/transaction/", "/com/squareup/", "/org/javassist/");

  private final String label;
  private final String factoryClass;

  Manager(String label, String factoryClass) {
    this.label = label;
    this.factoryClass = factoryClass;
  }

  String label() {
    return label;
  }

  String factoryClass() {
    return factoryClass;
  }

  /** vertx-core, its Netty and jackson-core: on every node's class path. */
  static boolean common(String jar) {
    return jar.contains("/io/netty/") || jar.contains("/io/vertx/vertx-core/")
        || jar.contains("/io/vertx/vertx-core-logging/") || jar.contains("/com/fasterxml/jackson/core/");
  }

  /** Whether a dependency jar (a path in the Maven repository layout) belongs to this manager. */
  boolean owns(String jar) {
    boolean gossip = jar.contains("vertx-gossip-cluster-manager") || jar.contains("/cluster-manager/target/");
    boolean hazelcast = jar.contains("/com/hazelcast/") || jar.contains("vertx-hazelcast");
    switch (this) {
      case GOSSIP:
      case GOSSIP_SEEDED:
        return gossip;
      case HAZELCAST:
        return hazelcast;
      case INFINISPAN:
        return INFINISPAN_JARS.stream().anyMatch(jar::contains);
      default:
        return false;
    }
  }

  /** System properties for a node of a run whose cluster is named {@code cluster}; {@code port} is a free one. */
  List<String> properties(String cluster, int port) {
    List<String> p = new ArrayList<>();
    p.add("-Djava.net.preferIPv4Stack=true");
    p.add("-Dbench.cluster=" + cluster);
    switch (this) {
      case GOSSIP:
        p.add("-Dvertx.gossip.clusterName=" + cluster);
        break;
      case GOSSIP_SEEDED:
        p.add("-Dvertx.gossip.clusterName=" + cluster);
        p.add("-Dvertx.gossip.host=127.0.0.1");
        p.add("-Dvertx.gossip.port=" + port);
        p.add("-Dvertx.gossip.seeds=127.0.0.1:" + port);
        break;
      case INFINISPAN:
        p.add("-Djgroups.bind_addr=127.0.0.1");
        p.add("-Djgroups.tcpping.initial_hosts=127.0.0.1[7800]");
        p.add("-Djgroups.tcp.port_range=10");
        p.add("-Dinfinispan.cluster.name=" + cluster);
        break;
      default:
        break;
    }
    return p;
  }
}
