package org.vertxgossip.benchmark;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Keeps a fixed number of operations in flight on one context: each completion starts the next. Operations that
 * start in the measured window are counted and timed; those of the warm-up before it are not. Runs on its
 * context's thread only (a completion arriving elsewhere is moved there), so it needs no locks.
 */
final class ClosedLoop {

  private final int inFlight;
  private final Supplier<Future<?>> op;
  private final LatencySamples samples = new LatencySamples();
  private Context context;
  private long measureFrom;
  private long measureUntil;
  private int outstanding;
  private int toLaunch;
  private boolean launching;
  private long failed;
  private String firstFailure;
  private Promise<String> done;

  ClosedLoop(int inFlight, Supplier<Future<?>> op) {
    this.inFlight = inFlight;
    this.op = op;
  }

  /** Call on the context that runs the operations. */
  void start(long warmUpMs, long measureMs, Promise<String> done) {
    this.context = Vertx.currentContext();
    this.done = done;
    long now = System.nanoTime();
    measureFrom = now + warmUpMs * 1_000_000;
    measureUntil = measureFrom + measureMs * 1_000_000;
    launch(inFlight);
  }

  /**
   * Starts {@code n} more operations. An operation that completes at once (a local read) calls back into this
   * method; it only adds to the count then, so that the loop iterates instead of recursing.
   */
  private void launch(int n) {
    toLaunch += n;
    if (launching) {
      return;
    }
    launching = true;
    while (toLaunch > 0) {
      toLaunch--;
      launchOne();
    }
    launching = false;
  }

  private void launchOne() {
    outstanding++;
    long t0 = System.nanoTime();
    Future<?> f;
    try {
      f = op.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      if (Vertx.currentContext() == context) {
        completed(t0, ar);
      } else {
        context.runOnContext(v -> completed(t0, ar));
      }
    });
  }

  private void completed(long t0, AsyncResult<?> ar) {
    outstanding--;
    long now = System.nanoTime();
    if (t0 >= measureFrom && t0 < measureUntil) {
      if (ar.succeeded()) {
        samples.add(now - t0);
      } else {
        failed++;
        if (firstFailure == null) {
          firstFailure = String.valueOf(ar.cause());
        }
      }
    }
    if (now < measureUntil) {
      launch(1);
    } else if (outstanding == 0) {
      long ms = (measureUntil - measureFrom) / 1_000_000;
      done.complete("count=" + samples.count() + " ms=" + ms + " rate=" + samples.count() * 1000 / ms
          + " p50=" + samples.percentileMicros(50) + " p99=" + samples.percentileMicros(99)
          + " max=" + samples.percentileMicros(100) + " failed=" + failed
          + (firstFailure == null ? "" : " firstFailure=" + firstFailure.replace(' ', '_')));
    }
  }
}
