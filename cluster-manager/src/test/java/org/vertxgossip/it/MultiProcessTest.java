package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.membership.MembershipConfig;
import org.vertxgossip.membership.Profile;

/**
 * Five member JVMs on 127.0.0.2-6 (one port, distinct addresses, as on five hosts) and this JVM as a client
 * exchanging requests with them. One member is killed with SIGKILL, one paused with SIGSTOP briefly and then for
 * longer than the suspicion timeout.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MultiProcessTest {

  private static final MembershipConfig LAN = Profile.LAN.config();
  private ClusterFixture fixture;
  private List<ExternalNode> nodes;
  private Vertx client;
  private GossipClusterManager cm;

  @AfterEach
  void tearDown() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void killAndPauseMembers() throws Exception {
    fixture = new ClusterFixture(5).withClient();
    nodes = fixture.nodes;
    client = fixture.client;
    cm = fixture.cm;
    // A member that registered before the client joined sends its state on the view that admits the client.
    awaitTrue(() -> registrationsOfWork() == 5, 30_000, "the five consumers visible to the client");

    Set<String> ids = new HashSet<>();
    nodes.forEach(n -> ids.add(n.nodeId));
    assertEquals(ids, answerers(40), "round-robin reaches every member");

    // ---- SIGKILL: removed from every view within the bound, no request routed to it afterwards ----
    ExternalNode killed = nodes.get(4);
    int[] marks = marks();
    long t0 = System.nanoTime();
    killed.signal("KILL");
    long bound = LAN.failureDetectionBoundMs(6);
    awaitTrue(() -> !cm.getNodes().contains(killed.nodeId), bound, "client drops the killed member");
    long clientMs = (System.nanoTime() - t0) / 1_000_000;
    for (int i = 0; i < 4; i++) {
      ExternalNode n = nodes.get(i);
      long left = bound - (System.nanoTime() - t0) / 1_000_000;
      assertNotNull(n.awaitLine(marks[i], "VIEW 5"::equals, Math.max(0, left)), n.host + " drops the killed member");
    }
    long allMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("SIGKILL: removed by the client after %d ms, by every member after %d ms (bound %d ms)%n",
        clientMs, allMs, bound);
    Set<String> after = answerers(40);
    assertFalse(after.contains(killed.nodeId), "a request went to the killed member");
    assertEquals(4, after.size());

    // ---- short SIGSTOP (below the suspicion floor): no view change anywhere ----
    ExternalNode paused = nodes.get(3);
    long viewBefore = viewId();
    marks = marks();
    long shortPause = LAN.suspicionMinMs(5) / 2;
    paused.signal("STOP");
    Thread.sleep(shortPause); // the pause itself, not a wait for a condition
    paused.signal("CONT");
    // A suspicion raised during the pause lasts at most its full timeout: watch that long for a removal.
    long watchUntil = System.currentTimeMillis() + LAN.suspicionMaxMs(5);
    while (System.currentTimeMillis() < watchUntil) {
      assertEquals(viewBefore, viewId(), "the client's view changed after a " + shortPause + " ms pause");
      Thread.sleep(100);
    }
    for (int i = 0; i < 4; i++) {
      assertEquals(List.of(), nodes.get(i).linesFrom(marks[i], l -> l.startsWith("VIEW")),
          nodes.get(i).host + " saw a view change after a short pause");
    }
    System.out.printf("short SIGSTOP of %d ms: no view change over %d ms%n", shortPause, LAN.suspicionMaxMs(5));

    // ---- long SIGSTOP: removed; after SIGCONT it rejoins with a new incarnation and serves again ----
    int incarnationBefore = incarnationOf(paused.nodeId);
    marks = marks();
    long t1 = System.nanoTime();
    paused.signal("STOP");
    awaitTrue(() -> !cm.getNodes().contains(paused.nodeId), LAN.failureDetectionBoundMs(5),
        "client drops the paused member");
    for (int i = 0; i < 3; i++) {
      ExternalNode n = nodes.get(i);
      assertNotNull(n.awaitLine(marks[i], "VIEW 4"::equals, LAN.failureDetectionBoundMs(5)),
          n.host + " drops the paused member");
    }
    long removedMs = (System.nanoTime() - t1) / 1_000_000;
    paused.signal("CONT");
    long t2 = System.nanoTime();
    awaitTrue(() -> cm.getNodes().contains(paused.nodeId), 30_000, "the paused member rejoins");
    long rejoinMs = (System.nanoTime() - t2) / 1_000_000;
    assertTrue(incarnationOf(paused.nodeId) > incarnationBefore, "rejoined with a new incarnation");
    awaitTrue(() -> answerers(8).contains(paused.nodeId), 30_000, "the rejoined member's consumer is reached");
    System.out.printf("long SIGSTOP: removed after %d ms; rejoined %d ms after SIGCONT (incarnation %d -> %d)%n",
        removedMs, rejoinMs, incarnationBefore, incarnationOf(paused.nodeId));
  }

  private int[] marks() {
    int[] m = new int[nodes.size()];
    for (int i = 0; i < m.length; i++) {
      m[i] = nodes.get(i).lineCount();
    }
    return m;
  }

  private int registrationsOfWork() {
    java.util.concurrent.CompletableFuture<Integer> n = new java.util.concurrent.CompletableFuture<>();
    cm.getRegistrations("work", (list, err) -> n.complete(list == null ? -1 : list.size()));
    return n.join();
  }

  private long viewId() {
    return cm.snapshot().getLong("viewId");
  }

  private int incarnationOf(String id) {
    for (Object o : cm.snapshot().getJsonArray("members")) {
      JsonObject m = (JsonObject) o;
      if (m.getString("id").equals(id)) {
        return m.getInteger("incarnation");
      }
    }
    throw new AssertionError("no member " + id);
  }

  /** Sends {@code n} requests, all of which must be answered; the set of members that answered. */
  private Set<String> answerers(int n) {
    List<Future<Message<String>>> replies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      replies.add(client.eventBus().request("work", "ping", new DeliveryOptions().setSendTimeout(10_000)));
    }
    Set<String> who = new HashSet<>();
    try {
      for (Future<Message<String>> f : replies) {
        who.add(f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS).body());
      }
    } catch (Exception e) {
      StringBuilder problems = new StringBuilder();
      nodes.forEach(node -> problems.append(node.problems()));
      throw new AssertionError("a request failed: " + e + "; the members' warnings:" + problems
          + "; how each member sees this client: " + howMembersSee(cm.getNodeId()), e);
    }
    return who;
  }

  /** Each member's record of {@code id} and its replication counters, from its snapshot. */
  private String howMembersSee(String id) {
    StringBuilder out = new StringBuilder();
    for (ExternalNode n : nodes) {
      try {
        JsonObject snapshot = new JsonObject(n.ask("SNAPSHOT", "SNAPSHOT ").substring(9));
        JsonObject row = null;
        for (Object o : snapshot.getJsonArray("members")) {
          if (id.equals(((JsonObject) o).getString("id"))) {
            row = (JsonObject) o;
          }
        }
        out.append(" | ").append(n.host).append(": ").append(row).append(' ')
            .append(snapshot.getValue("replication"));
      } catch (Exception | AssertionError e) {
        out.append(" | ").append(n.host).append(": no snapshot (").append(e).append(')');
      }
    }
    return out.toString();
  }

  private static void awaitTrue(BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
    ClusterFixture.awaitTrue(condition, timeoutMs, what);
  }
}
