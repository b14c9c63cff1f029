package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;

/**
 * {@code getNodeInfo} as the event bus uses it to reach a message's sender. A live member whose state has not
 * arrived yet is waited for, at most the acknowledgement timeout; a node the membership does not know as live is
 * refused at once; answers come on an event loop other than the caller's, taken in turn, because the event bus
 * opens its connection to that node on the context the answer runs on.
 *
 * <p>The "member without NodeInfo yet" is a cluster manager joined without a clustered Vert.x around it: it is in
 * the view, and its NodeInfo exists only once the test sets it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NodeInfoLookupTest {

  private final String cluster = "lookup-" + UUID.randomUUID();
  private final InJvmNodes nodes = new InJvmNodes();
  private Vertx bareVertx;
  private GossipClusterManager bare;

  @AfterEach
  void close() throws Exception {
    if (bare != null) {
      Promise<Void> left = Promise.promise();
      bare.leave(left);
      left.future().await(30, TimeUnit.SECONDS);
      bareVertx.close().await(30, TimeUnit.SECONDS);
    }
    nodes.close();
  }

  @Test
  void aLiveMemberIsWaitedForUntilItsNodeInfoArrives() throws Exception {
    GossipClusterManager first = nodes.start(options(120_000));
    joinBare(first);
    CompletableFuture<String> lookup = lookupOnContext(first, bare.getNodeId());
    NodeInfo info = new NodeInfo("127.0.0.1", 45678, new JsonObject().put("late", true));
    Promise<Void> set = Promise.promise();
    bare.setNodeInfo(info, set);
    set.future().await(30, TimeUnit.SECONDS);
    assertEquals("another loop " + info, lookup.get(30, TimeUnit.SECONDS));
  }

  @Test
  void aLiveMemberWhoseNodeInfoNeverComesIsRefusedAfterTheAcknowledgementTimeout() throws Exception {
    long ackTimeout = 400;
    GossipClusterManager first = nodes.start(options(ackTimeout));
    joinBare(first);
    long asked = System.nanoTime();
    String answer = lookupOnContext(first, bare.getNodeId()).get(30, TimeUnit.SECONDS);
    long waitedMs = (System.nanoTime() - asked) / 1_000_000;
    assertEquals("another loop Not a member of the cluster: " + bare.getNodeId(), answer);
    assertTrue(waitedMs >= ackTimeout, "refused after " + waitedMs + " ms, before the " + ackTimeout + " ms wait");
  }

  @Test
  void unknownAndDepartedNodesAreRefusedWithoutWaiting() throws Exception {
    // Each refusal must come well inside the 120 s the wait would last (and the test's 2 minutes).
    GossipClusterManager first = nodes.start(options(120_000));
    String stranger = UUID.randomUUID().toString();
    assertEquals("another loop Not a member of the cluster: " + stranger,
        lookupOnContext(first, stranger).get(30, TimeUnit.SECONDS));
    assertEquals("another loop Not a member of the cluster: not-a-node-id",
        lookupOnContext(first, "not-a-node-id").get(30, TimeUnit.SECONDS));

    GossipClusterManager second = nodes.start(options(120_000).setSeeds(List.of(first.gossipAddress())));
    String secondId = second.getNodeId();
    assertEquals("another loop " + second.getNodeInfo(), lookupOnContext(first, secondId).get(30, TimeUnit.SECONDS));
    nodes.stop(second);
    ClusterFixture.awaitTrue(() -> first.getNodes().size() == 1, 30_000, "the second node left the view");
    assertEquals("another loop Not a member of the cluster: " + secondId,
        lookupOnContext(first, secondId).get(30, TimeUnit.SECONDS));
  }

  private GossipOptions options(long ackTimeoutMs) {
    return new GossipOptions().setClusterName(cluster).setPort(0).setAckTimeout(ackTimeoutMs);
  }

  /** Joins a cluster manager with no NodeInfo (no clustered Vert.x sets one) and waits until it is in the view. */
  private void joinBare(GossipClusterManager first) throws Exception {
    bareVertx = Vertx.vertx();
    bare = new GossipClusterManager(options(120_000).setSeeds(List.of(first.gossipAddress())));
    bare.init(bareVertx);
    Promise<Void> joined = Promise.promise();
    bare.join(joined);
    joined.future().await(30, TimeUnit.SECONDS);
    ClusterFixture.awaitTrue(() -> first.getNodes().contains(bare.getNodeId()), 30_000, "the bare member in view");
  }

  @Test
  void answersComeOnEventLoopsOtherThanTheCallersInTurn() throws Exception {
    GossipClusterManager first = nodes.start(options(120_000));
    GossipClusterManager second = nodes.start(options(120_000).setSeeds(List.of(first.gossipAddress())));
    ContextInternal caller = (ContextInternal) nodes.vertxOf(first).getOrCreateContext();
    Set<EventLoop> answeredOn = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      CompletableFuture<ContextInternal> answered = new CompletableFuture<>();
      caller.runOnContext(v -> {
        // As the event bus does: ask, then attach the continuation that opens the connection. The caller's task
        // goes on a while first (up to 200 ms, or until an answer arrives), as a busy loop may: an answer that
        // came meanwhile would run the continuation on the caller's own thread.
        Promise<NodeInfo> p = Promise.promise();
        first.getNodeInfo(second.getNodeId(), p);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        while (!p.future().isComplete() && System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        p.future().onComplete(ar -> answered.complete((ContextInternal) Vertx.currentContext()));
      });
      ContextInternal context = answered.get(30, TimeUnit.SECONDS);
      assertTrue(context.isEventLoopContext(), "answered on " + context);
      assertNotEquals(caller.nettyEventLoop(), context.nettyEventLoop(), "answer " + i + " on the caller's loop");
      answeredOn.add(context.nettyEventLoop());
    }
    int loops = 0;
    for (EventExecutor ignored : ((VertxInternal) nodes.vertxOf(first)).nettyEventLoopGroup()) {
      loops++;
    }
    assertEquals(Math.min(8, loops - 1), answeredOn.size(), "loops the 8 answers came on, of " + loops);
  }

  /**
   * Looks {@code id} up from a context of {@code cm}'s Vert.x: "another loop " when the answer came on an event
   * loop other than the caller's (as the event bus needs), else "caller's loop ", then the NodeInfo or the
   * failure's message.
   */
  private CompletableFuture<String> lookupOnContext(GossipClusterManager cm, String id) {
    Vertx vertx = nodes.vertxOf(cm);
    CompletableFuture<String> outcome = new CompletableFuture<>();
    ContextInternal caller = (ContextInternal) vertx.getOrCreateContext();
    caller.runOnContext(v -> {
      Promise<NodeInfo> p = Promise.promise();
      cm.getNodeInfo(id, p);
      Future<NodeInfo> f = p.future();
      f.onComplete(ar -> {
        ContextInternal answered = (ContextInternal) Vertx.currentContext();
        boolean another = answered != null && answered.isEventLoopContext()
            && answered.nettyEventLoop() != caller.nettyEventLoop();
        outcome.complete((another ? "another loop " : "caller's loop ")
            + (ar.succeeded() ? ar.result() : ar.cause().getMessage()));
      });
    });
    return outcome;
  }
}
