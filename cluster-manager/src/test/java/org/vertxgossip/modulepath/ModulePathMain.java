package org.vertxgossip.modulepath;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.concurrent.TimeUnit;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;

/**
 * Run by {@link ModulePathIT} with the cluster manager, Vert.x, Netty and Jackson on the module path and only this
 * class on the class path: a first node whose cluster manager Vert.x finds by itself (the module's
 * {@code provides}), a second given one, a request between them, a map entry and a counter. It prints what it saw
 * and exits 0, or exits 1 with the failure.
 */
public final class ModulePathMain {

  private ModulePathMain() {
  }

  public static void main(String[] args) throws Exception {
    try {
      Module module = GossipClusterManager.class.getModule();
      System.out.println("cluster manager in module " + module.getName() + " from " + module.getDescriptor());
      VertxOptions vo = new VertxOptions();
      vo.getEventBusOptions().setHost(System.getProperty("vertx.gossip.host"));
      Vertx first = Vertx.builder().with(vo).buildClustered().await(60, TimeUnit.SECONDS);
      ClusterManager found = ((VertxInternal) first).clusterManager();
      System.out.println("found by Vert.x: " + found.getClass().getName() + " in module "
          + found.getClass().getModule().getName());
      GossipClusterManager second = new GossipClusterManager(new GossipOptions()
          .setPort(Integer.getInteger("vertx.gossip.port") + 1));
      Vertx other = Vertx.builder().with(vo).withClusterManager(second).buildClustered()
          .await(60, TimeUnit.SECONDS);
      first.eventBus().<String>consumer("echo", m -> m.reply("re:" + m.body())).completion()
          .await(10, TimeUnit.SECONDS);
      String reply = other.eventBus().<String>request("echo", "x").await(10, TimeUnit.SECONDS).body();
      first.sharedData().<String, String>getAsyncMap("m").compose(m -> m.put("k", "v")).await(10, TimeUnit.SECONDS);
      String value = other.sharedData().<String, String>getAsyncMap("m").compose(m -> m.get("k"))
          .await(10, TimeUnit.SECONDS);
      long count = other.sharedData().getCounter("c").compose(c -> c.incrementAndGet()).await(10, TimeUnit.SECONDS);
      System.out.println("members " + second.getNodes().size() + ", reply " + reply + ", map " + value
          + ", counter " + count);
      other.close().await(30, TimeUnit.SECONDS);
      first.close().await(30, TimeUnit.SECONDS);
      System.exit(0);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }
}
