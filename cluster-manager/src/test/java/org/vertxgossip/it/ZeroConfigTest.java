package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;

/** Nodes configured with nothing but a cluster name and a port outside the default range. */
class ZeroConfigTest {

  private final String cluster = "zero-" + UUID.randomUUID();
  private final InJvmNodes nodes = new InJvmNodes();

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  @Test
  void aNodeOnAnyPortWithNoSeedsFoundsItsClusterAndOthersJoinIt() throws Exception {
    GossipClusterManager first = nodes.start(new GossipOptions().setClusterName(cluster).setPort(0));
    assertEquals(List.of(first.getNodeId()), first.getNodes(), "alone, it founded a cluster");
    GossipClusterManager second = nodes.start(new GossipOptions().setClusterName(cluster).setPort(0)
        .setSeeds(List.of(first.gossipAddress())));
    assertEquals(2, second.getNodes().size());
    assertEquals(2, first.getNodes().size());
  }
}
