package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;

/** Nodes configured with nothing but a cluster name and a port outside the default range. */
class ZeroConfigTest {

  private final String cluster = "zero-" + UUID.randomUUID();
  private final List<Vertx> nodes = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (Vertx v : nodes) {
      v.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aNodeOnAnyPortWithNoSeedsFoundsItsClusterAndOthersJoinIt() throws Exception {
    GossipClusterManager first = new GossipClusterManager(new GossipOptions().setClusterName(cluster).setPort(0));
    start(first);
    assertEquals(List.of(first.getNodeId()), first.getNodes(), "alone, it founded a cluster");
    GossipClusterManager second = new GossipClusterManager(new GossipOptions().setClusterName(cluster).setPort(0)
        .setSeeds(List.of(first.gossipAddress())));
    start(second);
    assertEquals(2, second.getNodes().size());
    assertEquals(2, first.getNodes().size());
  }

  private void start(GossipClusterManager cm) throws Exception {
    nodes.add(Vertx.builder().withClusterManager(cm).buildClustered().await(30, TimeUnit.SECONDS));
  }
}
