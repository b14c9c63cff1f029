package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.NodeInfo;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;

/**
 * {@code getNodeInfo} as the event bus uses it to reach a message's sender: a node whose state is not here yet is
 * waited for, at most the acknowledgement timeout; a departed node fails at once; answers come on the caller's
 * context.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NodeInfoLookupTest {

  private final String cluster = "lookup-" + UUID.randomUUID();
  private final InJvmNodes nodes = new InJvmNodes();

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  @Test
  void anUnknownNodeIsWaitedForUntilTheAcknowledgementTimeoutThenRefused() throws Exception {
    long ackTimeout = 400;
    GossipClusterManager cm = nodes.start(new GossipOptions().setClusterName(cluster).setPort(0)
        .setAckTimeout(ackTimeout));
    String stranger = UUID.randomUUID().toString();
    Vertx vertx = nodes.vertx(0);
    CompletableFuture<String> outcome = new CompletableFuture<>();
    long[] asked = new long[1];
    vertx.runOnContext(v -> {
      io.vertx.core.Context caller = vertx.getOrCreateContext();
      asked[0] = System.nanoTime();
      Promise<NodeInfo> p = Promise.promise();
      cm.getNodeInfo(stranger, p);
      p.future().onComplete(ar -> outcome.complete((Vertx.currentContext() == caller ? "caller " : "other ")
          + (ar.succeeded() ? "found" : ar.cause().getMessage())));
    });
    String answer = outcome.get(30, TimeUnit.SECONDS);
    long waitedMs = (System.nanoTime() - asked[0]) / 1_000_000;
    assertEquals("caller Not a member of the cluster: " + stranger, answer);
    assertTrue(waitedMs >= ackTimeout, "refused after " + waitedMs + " ms, before the " + ackTimeout + " ms wait");
  }

  @Test
  void aMemberIsFoundAndADepartedMemberIsRefusedWithoutWaiting() throws Exception {
    GossipOptions options = new GossipOptions().setClusterName(cluster).setPort(0).setAckTimeout(120_000);
    GossipClusterManager first = nodes.start(options);
    GossipClusterManager second = nodes.start(new GossipOptions(options).setSeeds(List.of(first.gossipAddress())));
    String secondId = second.getNodeId();
    NodeInfo info = lookup(first, secondId).get(30, TimeUnit.SECONDS);
    assertEquals(second.getNodeInfo(), info);

    nodes.stop(1);
    ClusterFixture.awaitTrue(() -> first.getNodes().size() == 1, 30_000, "the second node left the view");
    // Refused well inside the 120 s acknowledgement timeout the wait would otherwise last (and the test's 2 min).
    CompletableFuture<NodeInfo> after = lookup(first, secondId);
    Exception refused = assertThrows(Exception.class,
        () -> after.get(30, TimeUnit.SECONDS));
    assertEquals("Not a member of the cluster: " + secondId, refused.getCause().getMessage());
  }

  private static CompletableFuture<NodeInfo> lookup(GossipClusterManager cm, String id) {
    Promise<NodeInfo> p = Promise.promise();
    cm.getNodeInfo(id, p);
    return p.future().toCompletionStage().toCompletableFuture();
  }
}
