package org.vertxgossip.it;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;

/**
 * External member JVMs on 127.0.0.2, .3, … (one port, distinct addresses) and an in-JVM client on 127.0.0.1 that
 * observes them; closed together.
 */
final class ClusterFixture implements AutoCloseable {

  static final int PORT = 17946;
  final String cluster = "it-" + UUID.randomUUID();
  final List<ExternalNode> nodes = new ArrayList<>();
  Vertx client;
  GossipClusterManager cm;

  ClusterFixture(int members, String... extra) throws Exception {
    String seeds = seeds();
    for (int i = 0; i < members; i++) {
      nodes.add(new ExternalNode("127.0.0." + (i + 2), PORT, seeds, cluster, extra));
    }
  }

  static String seeds() {
    return "127.0.0.2:" + PORT + ",127.0.0.3:" + PORT;
  }

  /** Starts the in-JVM client and waits until it and every member see the whole cluster. */
  ClusterFixture withClient() throws Exception {
    cm = new GossipClusterManager(new GossipOptions().setHost("127.0.0.1").setPort(0)
        .setSeeds(List.of(seeds().split(","))).setClusterName(cluster));
    VertxOptions vo = new VertxOptions();
    vo.getEventBusOptions().setHost("127.0.0.1");
    client = Vertx.builder().with(vo).withClusterManager(cm).buildClustered().toCompletionStage()
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    awaitReady();
    awaitTrue(() -> cm.getNodes().size() == nodes.size() + 1, 30_000, "every member in the client's view");
    return this;
  }

  void awaitReady() throws InterruptedException {
    for (ExternalNode n : nodes) {
      if (n.awaitLine(0, l -> l.startsWith("READY"), 60_000) == null) {
        throw new AssertionError("node " + n.host + " never got ready");
      }
    }
  }

  static void awaitTrue(BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
    awaitTrue(condition, timeoutMs, () -> what);
  }

  /** {@link #awaitTrue(BooleanSupplier, long, String)} whose failure says what {@code what} finds then. */
  static void awaitTrue(BooleanSupplier condition, long timeoutMs, java.util.function.Supplier<String> what)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(what.get() + ": not within " + timeoutMs + " ms");
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() throws Exception {
    nodes.forEach(ExternalNode::close);
    if (client != null) {
      client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
