package org.vertxgossip.tck;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.impl.clustered.ClusteredEventBus;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.tests.eventbus.ClusteredEventBusTest;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

/**
 * The Vert.x suite's {@code ClusteredEventBusTest} on gossip, unchanged on the Vert.x it was written for (5.0).
 * One of its tests counts connections through a metrics SPI that Vert.x 5.2 replaced; there it runs through the
 * SPI the running Vert.x has.
 */
public class GossipClusteredEventBusTest extends ClusteredEventBusTest {

  @Override
  public void setUp() throws Exception {
    freshCluster();
    super.setUp();
  }

  /** A fresh cluster for each test; the encrypted subclass gives it a key too. */
  protected void freshCluster() {
    TckCluster.freshName();
  }

  @Override
  protected ClusterManager getClusterManager() {
    return TckCluster.manager();
  }

  /**
   * The suite's version overrides {@code createNetClientMetrics} and {@code createNetServerMetrics}; Vert.x 5.2
   * calls {@code createTcpClientMetrics} and {@code createTcpServerMetrics} instead, so its counters would stay at
   * zero and it would time out whatever the cluster manager does.
   */
  @Test
  @Override
  public void testSocketCleanup() {
    if (Arrays.stream(VertxMetrics.class.getMethods()).anyMatch(m -> m.getName().equals("createNetClientMetrics"))) {
      super.testSocketCleanup();
    } else {
      testSocketCleanupThroughEitherMetricsSpi();
    }
  }

  /**
   * The same check as the suite's {@code testSocketCleanup} (one connection each way for a request; none once the
   * serving node's event bus closes), counted through whichever transport-metrics SPI the running Vert.x has.
   */
  @Test
  public void testSocketCleanupThroughEitherMetricsSpi() {
    startNodes(1);
    vertices[0].eventBus().consumer(ADDRESS1, msg -> msg.reply("pong"));
    AtomicInteger outbound = new AtomicInteger();
    AtomicInteger inbound = new AtomicInteger();
    VertxMetrics metrics = (VertxMetrics) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {VertxMetrics.class}, (proxy, method, args) -> switch (method.getName()) {
          case "createNetClientMetrics", "createTcpClientMetrics" -> connections(method.getReturnType(), outbound);
          case "createNetServerMetrics", "createTcpServerMetrics" -> connections(method.getReturnType(), inbound);
          default -> defaults(proxy, method, args);
        });
    Vertx vertx = vertx(() -> Vertx.builder()
        .withClusterManager(getClusterManager())
        .withMetrics(options -> metrics)
        .buildClustered()
        .await());
    vertx.eventBus().request(ADDRESS1, "ping").await();
    assertWaitUntil(() -> outbound.get() == 1 && inbound.get() == 1);
    ClusteredEventBus eventBus = (ClusteredEventBus) vertices[0].eventBus();
    Future.future(eventBus::close).await();
    assertWaitUntil(() -> outbound.get() == 0 && inbound.get() == 0);
  }

  /** Transport metrics of {@code type} (5.0's TCPMetrics or 5.2's TransportMetrics) counting open connections. */
  private static Object connections(Class<?> type, AtomicInteger open) {
    InvocationHandler h = (proxy, method, args) -> switch (method.getName()) {
      case "connected" -> {
        open.incrementAndGet();
        yield null;
      }
      case "disconnected" -> {
        open.decrementAndGet();
        yield null;
      }
      default -> defaults(proxy, method, args);
    };
    return Proxy.newProxyInstance(GossipClusteredEventBusTest.class.getClassLoader(), new Class<?>[] {type}, h);
  }

  /** Every other SPI method keeps its default; Object's methods answer as for identity. */
  private static Object defaults(Object proxy, Method method, Object[] args) throws Throwable {
    return switch (method.getName()) {
      case "equals" -> proxy == args[0];
      case "hashCode" -> System.identityHashCode(proxy);
      case "toString" -> "metrics proxy";
      default -> InvocationHandler.invokeDefault(proxy, method, args);
    };
  }
}
