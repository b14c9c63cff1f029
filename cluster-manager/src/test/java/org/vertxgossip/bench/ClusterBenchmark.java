package org.vertxgossip.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import io.vertx.core.shareddata.SharedData;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;

/**
 * Prints the figures of the comparison table for three nodes on loopback in one JVM: start time, shared-data
 * throughput with 256 operations in flight, and the library's own jar. Not a test: figures, not assertions.
 * Run it as the README says.
 */
public final class ClusterBenchmark {

  private static final int IN_FLIGHT = 256;
  private static final long MEASURE_MS = 5_000;

  public static void main(String[] args) throws Exception {
    String cluster = "bench-" + UUID.randomUUID();
    List<Vertx> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      nodes.add(start(cluster, 27000 + i));
      System.out.printf("start node %d: %d ms%n", i + 1, (System.nanoTime() - t0) / 1_000_000);
    }
    SharedData sd = nodes.get(0).sharedData();
    AsyncMap<String, String> map = sd.<String, String>getAsyncMap("bench").toCompletionStage()
        .toCompletableFuture().get();
    Counter counter = sd.getCounter("bench").toCompletionStage().toCompletableFuture().get();
    AtomicLong key = new AtomicLong();
    report(nodes.get(0), "map puts/s", IN_FLIGHT,
        () -> map.put("k" + (key.incrementAndGet() % 10_000), "value").mapEmpty());
    report(nodes.get(0), "map gets/s", IN_FLIGHT, () -> map.get("k" + (key.incrementAndGet() % 10_000)).mapEmpty());
    report(nodes.get(0), "counter increments/s", IN_FLIGHT, () -> counter.incrementAndGet().mapEmpty());
    report(nodes.get(0), "counter increments/s, sequential", 1, () -> counter.incrementAndGet().mapEmpty());
    AtomicLong lockName = new AtomicLong();
    report(nodes.get(0), "lock acquire+release cycles/s (256 lock names)", IN_FLIGHT, () -> sd.getLockWithTimeout(
        "lock-" + (lockName.incrementAndGet() % IN_FLIGHT), 10_000).map(lock -> {
          lock.release();
          return null;
        }));
    report(nodes.get(0), "lock acquire+release cycles/s, sequential (one lock)", 1,
        () -> sd.getLockWithTimeout("sequential", 10_000).map(lock -> {
          lock.release();
          return null;
        }));
    File jar = new File("cluster-manager/target/vertx-gossip-cluster-manager-0.1.0-SNAPSHOT.jar");
    if (jar.exists()) {
      System.out.printf("library jar: %d KB (runtime dependencies: vertx-core, its Netty, jackson-core)%n",
          Files.size(Path.of(jar.getPath())) / 1024);
    }
    for (Vertx v : nodes) {
      v.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static Vertx start(String cluster, int port) throws Exception {
    GossipClusterManager cm = new GossipClusterManager(new GossipOptions().setClusterName(cluster)
        .setHost("127.0.0.1").setPort(port).setSeeds(List.of("127.0.0.1:27000")));
    VertxOptions vo = new VertxOptions();
    vo.getEventBusOptions().setHost("127.0.0.1");
    return Vertx.builder().with(vo).withClusterManager(cm).buildClustered().toCompletionStage()
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /**
   * Keeps {@code inFlight} operations going from one event-loop context of the first node, for a warm-up and
   * then a measured period; prints the rate. Operations that complete at once (local reads) run back to back.
   */
  private static void report(Vertx vertx, String what, int inFlight, Supplier<Future<Void>> op) throws Exception {
    run(vertx, op, inFlight, 2_000);
    long done = run(vertx, op, inFlight, MEASURE_MS);
    System.out.printf("%s: %,d%n", what, done * 1000 / MEASURE_MS);
  }

  static long run(Vertx vertx, Supplier<Future<Void>> op, int inFlight, long ms) throws Exception {
    AtomicLong completed = new AtomicLong();
    long end = System.currentTimeMillis() + ms;
    CompletableFuture<Void> finished = new CompletableFuture<>();
    AtomicLong running = new AtomicLong(inFlight);
    vertx.getOrCreateContext().runOnContext(v -> {
      for (int i = 0; i < inFlight; i++) {
        loop(op, end, completed, running, finished);
      }
    });
    finished.get(ms + 60_000, TimeUnit.MILLISECONDS);
    return completed.get();
  }

  private static void loop(Supplier<Future<Void>> op, long end, AtomicLong completed, AtomicLong running,
                           CompletableFuture<Void> finished) {
    while (System.currentTimeMillis() < end) {
      Future<Void> f = op.get();
      if (f.isComplete()) {
        if (f.succeeded()) {
          completed.incrementAndGet();
        }
        continue;
      }
      f.onComplete(ar -> {
        if (ar.succeeded()) {
          completed.incrementAndGet();
        }
        loop(op, end, completed, running, finished);
      });
      return;
    }
    if (running.decrementAndGet() == 0) {
      finished.complete(null);
    }
  }
}
