package org.vertxgossip.it;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.cluster.NodeListener;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;

/**
 * One cluster member in its own JVM, for the multi-process tests: {@code host port seeds cluster}. It serves the
 * address "work" (replying with its node id) and prints one line per event on stdout: {@code READY id},
 * {@code VIEW size}.
 */
public final class ProcessNode {

  public static void main(String[] args) {
    GossipOptions options = new GossipOptions().setHost(args[0]).setPort(Integer.parseInt(args[1]))
        .setSeeds(java.util.List.of(args[2].split(","))).setClusterName(args[3]);
    GossipClusterManager cm = new GossipClusterManager(options);
    VertxOptions vo = new VertxOptions();
    vo.getEventBusOptions().setHost(args[0]);
    Vertx.builder().with(vo).withClusterManager(cm).buildClustered().onComplete(ar -> {
      if (ar.failed()) {
        ar.cause().printStackTrace();
        System.exit(2);
      }
      Vertx vertx = ar.result();
      cm.nodeListener(new NodeListener() {
        @Override
        public void nodeAdded(String nodeID) {
          System.out.println("VIEW " + cm.getNodes().size());
        }

        @Override
        public void nodeLeft(String nodeID) {
          System.out.println("VIEW " + cm.getNodes().size());
        }
      });
      vertx.eventBus().<String>consumer("work", msg -> msg.reply(cm.getNodeId())).completion()
          .onSuccess(v -> System.out.println("READY " + cm.getNodeId()));
    });
  }
}
