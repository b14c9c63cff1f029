package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;

/**
 * A rolling restart of five members while a sixth sends requests to a consumer every member runs: each member in
 * turn leaves gracefully (its Vert.x closes) and is replaced by a new one on its address, with a new node id. No
 * request sent after a member's leave began may fail; every request's send time and outcome is recorded, and a
 * failure counts against that rule unless it was sent before the leave it overlapped began. None may fail at all,
 * in fact: a stopping member withdraws its registrations before its handlers go (GossipClusterManager's close
 * hook); without that, a few requests per restart time out.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RollingRestartTest {

  private static final String HOST = "127.0.0.28";
  private static final int PORT = 29100;
  private static final int MEMBERS = 5;
  private static final int IN_FLIGHT = 8;

  private record Outcome(long sentNanos, String answeredBy, String failure) {
  }

  private final String cluster = "rolling-" + UUID.randomUUID();

  @Test
  void noRequestSentAfterAMemberBeganToLeaveFails() throws Exception {
    try (InJvmNodes nodes = new InJvmNodes()) {
      List<GossipClusterManager> members = new ArrayList<>();
      for (int i = 0; i < MEMBERS; i++) {
        members.add(startMember(nodes, i));
      }
      GossipClusterManager client = nodes.start(options(PORT + MEMBERS), vertxOptions());
      ClusterFixture.awaitTrue(() -> client.getNodes().size() == MEMBERS + 1, 30_000, "one view of 6");
      Vertx sender = nodes.vertxOf(client);

      ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
      Semaphore slots = new Semaphore(IN_FLIGHT);
      AtomicLong sent = new AtomicLong();
      Thread load = new Thread(() -> {
        DeliveryOptions timeout = new DeliveryOptions().setSendTimeout(5_000);
        while (!Thread.currentThread().isInterrupted()) {
          try {
            slots.acquire();
          } catch (InterruptedException e) {
            return;
          }
          long at = System.nanoTime();
          sent.incrementAndGet();
          sender.eventBus().<String>request("work", "x", timeout).onComplete(ar -> {
            outcomes.add(new Outcome(at, ar.succeeded() ? ar.result().body() : null,
                ar.succeeded() ? null : String.valueOf(ar.cause())));
            slots.release();
          });
        }
      }, "rolling-restart-requests");
      load.start();

      List<long[]> leaves = new ArrayList<>(); // [began, ended] of each member's leave, nanos
      Set<String> oldIds = new HashSet<>();
      try {
        ClusterFixture.awaitTrue(() -> outcomes.size() > 200, 30_000, "requests flowing");
        for (int i = 0; i < MEMBERS; i++) {
          GossipClusterManager old = members.get(i);
          oldIds.add(old.getNodeId());
          long began = System.nanoTime();
          nodes.stop(old);
          leaves.add(new long[] {began, System.nanoTime()});
          GossipClusterManager fresh = startMember(nodes, i);
          members.set(i, fresh);
          ClusterFixture.awaitTrue(() -> client.getNodes().size() == MEMBERS + 1, 30_000, "the replacement joined");
          long before = outcomes.size();
          ClusterFixture.awaitTrue(() -> outcomes.size() > before + 100, 30_000, "requests flowing again");
        }
      } finally {
        load.interrupt();
        load.join(10_000);
      }
      assertTrue(slots.tryAcquire(IN_FLIGHT, 20, TimeUnit.SECONDS), "every request answered or failed");

      long failed = 0;
      List<String> violations = new ArrayList<>();
      java.util.Map<String, Integer> reasons = new java.util.TreeMap<>();
      Set<String> answeredBy = new HashSet<>();
      for (Outcome o : outcomes) {
        if (o.failure() == null) {
          answeredBy.add(o.answeredBy());
          continue;
        }
        failed++;
        reasons.merge(o.failure(), 1, Integer::sum);
        boolean sentBeforeALeaveItOverlapped = leaves.stream()
            .anyMatch(l -> o.sentNanos() < l[0] && o.sentNanos() + TimeUnit.SECONDS.toNanos(5) > l[0]);
        if (!sentBeforeALeaveItOverlapped) {
          violations.add(o.failure());
        }
      }
      System.out.println("RollingRestartTest: " + sent.get() + " requests during a rolling restart of " + MEMBERS
          + " members, " + failed + " failed, " + violations.size() + " of them sent after a leave began; leaves took "
          + leaves.stream().map(l -> (l[1] - l[0]) / 1_000_000 + " ms").toList() + "; failures: " + reasons);
      assertEquals(List.of(), violations, "requests sent after a member began to leave that failed");
      assertEquals(sent.get(), outcomes.size(), "every request has an outcome");
      Set<String> newIds = new HashSet<>();
      members.forEach(m -> newIds.add(m.getNodeId()));
      assertTrue(answeredBy.containsAll(newIds), "every new member answered");
      assertTrue(answeredBy.stream().anyMatch(oldIds::contains), "old members answered before they left");
      // Stronger than the rule: a stopping member keeps its handlers until no member routes to it any more, so
      // even the requests in flight when its leave began are answered.
      assertEquals(0, failed, "requests that failed at all: " + reasons);
    }
  }

  private GossipClusterManager startMember(InJvmNodes nodes, int i) throws Exception {
    GossipClusterManager cm = nodes.start(options(PORT + i), vertxOptions());
    String id = cm.getNodeId();
    nodes.vertxOf(cm).eventBus().<String>consumer("work", m -> m.reply(id)).completion().await(10, TimeUnit.SECONDS);
    return cm;
  }

  private GossipOptions options(int port) {
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i <= MEMBERS; i++) {
      seeds.add(HOST + ":" + (PORT + i));
    }
    return new GossipOptions().setClusterName(cluster).setHost(HOST).setPort(port).setSeeds(seeds)
        .setProfile("local");
  }

  private static VertxOptions vertxOptions() {
    VertxOptions vo = new VertxOptions();
    vo.getEventBusOptions().setHost(HOST);
    return vo;
  }
}
