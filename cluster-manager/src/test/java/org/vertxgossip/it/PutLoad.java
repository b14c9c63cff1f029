package org.vertxgossip.it;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.vertxgossip.GossipClusterManager;

/**
 * The load of {@link SlowMemberLoadTest}, run inside a {@link ProcessNode}: {@code inFlight} slots put to a map
 * without pause, each on keys of its own (so each key has one put at a time, and its last acknowledged value is
 * what every member must hold in the end). Each put's latency is kept with the owner its key had when it started.
 */
final class PutLoad {

  private static final Map<String, PutLoad> running = new ConcurrentHashMap<>();

  private final Vertx vertx;
  private final GossipClusterManager cm;
  private final Consumer<String> print;
  private final String map;
  private final int inFlight;
  private final int keysPerSlot;
  private final Map<String, String> lastAcked = new ConcurrentHashMap<>();
  private final List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
  private final List<String> owners = Collections.synchronizedList(new ArrayList<>());
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicLong values = new AtomicLong();
  private final List<String> viewChanges = Collections.synchronizedList(new ArrayList<>());
  private volatile int lastSize = -1;
  private volatile boolean stopping;
  private volatile String excluded;

  PutLoad(Vertx vertx, GossipClusterManager cm, Consumer<String> print, String map, int inFlight, int keys) {
    this.vertx = vertx;
    this.cm = cm;
    this.print = print;
    this.map = map;
    this.inFlight = inFlight;
    this.keysPerSlot = Math.max(1, keys / inFlight);
  }

  void start() {
    running.put(map, this);
    vertx.sharedData().<String, String>getAsyncMap(map).onSuccess(m -> {
      active.set(inFlight);
      for (int s = 0; s < inFlight; s++) {
        next(m, s, 0);
      }
      print.accept("PUTLOAD_STARTED " + map);
    });
  }

  private void next(AsyncMap<String, String> m, int slot, long n) {
    if (stopping) {
      if (active.decrementAndGet() == 0) {
        report();
      }
      return;
    }
    String key = "k" + (slot + (long) inFlight * (n % keysPerSlot));
    String value = "v" + values.incrementAndGet();
    String owner = cm.mapKeyOwner(map, key);
    long start = System.nanoTime();
    int size = cm.getNodes().size();
    if (size != lastSize) {
      lastSize = size;
      viewChanges.add(size + "@" + start / 1_000_000);
    }
    m.put(key, value).onComplete(ar -> {
      long took = System.nanoTime() - start;
      synchronized (latencies) {
        latencies.add(new long[] {took, start});
        owners.add(owner);
        if (took > 1_000_000_000L) {
          print.accept("SLOWPUT " + key + " owner " + owner + " now " + cm.mapKeyOwner(map, key) + " took "
              + took / 1_000_000 + " ms from " + start / 1_000_000);
        }
      }
      if (ar.succeeded()) {
        lastAcked.put(key, value);
      } else {
        failures.add(key + ": " + ar.cause());
      }
      next(m, slot, n + 1);
    });
  }

  static void stopAll(String map, String excludedOwner) {
    PutLoad load = running.remove(map);
    if (load != null) {
      load.excluded = excludedOwner;
      load.stopping = true;
    }
  }

  private void report() {
    List<Long> other = new ArrayList<>();
    List<Long> owned = new ArrayList<>();
    List<long[]> worst = new ArrayList<>();
    synchronized (latencies) {
      for (int i = 0; i < latencies.size(); i++) {
        boolean own = excluded.equals(owners.get(i));
        (own ? owned : other).add(latencies.get(i)[0]);
        if (!own) {
          worst.add(latencies.get(i));
        }
      }
    }
    worst.sort((x, y) -> Long.compare(y[0], x[0]));
    StringBuilder slowest = new StringBuilder();
    for (long[] w : worst.subList(0, Math.min(3, worst.size()))) {
      slowest.append(' ').append(ms(w[0])).append("ms@").append(w[1] / 1_000_000);
    }
    print.accept("PUTLOAD other " + figures(other) + " | owned " + figures(owned) + " | failed " + failures.size()
        + (failures.isEmpty() ? "" : " first " + failures.get(0)) + " | slowest other (ms@start, monotonic ms)"
        + slowest + " | view sizes " + viewChanges);
    print.accept("EXPECT " + lastAcked.size() + " " + digest(lastAcked));
  }

  /** {@code n=… p50=… p99=… max=…} in milliseconds. */
  static String figures(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return "n=0";
    }
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return "n=" + sorted.size() + " p50=" + ms(sorted.get(sorted.size() / 2)) + " p99="
        + ms(sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1))) + " max="
        + ms(sorted.get(sorted.size() - 1));
  }

  private static String ms(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
  }

  static String digest(Map<String, String> m) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      new TreeMap<>(m).forEach((k, v) -> md.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(md.digest());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code n} new keys put at once; how many were acknowledged within a second, overall and of keys not owned. */
  static void burst(Vertx vertx, GossipClusterManager cm, Consumer<String> print, String map, int n,
                    String notOwner) {
    vertx.sharedData().<String, String>getAsyncMap(map).onSuccess(m -> {
      long start = System.nanoTime();
      String prefix = "burst-" + start + "-";
      AtomicInteger done = new AtomicInteger();
      AtomicInteger within = new AtomicInteger();
      AtomicInteger otherWithin = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      AtomicLong max = new AtomicLong();
      AtomicInteger othersDone = new AtomicInteger();
      AtomicInteger sizeWhenOthersDone = new AtomicInteger();
      int others = 0;
      List<Future<Void>> puts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String key = prefix + i;
        boolean other = !notOwner.equals(cm.mapKeyOwner(map, key));
        others += other ? 1 : 0;
        puts.add(m.put(key, "b").onComplete(ar -> {
          long took = System.nanoTime() - start;
          max.accumulateAndGet(took, Math::max);
          if (ar.failed()) {
            failed.incrementAndGet();
          } else if (took <= 1_000_000_000L) {
            within.incrementAndGet();
            if (other) {
              otherWithin.incrementAndGet();
            }
          }
          done.incrementAndGet();
        }));
      }
      int otherTotal = others;
      for (int i = 0; i < n; i++) {
        if (!notOwner.equals(cm.mapKeyOwner(map, prefix + i))) {
          puts.get(i).onComplete(ar -> {
            if (othersDone.incrementAndGet() == otherTotal) {
              sizeWhenOthersDone.set(cm.getNodes().size()); // the view when the last key not owned was answered
            }
          });
        }
      }
      Future.join(puts).onComplete(ar -> print.accept("BURST " + n + " within1s=" + within.get() + " otherWithin1s="
          + otherWithin.get() + " otherTotal=" + otherTotal + " maxMs=" + ms(max.get()) + " failed=" + failed.get()
          + " sizeWhenOthersDone=" + sizeWhenOthersDone.get()));
    });
  }

  /** Puts {@code n} entries {@code e0…} of {@code bytes} characters each, 64 at a time. */
  static void fill(Vertx vertx, Consumer<String> print, String map, int n, int bytes) {
    long start = System.nanoTime();
    vertx.sharedData().<String, String>getAsyncMap(map).onSuccess(m -> {
      AtomicInteger next = new AtomicInteger();
      AtomicInteger done = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      Runnable[] step = new Runnable[1];
      step[0] = () -> {
        int i = next.getAndIncrement();
        if (i >= n) {
          return;
        }
        char[] value = new char[bytes];
        java.util.Arrays.fill(value, (char) ('a' + i % 26));
        m.put("e" + i, i + ":" + new String(value, 0, bytes - String.valueOf(i).length() - 1)).onComplete(ar -> {
          if (ar.failed() && failed.getAndIncrement() == 0) {
            print.accept("FILL_FAIL " + ar.cause());
          }
          if (done.incrementAndGet() == n && failed.get() == 0) {
            print.accept("FILLED " + n + " " + (System.nanoTime() - start) / 1_000_000);
          }
          step[0].run();
        });
      };
      for (int s = 0; s < 64; s++) {
        step[0].run();
      }
    });
  }

  /** {@code n} consumers registered at once; the longest completion. */
  static void registrations(Vertx vertx, GossipClusterManager cm, Consumer<String> print, int n) {
    long start = System.nanoTime();
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(vertx.eventBus().consumer("reg-" + start + "-" + i, msg -> msg.reply("ok")).completion());
    }
    Future.all(all).onComplete(ar -> print.accept(ar.succeeded()
        ? "REGS " + n + " maxMs=" + ms(System.nanoTime() - start) + " size=" + cm.getNodes().size()
        : "REGS_FAIL " + ar.cause()));
  }
}
