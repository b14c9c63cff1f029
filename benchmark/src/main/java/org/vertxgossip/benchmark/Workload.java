package org.vertxgossip.benchmark;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What a node does for the driver. Each command is one line ({@code name args...}) and gets one line back:
 * <ul>
 *   <li>{@code echo}: a consumer of {@code bench.echo} that replies with the request's body;</li>
 *   <li>{@code requests <inFlight> <warmUpMs> <ms>}: String requests to {@code bench.echo};</li>
 *   <li>{@code fanout-consumers <n> <firstId>}: n consumers of {@code bench.fanout} that acknowledge every
 *   {@value #ACK_EVERY}th message to the publisher;</li>
 *   <li>{@code publish <consumers> <warmUpMs> <ms>}: publishes to {@code bench.fanout}, at most {@value #WINDOW}
 *   messages ahead of the slowest consumer;</li>
 *   <li>{@code map-puts|map-gets|counter <inFlight> <warmUpMs> <ms>} and {@code lock <warmUpMs> <ms>} (one lock,
 *   acquired, then released; {@code Lock.release} returns nothing to wait for, so the next acquisition may wait
 *   for the release to reach the lock's owner): shared data;</li>
 *   <li>{@code gc}: the heap in use after two collections, and the number of live Java threads.</li>
 * </ul>
 * Every load runs closed-loop on one event loop of this node ({@link ClosedLoop}).
 */
final class Workload {

  static final int ACK_EVERY = 16;
  static final int WINDOW = 256;
  private static final String BODY = "request-16-bytes";
  private static final int KEYS = 10_000;

  private final Vertx vertx;
  private final Context context;
  private AsyncMap<String, String> map;
  private Counter counter;
  private long key;

  Workload(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
  }

  String run(String[] cmd) throws Exception {
    switch (cmd[0]) {
      case "echo":
        MessageConsumer<String> echo = vertx.eventBus().<String>consumer("bench.echo", m -> m.reply(m.body()));
        await(echo.completion());
        return "ok";
      case "requests":
        return "requests " + load(cmd, 1, () -> vertx.eventBus().request("bench.echo", BODY));
      case "fanout-consumers":
        int n = Integer.parseInt(cmd[1]);
        int first = Integer.parseInt(cmd[2]);
        for (int i = 0; i < n; i++) {
          String id = Integer.toString(first + i);
          MessageConsumer<Long> c = vertx.eventBus().<Long>consumer("bench.fanout", m -> {
            long seq = m.body();
            if (seq % ACK_EVERY == 0) {
              vertx.eventBus().send("bench.fanout.ack", id + ":" + seq);
            }
          });
          await(c.completion());
        }
        return "ok";
      case "publish":
        FanOut fanOut = new FanOut(vertx, Integer.parseInt(cmd[1]));
        return "publish " + await(fanOut.run(context, Long.parseLong(cmd[2]), Long.parseLong(cmd[3])));
      case "map-puts":
        ensureMap();
        return "map-puts " + load(cmd, 1, () -> map.put("k" + (key++ % KEYS), "value-of-sixteen"));
      case "map-gets":
        ensureMap();
        return "map-gets " + load(cmd, 1, () -> map.get("k" + (key++ % KEYS)));
      case "counter":
        if (counter == null) {
          counter = await(vertx.sharedData().getCounter("bench"));
        }
        return "counter " + load(cmd, 1, () -> counter.incrementAndGet());
      case "lock":
        return "lock " + load(new String[] {"lock", "1", cmd[1], cmd[2]}, 1, () -> vertx.sharedData()
            .getLockWithTimeout("bench-lock", 10_000).map(lock -> {
              lock.release();
              return null;
            }));
      case "gc":
        System.gc();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return "heap used=" + (rt.totalMemory() - rt.freeMemory()) + " javaThreads="
            + ManagementFactory.getThreadMXBean().getThreadCount();
      default:
        return "error unknown command " + cmd[0];
    }
  }

  private void ensureMap() throws Exception {
    if (map == null) {
      map = await(vertx.sharedData().<String, String>getAsyncMap("bench"));
    }
  }

  private String load(String[] cmd, int from, Supplier<Future<?>> op) throws Exception {
    ClosedLoop loop = new ClosedLoop(Integer.parseInt(cmd[from]), op);
    Promise<String> done = Promise.promise();
    context.runOnContext(v -> loop.start(Long.parseLong(cmd[from + 1]), Long.parseLong(cmd[from + 2]), done));
    return await(done.future());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }
}
