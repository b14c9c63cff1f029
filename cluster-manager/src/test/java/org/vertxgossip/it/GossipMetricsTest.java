package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipMetrics;
import org.vertxgossip.GossipOptions;

/**
 * {@link GossipMetrics} in a {@code SimpleMeterRegistry}: every meter it documents exists, and each follows what
 * the test does to the cluster (members, views, traffic, dropped input, stores, timed operations, a leave).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GossipMetricsTest {

  private static final String HOST = "127.0.0.25";
  private static final int PORT = 28800;
  private static final int PUTS = 40;
  private static final int VALUE_BYTES = 100;

  /** The meters src-docs/operations.md lists. */
  static final Set<String> NAMES = Set.of("vertx.gossip.members", "vertx.gossip.view.size", "vertx.gossip.view.id",
      "vertx.gossip.ready", "vertx.gossip.view.changes", "vertx.gossip.members.admitted",
      "vertx.gossip.members.removed", "vertx.gossip.probes", "vertx.gossip.probe.failures",
      "vertx.gossip.suspicions", "vertx.gossip.refutations", "vertx.gossip.bytes", "vertx.gossip.packets",
      "vertx.gossip.dropped", "vertx.gossip.store.entries", "vertx.gossip.store.bytes", "vertx.gossip.ack.timeouts",
      "vertx.gossip.antientropy.repairs", "vertx.gossip.operation");

  private final String cluster = "metrics-" + UUID.randomUUID();

  @Test
  void metersFollowMembersTrafficStoresOperationsAndTheCoordinatorsLeave() throws Exception {
    try (InJvmNodes nodes = new InJvmNodes()) {
      GossipClusterManager a = nodes.start(options(PORT), vertxOptions());
      GossipClusterManager b = nodes.start(options(PORT + 1), vertxOptions());
      GossipClusterManager c = nodes.start(options(PORT + 2), vertxOptions());
      nodes.assertServe(a, b, c);
      // Measured on a member that does not coordinate, which later sees the coordinator leave: a leaving
      // coordinator removes itself by the view it issues, before its leave itself may arrive.
      List<GossipClusterManager> all = List.of(a, b, c);
      String coordinatorId = a.snapshot().getString("coordinator");
      GossipClusterManager coordinator = all.stream().filter(m -> m.getNodeId().equals(coordinatorId)).findFirst()
          .orElseThrow();
      GossipClusterManager measured = all.stream().filter(m -> m != coordinator).findFirst().orElseThrow();
      int measuredPort = PORT + all.indexOf(measured);
      MeterRegistry registry = new SimpleMeterRegistry();
      GossipMetrics metrics = new GossipMetrics(measured, Duration.ofMillis(50));
      metrics.bindTo(registry);
      assertThrows(IllegalStateException.class, () -> metrics.bindTo(registry), "bound twice");

      Vertx va = nodes.vertxOf(measured);
      AsyncMap<String, String> map = va.sharedData().<String, String>getAsyncMap("metered")
          .await(10, TimeUnit.SECONDS);
      String value = "v".repeat(VALUE_BYTES);
      for (int i = 0; i < PUTS; i++) {
        map.put("k" + i, value).await(10, TimeUnit.SECONDS);
      }
      for (int i = 0; i < PUTS; i++) {
        assertEquals(value, map.get("k" + i).await(10, TimeUnit.SECONDS));
      }
      Counter counter = va.sharedData().getCounter("metered-counter").await(10, TimeUnit.SECONDS);
      for (int i = 0; i < 5; i++) {
        counter.incrementAndGet().await(10, TimeUnit.SECONDS);
      }
      va.sharedData().getLock("metered-lock").await(10, TimeUnit.SECONDS).release();
      sendForeignDatagrams(3, measuredPort);

      ClusterFixture.awaitTrue(() -> gauge(registry, "vertx.gossip.members", "state", "alive") == 3
          && gauge(registry, "vertx.gossip.view.size") == 3 && gauge(registry, "vertx.gossip.ready") == 1
          && gauge(registry, "vertx.gossip.store.entries") >= PUTS
          && gauge(registry, "vertx.gossip.store.bytes") >= PUTS * VALUE_BYTES
          && counter(registry, "vertx.gossip.dropped", "reason", "foreign_cluster") == 3
          && counter(registry, "vertx.gossip.probes") > 0, 10_000, () -> describe(registry));
      assertTrue(gauge(registry, "vertx.gossip.view.id") >= 3, "three views admitted three members");
      assertTrue(counter(registry, "vertx.gossip.view.changes") >= 1, describe(registry));
      for (String direction : List.of("in", "out")) {
        for (String lane : List.of("membership", "replication")) {
          assertTrue(registry.get("vertx.gossip.bytes").tags("lane", lane, "direction", direction).functionCounter()
              .count() > 0, lane + " " + direction);
          assertTrue(registry.get("vertx.gossip.packets").tags("lane", lane, "direction", direction)
              .functionCounter().count() > 0, lane + " " + direction);
        }
      }
      assertEquals(PUTS, timed(registry, "put"), "every put timed once");
      assertEquals(PUTS, timed(registry, "get"), "every get timed once, served here or by its owner");
      assertEquals(5, timed(registry, "counter_add_and_get"));
      assertEquals(1, timed(registry, "lock_acquire"));
      ClusterFixture.awaitTrue(() -> timed(registry, "lock_release") == 1, 10_000, "the release answered");
      Timer puts = registry.get("vertx.gossip.operation").tags("kind", "put", "served", "owner", "outcome", "ok")
          .timer();
      assertTrue(puts.totalTime(TimeUnit.NANOSECONDS) > 0 && puts.max(TimeUnit.NANOSECONDS) > 0);

      nodes.stop(coordinator);
      ClusterFixture.awaitTrue(() -> counter(registry, "vertx.gossip.members.removed", "cause", "left") == 1
          && gauge(registry, "vertx.gossip.view.size") == 2, 20_000, () -> describe(registry));
      assertEquals(0, counter(registry, "vertx.gossip.members.removed", "cause", "failed"));
      // Its own leave follows the view it issued without itself.
      ClusterFixture.awaitTrue(() -> gauge(registry, "vertx.gossip.members", "state", "left") == 1
          && gauge(registry, "vertx.gossip.members", "state", "alive") == 2, 20_000, () -> describe(registry));

      Set<String> names = new TreeSet<>();
      registry.getMeters().forEach(m -> names.add(m.getId().getName()));
      assertEquals(new TreeSet<>(NAMES), names, "the documented meters, no more, no fewer");
      for (Meter m : registry.getMeters()) {
        assertEquals(measured.getNodeId(), m.getId().getTag("node"), m.getId().toString());
      }

      metrics.close();
      map.put("after-close", value).await(10, TimeUnit.SECONDS);
      assertEquals(List.of(), registry.getMeters().stream().map(m -> m.getId().getName()).toList(),
          "nothing timed once closed, every meter removed");
    }
  }

  @Test
  void bindingBeforeTheClusteredVertxExistsIsRefused() {
    GossipMetrics metrics = new GossipMetrics(new GossipClusterManager(options(PORT + 3)));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> metrics.bindTo(new SimpleMeterRegistry()));
    assertTrue(e.getMessage().contains("once the clustered Vert.x is built"), e.getMessage());
  }

  private void sendForeignDatagrams(int n, int port) throws Exception {
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(HOST, 0))) {
      byte[] packet = Attacker.plain("another-" + cluster, Attacker.LANE_MEMBERSHIP, new byte[16]);
      for (int i = 0; i < n; i++) {
        udp.send(new DatagramPacket(packet, packet.length, new InetSocketAddress(HOST, port)));
      }
    }
  }

  /** Operations of {@code kind} timed, whatever served them and however they ended. */
  private static long timed(MeterRegistry registry, String kind) {
    return registry.find("vertx.gossip.operation").tag("kind", kind).timers().stream().mapToLong(Timer::count).sum();
  }

  private static double gauge(MeterRegistry registry, String name, String... tags) {
    Gauge g = registry.find(name).tags(tags).gauge();
    assertNotNull(g, name);
    return g.value();
  }

  private static double counter(MeterRegistry registry, String name, String... tags) {
    FunctionCounter f = registry.find(name).tags(tags).functionCounter();
    assertNotNull(f, name + " " + String.join(",", tags));
    return f.count();
  }

  private static String describe(MeterRegistry registry) {
    StringBuilder sb = new StringBuilder();
    for (Meter m : registry.getMeters()) {
      m.measure().forEach(ms -> sb.append(m.getId().getName()).append(m.getId().getTags()).append('=')
          .append(ms.getValue()).append('\n'));
    }
    return sb.toString();
  }

  private GossipOptions options(int port) {
    return new GossipOptions().setClusterName(cluster).setHost(HOST).setPort(port)
        .setSeeds(List.of(HOST + ":" + PORT)).setProfile("local");
  }

  private static VertxOptions vertxOptions() {
    VertxOptions vo = new VertxOptions();
    vo.getEventBusOptions().setHost(HOST);
    return vo;
  }
}
