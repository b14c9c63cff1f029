package org.vertxgossip.benchmark;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.util.Map;

/**
 * Publishes numbered messages to {@code bench.fanout} while its consumers, on other nodes, acknowledge every
 * {@link Workload#ACK_EVERY}th one; it stays at most {@link Workload#WINDOW} messages ahead of the slowest, so the
 * figure is messages that reached every consumer, not messages queued. The warm-up lasts until every consumer has
 * answered at least once (registrations have spread) and the warm-up time has passed.
 */
final class FanOut {

  private static final long REGISTRATION_WAIT_MS = 30_000;
  private final Vertx vertx;
  private final int consumers;
  private final Map<String, Long> acked = new HashMap<>();
  private long next;
  private long slowest = -1;
  private long measureFrom;
  private long measureUntil;
  private long deliveredAtStart = -1;
  private Promise<String> done;
  private MessageConsumer<String> acks;
  private long timer;

  FanOut(Vertx vertx, int consumers) {
    this.vertx = vertx;
    this.consumers = consumers;
  }

  Future<String> run(Context context, long warmUpMs, long measureMs) {
    done = Promise.promise();
    context.runOnContext(v -> {
      long now = System.nanoTime();
      long giveUp = now + REGISTRATION_WAIT_MS * 1_000_000;
      acks = vertx.eventBus().consumer("bench.fanout.ack", m -> {
        String[] idSeq = m.body().split(":");
        acked.merge(idSeq[0], Long.parseLong(idSeq[1]), Math::max);
        long t = System.nanoTime();
        if (acked.size() == consumers) {
          slowest = acked.values().stream().mapToLong(Long::longValue).min().orElse(-1);
          if (deliveredAtStart < 0 && t >= now + warmUpMs * 1_000_000) {
            deliveredAtStart = slowest;
            measureFrom = t;
            measureUntil = t + measureMs * 1_000_000;
          }
        }
        if (deliveredAtStart >= 0 && t >= measureUntil) {
          long ms = (t - measureFrom) / 1_000_000;
          long delivered = slowest - deliveredAtStart;
          finish("count=" + delivered + " ms=" + ms + " rate=" + delivered * 1000 / Math.max(1, ms)
              + " deliveries=" + delivered * consumers * 1000 / Math.max(1, ms));
          return;
        }
        publish();
      });
      // Until every consumer has answered, a message may reach no one that answers: publish on a timer too.
      timer = vertx.setPeriodic(50, id -> {
        if (acked.size() == consumers) {
          vertx.cancelTimer(id);
        } else if (System.nanoTime() > giveUp) {
          finish("error only " + acked.size() + " of " + consumers + " consumers answered");
        } else {
          for (int i = 0; i < Workload.ACK_EVERY; i++) {
            vertx.eventBus().publish("bench.fanout", next++);
          }
        }
      });
      acks.completion().onSuccess(x -> publish()).onFailure(done::fail);
    });
    return done.future();
  }

  private void publish() {
    if (acked.size() < consumers) {
      return;
    }
    long base = slowest;
    while (next - base < Workload.WINDOW) {
      vertx.eventBus().publish("bench.fanout", next++);
    }
  }

  private void finish(String result) {
    if (!done.future().isComplete()) {
      vertx.cancelTimer(timer);
      acks.unregister();
      done.complete(result);
    }
  }
}
