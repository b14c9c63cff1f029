package org.vertxgossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.it.InJvmNodes;

/** The health procedures' answers in each state a member passes through, read through vertx-health-check. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GossipHealthCheckTest {

  private static final String HOST = "127.0.0.24";
  private static final int PORT = 28700;

  private final String cluster = "health-" + UUID.randomUUID();
  private final InJvmNodes nodes = new InJvmNodes();

  @AfterEach
  void tearDown() throws Exception {
    nodes.close();
  }

  @Test
  void readinessFollowsTheViewTheQuorumAndTheLeave() throws Exception {
    GossipClusterManager a = manager(PORT);
    Status before = status(GossipHealthCheck.readiness(a));
    assertFalse(before.isOk());
    assertEquals("not in a view (not joined)", before.getData().getString("reason"));
    assertTrue(status(GossipHealthCheck.liveness(a)).isOk(), "a member that has not joined yet is alive");

    Vertx va = start(a);
    Status alone = awaitStatus(GossipHealthCheck.readiness(a), s -> s.getData().getInteger("viewSize") == 1);
    assertFalse(alone.isOk(), "a view of 1 is below minimumMembers 2");
    assertEquals("view of 1 below minimumMembers 2", alone.getData().getString("reason"));
    assertEquals(1, alone.getData().getJsonObject("members").getInteger("alive"));
    assertEquals(a.getNodeId(), alone.getData().getString("coordinator"));
    assertTrue(status(GossipHealthCheck.liveness(a)).isOk(), "waiting for a quorum is alive");

    GossipClusterManager b = manager(PORT + 1);
    start(b);
    for (GossipClusterManager cm : List.of(a, b)) {
      Status up = awaitStatus(GossipHealthCheck.readiness(cm), Status::isOk);
      JsonObject data = up.getData();
      assertEquals(2, data.getInteger("viewSize"));
      assertEquals(2, data.getJsonObject("members").getInteger("alive"));
      assertEquals(0, data.getJsonObject("members").getInteger("suspect"));
      assertEquals(a.getNodeId(), data.getString("coordinator"), "the founder coordinates");
      assertTrue(data.getLong("viewId") >= 2, "a second view admitted b");
      assertTrue(data.getBoolean("stateTransferDone"));
      assertEquals(2, data.getInteger("minimumMembers"));
      assertTrue(data.getJsonObject("dropped").containsKey("total"), "dropped input per reason: " + data);
    }
    // The same through vertx-health-check's own API, as an HTTP handler would call it.
    CheckResult result = HealthChecks.create(va).register("cluster", GossipHealthCheck.createProcedure(va))
        .checkStatus().await(10, TimeUnit.SECONDS);
    assertTrue(CheckResult.isUp(result), result.toJson().encode());

    nodes.stop(b);
    Status afterLeave = awaitStatus(GossipHealthCheck.readiness(a), s -> s.getData().getInteger("viewSize") == 1);
    assertFalse(afterLeave.isOk());
    assertEquals(1, afterLeave.getData().getJsonObject("members").getInteger("left"), afterLeave.getData().encode());
    Status gone = status(GossipHealthCheck.readiness(b));
    assertFalse(gone.isOk());
    assertEquals("not in a view (stopped)", gone.getData().getString("reason"));
    Status dead = status(GossipHealthCheck.liveness(b));
    assertFalse(dead.isOk(), "a member that left is not alive");
    assertEquals("the cluster manager stopped", dead.getData().getString("reason"));
  }

  @Test
  void aMemberIsReadyOnlyOnceItsStateTransferIsDone() throws Exception {
    GossipClusterManager a = manager(PORT + 2);
    start(a);
    JsonObject snapshot = a.snapshotAsync().await(10, TimeUnit.SECONDS);
    assertTrue(snapshot.getBoolean("stateTransferDone"), "a founder holds every store at once: " + snapshot);
    assertTrue(GossipHealthCheck.readinessOf(snapshot, 1).isOk());
    // A joiner's snapshot while it still pulls its stores says so; the verdict follows that field alone.
    Status pulling = GossipHealthCheck.readinessOf(snapshot.copy().put("stateTransferDone", false), 1);
    assertFalse(pulling.isOk());
    assertEquals("state transfer not done", pulling.getData().getString("reason"));
  }

  @Test
  void aVertxWithoutTheGossipManagerIsRefused() {
    Vertx plain = Vertx.vertx();
    try {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> GossipHealthCheck.createProcedure(plain));
      assertTrue(e.getMessage().contains("GossipClusterManager"), e.getMessage());
    } finally {
      plain.close();
    }
  }

  private GossipClusterManager manager(int port) {
    return new GossipClusterManager(new GossipOptions().setClusterName(cluster).setHost(HOST).setPort(port)
        .setSeeds(port == PORT + 2 ? List.of(HOST + ":" + port) : List.of(HOST + ":" + PORT, HOST + ":" + (PORT + 1)))
        .setMinimumMembers(port == PORT + 2 ? 0 : 2)
        .setProfile("local"));
  }

  private Vertx start(GossipClusterManager cm) throws Exception {
    VertxOptions vo = new VertxOptions();
    vo.getEventBusOptions().setHost(HOST);
    return nodes.start(cm, vo);
  }

  private static Status status(Handler<Promise<Status>> procedure) throws Exception {
    CompletableFuture<Status> f = new CompletableFuture<>();
    Promise<Status> p = Promise.promise();
    p.future().onComplete(ar -> {
      if (ar.succeeded()) {
        f.complete(ar.result());
      } else {
        f.completeExceptionally(ar.cause());
      }
    });
    procedure.handle(p);
    return f.get(10, TimeUnit.SECONDS);
  }

  /** Polls the procedure until its status passes {@code until}; the last status otherwise, after 20 s. */
  private static Status awaitStatus(Handler<Promise<Status>> procedure, Predicate<Status> until) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    Status s = status(procedure);
    while (!until.test(s)) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not within 20 s: " + s.toJson().encode());
      }
      Thread.sleep(50);
      s = status(procedure);
    }
    return s;
  }
}
