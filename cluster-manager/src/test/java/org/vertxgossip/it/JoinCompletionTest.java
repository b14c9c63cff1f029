package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;

/**
 * Where the join's callback runs. Vert.x carries on its start-up inside it (the HA manager, the event bus, then
 * the application's own callback) without moving to a context first, so a callback on a gossip or listener thread
 * hands the application a start-up completed on a thread that is not Vert.x's (the Vert.x suite failed on exactly
 * that: "Non Vert.x thread! :vertx-gossip-listener-…"). Joined as {@code clusteredVertx()} joins, from a thread that
 * is not Vert.x's, the callback must run on a Vert.x thread, whether the join succeeded or failed.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class JoinCompletionTest {

  private final String cluster = "join-completion-" + UUID.randomUUID();
  private final List<Vertx> vertxes = new ArrayList<>();
  private final List<GossipClusterManager> managers = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (GossipClusterManager cm : managers) {
      Promise<Void> left = Promise.promise();
      cm.leave(left);
      left.future().await(30, TimeUnit.SECONDS);
    }
    for (Vertx v : vertxes) {
      v.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFounderAndAJoinerAreToldOnAVertxThread() throws Exception {
    GossipClusterManager founder = manager(options());
    assertEquals("ok", joinFromATestThread(founder).get(30, TimeUnit.SECONDS));
    GossipClusterManager joiner = manager(options().setSeeds(List.of(founder.gossipAddress())));
    assertEquals("ok", joinFromATestThread(joiner).get(30, TimeUnit.SECONDS));
    assertTrue(joiner.getNodes().contains(founder.getNodeId()), "the joiner's view " + joiner.getNodes());
  }

  @Test
  void aJoinThatFailsIsToldOnAVertxThread() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      GossipClusterManager cm = manager(options().setPort(taken.getLocalPort()));
      String outcome = joinFromATestThread(cm).get(30, TimeUnit.SECONDS);
      assertTrue(outcome.startsWith("failed: "), outcome);
    }
  }

  /**
   * The options are resolved (a blocking step) on a thread that ends with it, not on a Vert.x worker: the worker
   * pool keeps a thread it started for the node's whole life, one more idle thread than a bare Vert.x has.
   */
  @Test
  void joiningStartsNoVertxWorkerThread() throws Exception {
    Set<Thread> before = workers();
    GossipClusterManager founder = manager(options());
    assertEquals("ok", joinFromATestThread(founder).get(30, TimeUnit.SECONDS));
    GossipClusterManager joiner = manager(options().setSeeds(List.of(founder.gossipAddress())));
    assertEquals("ok", joinFromATestThread(joiner).get(30, TimeUnit.SECONDS));
    Set<Thread> started = workers();
    started.removeAll(before);
    assertEquals(Set.of(), started, "Vert.x worker threads started by two joins");
    ClusterFixture.awaitTrue(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().equals("vertx-gossip-configuration")), 30_000, "the resolving threads ended");
  }

  private static Set<Thread> workers() {
    Set<Thread> out = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("vert.x-worker-thread")) {
        out.add(t);
      }
    }
    return out;
  }

  private GossipOptions options() {
    return new GossipOptions().setClusterName(cluster).setHost("127.0.0.1").setPort(0);
  }

  private GossipClusterManager manager(GossipOptions options) {
    Vertx vertx = Vertx.vertx();
    vertxes.add(vertx);
    GossipClusterManager cm = new GossipClusterManager(options);
    cm.init(vertx);
    managers.add(cm);
    return cm;
  }

  /** "ok" or "failed: …" when the callback ran on a context of the manager's Vert.x; where it ran otherwise. */
  private CompletableFuture<String> joinFromATestThread(GossipClusterManager cm) {
    assertTrue(!Context.isOnVertxThread(), "the test joins from a thread that is not Vert.x's");
    Vertx own = vertxes.get(managers.indexOf(cm));
    CompletableFuture<String> told = new CompletableFuture<>();
    cm.join((v, failure) -> {
      Context context = Vertx.currentContext();
      if (!Context.isOnVertxThread() || context == null || context.owner() != own) {
        told.complete("called back on " + Thread.currentThread().getName() + ", context " + context);
      } else {
        told.complete(failure == null ? "ok" : "failed: " + failure);
      }
    });
    return told;
  }
}
