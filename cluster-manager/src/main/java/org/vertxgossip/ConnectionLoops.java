package org.vertxgossip;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the event loop that an event-bus connection to another node runs on. Vert.x 5 opens that connection on
 * the context its {@code getNodeInfo} answer arrives on; answered on the sender's own context, the connection's
 * writes and flushes would run on the sender's thread, one system call per message, and it cannot send while they
 * run (measured with 256 requests in flight: about 90,000/s, against about 270,000/s on a loop of its own; see
 * src-docs/performance.md). So the answer comes on an event loop other than the sender's, taken in turn, as Vert.x 4
 * gave each connection a context of its own.
 */
final class ConnectionLoops {

  private final VertxInternal vertx;
  private final List<EventLoop> loops = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();

  ConnectionLoops(VertxInternal vertx) {
    this.vertx = vertx;
    for (EventExecutor e : vertx.nettyEventLoopGroup()) {
      loops.add((EventLoop) e);
    }
  }

  /** A new event-loop context for a connection opened by {@code caller}'s thread, on a loop other than its own. */
  ContextInternal besides(ContextInternal caller) {
    EventLoop own = caller.nettyEventLoop();
    EventLoop loop = loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    if (loop == own && loops.size() > 1) {
      loop = loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }
    return vertx.contextBuilder().withEventLoop(loop).withClassLoader(caller.classLoader()).build();
  }
}
