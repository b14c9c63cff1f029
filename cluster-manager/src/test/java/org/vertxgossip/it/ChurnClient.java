package org.vertxgossip.it;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.vertxgossip.shareddata.GossipLock;

/**
 * One client loop of {@link ChurnHistoryTest}, inside a member JVM ({@link ProcessNode}'s {@code WORK} command):
 * one operation at a time, on its own Vert.x context, until its time is up or it is stopped. Before each operation
 * it prints {@code I <process> <kind> <key> <invokeNanos> [fields]}, and when it finishes one history line
 * {@code H <process> <kind> <key> <invokeNanos> <completeNanos> <OK|FAIL|INFO> [fields]} (see the test for the
 * kinds and fields), after a failed one also {@code E <process> <kind> <key> <message>}, and {@code WORKDONE
 * <process>} at the end. Times are {@link System#nanoTime()}, comparable across the JVMs of one machine. Between
 * two operations it waits a random 1 to {@code 2·thinkMs} ms (on a timer; none if {@code thinkMs} is 0).
 */
final class ChurnClient {

  static final String MAP = "churn-map";
  private static final long LOCK_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final Consumer<String> out;
  private final int process;
  private final long deadline;
  private final int counters;
  private final int locks;
  private final int keys;
  private final long thinkMs;
  private final Random random;
  private final Context context;
  /** The last value this loop wrote or read per key: what its compare-and-sets expect. */
  private final Map<String, String> lastSeen = new HashMap<>();
  private volatile boolean stopped;
  private long written;

  ChurnClient(Vertx vertx, Consumer<String> out, int process, long seconds, int counters, int locks, int keys,
      long thinkMs) {
    this.vertx = vertx;
    this.out = out;
    this.process = process;
    this.deadline = System.nanoTime() + seconds * 1_000_000_000L;
    this.counters = counters;
    this.locks = locks;
    this.keys = keys;
    this.thinkMs = thinkMs;
    this.random = new Random(process * 7919L + 17);
    this.context = vertx.getOrCreateContext();
  }

  int process() {
    return process;
  }

  void start() {
    context.runOnContext(v -> next());
  }

  /** Stops after the operation in flight, if any. */
  void stop() {
    stopped = true;
  }

  private void next() {
    if (stopped || System.nanoTime() - deadline > 0) {
      out.accept("WORKDONE " + process);
      return;
    }
    int dice = random.nextInt(100);
    if (dice < 40) {
      increment("c" + random.nextInt(counters));
    } else if (dice < 45) {
      counterGet("c" + random.nextInt(counters));
    } else if (dice < 65) {
      lock("l" + random.nextInt(locks));
    } else if (dice < 77) {
      write("k" + random.nextInt(keys));
    } else if (dice < 92) {
      read("k" + random.nextInt(keys));
    } else {
      cas("k" + random.nextInt(keys));
    }
  }

  private void then() {
    long think = thinkMs <= 0 ? 0 : 1 + random.nextInt((int) (2 * thinkMs));
    if (think == 0) {
      context.runOnContext(v -> next());
    } else {
      vertx.setTimer(think, t -> next());
    }
  }

  private void increment(String name) {
    long t0 = invoke("inc", name, "");
    vertx.sharedData().getCounter(name).compose(Counter::incrementAndGet).onComplete(ar -> {
      done("inc", name, t0, ar, ar.succeeded() ? " " + ar.result() : "");
      then();
    });
  }

  private void counterGet(String name) {
    long t0 = invoke("cget", name, "");
    vertx.sharedData().getCounter(name).compose(Counter::get).onComplete(ar -> {
      done("cget", name, t0, ar, ar.succeeded() ? " " + ar.result() : "");
      then();
    });
  }

  private void lock(String name) {
    long t0 = invoke("acquire", name, "");
    vertx.sharedData().getLockWithTimeout(name, LOCK_TIMEOUT_MS).onComplete(ar -> {
      if (ar.failed()) {
        done("acquire", name, t0, ar, "");
        then();
        return;
      }
      long token = ((GossipLock) ar.result()).fencingToken();
      done("acquire", name, t0, ar, " " + token);
      // The hold, on a timer: never a sleep on the event loop.
      vertx.setTimer(2 + random.nextInt(8), t -> {
        long t1 = invoke("release", name, " " + token);
        ar.result().release(); // fire-and-forget: the hold ends, for a checker, no earlier than this call
        out.accept("H " + process + " release " + name + " " + t1 + " " + System.nanoTime() + " OK " + token);
        then();
      });
    });
  }

  private void write(String key) {
    String value = process + "-" + (++written);
    long t0 = invoke("write", key, " " + value);
    vertx.sharedData().<String, String>getAsyncMap(MAP).compose(m -> m.put(key, value)).onComplete(ar -> {
      if (ar.succeeded()) {
        lastSeen.put(key, value);
      }
      done("write", key, t0, ar, " " + value);
      then();
    });
  }

  private void read(String key) {
    long t0 = invoke("read", key, "");
    vertx.sharedData().<String, String>getAsyncMap(MAP).compose(m -> m.get(key)).onComplete(ar -> {
      if (ar.succeeded() && ar.result() != null) {
        lastSeen.put(key, ar.result());
      }
      done("read", key, t0, ar, ar.succeeded() ? " " + (ar.result() == null ? "nil" : ar.result()) : "");
      then();
    });
  }

  private void cas(String key) {
    String expected = lastSeen.get(key);
    if (expected == null) {
      read(key);
      return;
    }
    String value = process + "-" + (++written);
    long t0 = invoke("cas", key, " " + expected + " " + value);
    vertx.sharedData().<String, String>getAsyncMap(MAP).compose(m -> m.replaceIfPresent(key, expected, value))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result()) {
            lastSeen.put(key, value);
          }
          done("cas", key, t0, ar, " " + expected + " " + value + (ar.succeeded() ? " " + ar.result() : ""));
          then();
        });
  }

  private long invoke(String kind, String key, String fields) {
    long t0 = System.nanoTime();
    out.accept("I " + process + " " + kind + " " + key + " " + t0 + fields);
    return t0;
  }

  private void done(String kind, String key, long t0, AsyncResult<?> ar, String fields) {
    long t1 = System.nanoTime();
    out.accept("H " + process + " " + kind + " " + key + " " + t0 + " " + t1 + " " + outcome(ar) + fields);
    if (ar.failed()) {
      out.accept("E " + process + " " + kind + " " + key + " " + String.valueOf(ar.cause().getMessage())
          .replace('\n', ' '));
    }
  }

  /**
   * OK: acknowledged. FAIL: certainly not applied: refused for want of a quorum (by this member before sending, or
   * by the owner before applying). INFO: anything else, e.g. no answer from the owner in time, or this member left
   * while waiting; a lock's "Timed out waiting to get lock" too, since it is also what the requester says when it
   * gives up on its own, and a grant may still come (the requester then hands it back).
   */
  private static String outcome(AsyncResult<?> ar) {
    if (ar.succeeded()) {
      return "OK";
    }
    return String.valueOf(ar.cause().getMessage()).contains("minimumMembers=") ? "FAIL" : "INFO";
  }
}
