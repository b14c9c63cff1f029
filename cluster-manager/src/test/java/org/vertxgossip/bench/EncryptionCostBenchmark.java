package org.vertxgossip.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JksOptions;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;
import org.vertxgossip.security.Keyring;

/**
 * What security costs, side by side in one run: three nodes in this JVM on loopback with gossip traffic plain, then
 * sealed (a cluster key), then sealed with the event bus on TLS too. For each: event-bus requests/s and map puts/s
 * with 256 in flight, map gets/s, and the gossip bytes an idle member sends per second. Not a test: figures.
 * {@code java ... org.vertxgossip.bench.EncryptionCostBenchmark [rounds]} (default 3).
 */
public final class EncryptionCostBenchmark {

  private static final int IN_FLIGHT = 256;
  private static final long MEASURE_MS = 5_000;
  private static final long IDLE_MS = 10_000;

  private enum Mode { PLAIN, SEALED, SEALED_AND_EVENT_BUS_TLS }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Map<Mode, List<double[]>> all = new LinkedHashMap<>();
    int port = 27100;
    for (int r = 1; r <= rounds; r++) {
      for (Mode mode : Mode.values()) {
        double[] f = measure(mode, port);
        port += 10;
        all.computeIfAbsent(mode, m -> new ArrayList<>()).add(f);
        System.out.printf("round %d, %-24s event-bus requests/s %,8.0f | map puts/s %,7.0f | map gets/s %,10.0f "
            + "| idle gossip bytes/s per member %,6.0f%n", r, mode, f[0], f[1], f[2], f[3]);
      }
    }
    System.out.println();
    System.out.println("sealed / plain, per round: event-bus requests, puts, gets, idle bytes");
    for (int r = 0; r < rounds; r++) {
      double[] p = all.get(Mode.PLAIN).get(r);
      double[] s = all.get(Mode.SEALED).get(r);
      double[] t = all.get(Mode.SEALED_AND_EVENT_BUS_TLS).get(r);
      System.out.printf("round %d: sealed %.2f %.2f %.2f %.2f; with event-bus TLS %.2f %.2f %.2f %.2f%n", r + 1,
          s[0] / p[0], s[1] / p[1], s[2] / p[2], s[3] / p[3], t[0] / p[0], t[1] / p[1], t[2] / p[2], t[3] / p[3]);
    }
  }

  /** {@code [event-bus requests/s, puts/s, gets/s, idle bytes/s per member]}. */
  private static double[] measure(Mode mode, int port) throws Exception {
    String cluster = "cost-" + UUID.randomUUID();
    String key = Keyring.generate();
    List<Vertx> nodes = new ArrayList<>();
    List<GossipClusterManager> managers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      GossipOptions o = new GossipOptions().setClusterName(cluster).setHost("127.0.0.1").setPort(port + i)
          .setSeeds(List.of("127.0.0.1:" + port));
      if (mode != Mode.PLAIN) {
        o.setKeys(List.of(key));
      }
      GossipClusterManager cm = new GossipClusterManager(o);
      VertxOptions vo = new VertxOptions();
      vo.setEventBusOptions(eventBus(mode == Mode.SEALED_AND_EVENT_BUS_TLS));
      nodes.add(Vertx.builder().with(vo).withClusterManager(cm).buildClustered().await(60, TimeUnit.SECONDS));
      managers.add(cm);
    }
    try {
      nodes.get(1).eventBus().<String>consumer("echo", m -> m.reply(m.body())).completion()
          .await(10, TimeUnit.SECONDS);
      Vertx first = nodes.get(0);
      ClusterBenchmark.run(first, () -> first.eventBus().request("echo", "x").mapEmpty(), IN_FLIGHT, 2_000);
      double requests = ClusterBenchmark.run(first, () -> first.eventBus().request("echo", "x").mapEmpty(),
          IN_FLIGHT, MEASURE_MS) * 1000.0 / MEASURE_MS;
      AsyncMap<String, String> map = first.sharedData().<String, String>getAsyncMap("cost").await(10,
          TimeUnit.SECONDS);
      AtomicLong k = new AtomicLong();
      ClusterBenchmark.run(first, () -> map.put("k" + (k.incrementAndGet() % 10_000), "value").mapEmpty(),
          IN_FLIGHT, 2_000);
      double puts = ClusterBenchmark.run(first, () -> map.put("k" + (k.incrementAndGet() % 10_000), "value")
          .<Void>mapEmpty(), IN_FLIGHT, MEASURE_MS) * 1000.0 / MEASURE_MS;
      double gets = ClusterBenchmark.run(first, () -> map.get("k" + (k.incrementAndGet() % 10_000))
          .<Void>mapEmpty(), IN_FLIGHT, MEASURE_MS) * 1000.0 / MEASURE_MS;
      long before = bytesOut(managers);
      Thread.sleep(IDLE_MS); // the measured period itself: what idle members send in it
      double idle = (bytesOut(managers) - before) * 1000.0 / IDLE_MS / managers.size();
      return new double[] {requests, puts, gets, idle};
    } finally {
      for (Vertx v : nodes) {
        v.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  private static long bytesOut(List<GossipClusterManager> managers) {
    long sum = 0;
    for (GossipClusterManager cm : managers) {
      JsonObject t = cm.snapshot().getJsonObject("transport");
      sum += t.getLong("bytesOut");
    }
    return sum;
  }

  /**
   * The event bus as src-docs/security.md says to secure it: TLS both ways (every member presents a certificate of
   * the cluster's CA and trusts only that CA), here with the Vert.x suite's test certificates.
   */
  static EventBusOptions eventBus(boolean tls) {
    EventBusOptions eb = new EventBusOptions().setHost("127.0.0.1");
    if (tls) {
      eb.setSsl(true).setClientAuth(io.vertx.core.http.ClientAuth.REQUIRED)
          .setKeyCertOptions(new JksOptions().setPath("tls/server-keystore-root-ca.jks").setPassword("wibble"))
          .setTrustOptions(new JksOptions().setPath("tls/client-truststore-root-ca.jks").setPassword("wibble"));
    }
    return eb;
  }
}
