package org.vertxgossip;

import io.vertx.core.spi.cluster.NodeListener;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listener thread: delivers views in order, one at a time, on a thread where blocking is allowed (HAManager
 * blocks in {@code nodeLeft} for minutes and writes the sync map from there). {@link #nodes()} is the view as of
 * the event being delivered, so a callback sees the membership of its own event, not a later one. Nothing the
 * protocol needs ever waits on this thread.
 */
final class NodeEventDispatcher {

  private static final System.Logger LOG = System.getLogger(NodeEventDispatcher.class.getName());
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  /** Far more views than a cluster produces while one listener call blocks; overflow is logged, not queued. */
  private static final int CAPACITY = 65_536;
  private static final long IDLE_MS = 10_000;

  private final ThreadPoolExecutor thread;
  private volatile List<String> nodes = List.of();
  private volatile NodeListener listener;
  private volatile boolean active = true;

  NodeEventDispatcher() {
    int n = INSTANCES.incrementAndGet();
    thread = new ThreadPoolExecutor(1, 1, IDLE_MS, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(CAPACITY), r -> {
      Thread t = new Thread(r, "vertx-gossip-listener-" + n);
      t.setDaemon(true);
      return t;
    });
    // Views are rare once a cluster has formed: an idle node keeps no thread for them (one is started again,
    // still one at a time and in order, for the next event).
    thread.allowCoreThreadTimeOut(true);
  }

  void listener(NodeListener listener) {
    this.listener = listener;
  }

  List<String> nodes() {
    return nodes;
  }

  /** Stops the events (the node left); queued work that is not an event still runs. */
  void deactivate() {
    active = false;
  }

  void view(List<String> members, List<String> added, List<String> removed) {
    submit(() -> {
      nodes = members;
      NodeListener l = listener;
      if (l == null || !active) {
        return;
      }
      for (String a : added) {
        call(() -> l.nodeAdded(a), "nodeAdded", a);
      }
      for (String r : removed) {
        call(() -> l.nodeLeft(r), "nodeLeft", r);
      }
    });
  }

  /** Runs {@code task} after every event queued so far. */
  void submit(Runnable task) {
    try {
      thread.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.log(Level.ERROR, "vertx-gossip listener thread is " + (thread.isShutdown() ? "stopped" : "backlogged by "
          + CAPACITY + " views") + "; an event was dropped");
    }
  }

  private static void call(Runnable r, String what, String node) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "node listener " + what + "(" + node + ") failed", e);
    }
  }

  void shutdown() {
    thread.shutdown();
  }
}
