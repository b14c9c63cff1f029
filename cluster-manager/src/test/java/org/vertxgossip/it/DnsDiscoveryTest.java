package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;

/**
 * Nodes bound to distinct loopback addresses find each other through DNS only: the A records of one name (one
 * port, as behind a headless service), or SRV records (each its own port), served by an in-test DNS server.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DnsDiscoveryTest {

  private final List<Vertx> nodes = new ArrayList<>();
  private final List<GossipClusterManager> managers = new ArrayList<>();
  private TestDnsServer dns;

  @AfterEach
  void tearDown() throws Exception {
    for (Vertx v : nodes) {
      v.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (dns != null) {
      dns.close();
    }
  }

  @Test
  void aRecordsOfOneName() throws Exception {
    dns = new TestDnsServer().a("nodes.gossip.test", "127.0.0.2", "127.0.0.3", "127.0.0.4");
    String cluster = "dns-" + UUID.randomUUID();
    List<CompletableFuture<Vertx>> starting = new ArrayList<>();
    for (int i = 2; i <= 4; i++) {
      starting.add(start(new GossipOptions().setClusterName(cluster).setHost("127.0.0." + i).setPort(27946)
          .setDns("nodes.gossip.test").setDnsServer("127.0.0.1:" + dns.address().getPort())));
    }
    formsOneCluster(starting);
    assertTrue(dns.queriesFor("nodes.gossip.test") >= 3, "every node asked DNS");
  }

  @Test
  void srvRecordsWithTheirOwnPorts() throws Exception {
    dns = new TestDnsServer()
        .srv("_gossip._tcp.gossip.test", new TestDnsServer.Srv("n5.gossip.test", 27951),
            new TestDnsServer.Srv("n6.gossip.test", 27952), new TestDnsServer.Srv("n7.gossip.test", 27953))
        .a("n5.gossip.test", "127.0.0.5").a("n6.gossip.test", "127.0.0.6").a("n7.gossip.test", "127.0.0.7");
    String cluster = "srv-" + UUID.randomUUID();
    List<CompletableFuture<Vertx>> starting = new ArrayList<>();
    for (int i = 5; i <= 7; i++) {
      starting.add(start(new GossipOptions().setClusterName(cluster).setHost("127.0.0." + i).setPort(27946 + i)
          .setDns("_gossip._tcp.gossip.test").setDnsServer("127.0.0.1:" + dns.address().getPort())));
    }
    formsOneCluster(starting);
    assertTrue(dns.queriesFor("_gossip._tcp.gossip.test") >= 3, "every node asked for the SRV records");
  }

  @Test
  void aNameWithoutRecordsYetIsAskedAgainRatherThanFoundingAnIsland() throws Exception {
    // Records not published yet (a pod's address before its endpoint is): started with no seeds, the node would
    // found a cluster of its own at once and serve writes that the merge with the real cluster discards.
    dns = new TestDnsServer().a("late.gossip.test");
    CompletableFuture<Vertx> starting = start(new GossipOptions().setClusterName("late-" + UUID.randomUUID())
        .setHost("127.0.0.8").setPort(27958).setDns("late.gossip.test")
        .setDnsServer("127.0.0.1:" + dns.address().getPort()));
    GossipClusterManager cm = managers.get(managers.size() - 1);
    ClusterFixture.awaitTrue(() -> dns.queriesFor("late.gossip.test") >= 3, 30_000, () -> "asked again");
    assertFalse(starting.isDone(), "joined with no member named: it founded alone");
    dns.a("late.gossip.test", "127.0.0.8");
    nodes.add(starting.get(60, TimeUnit.SECONDS));
    assertEquals(1, cm.getNodes().size(), "the only seed named founds once it is named");
  }

  private CompletableFuture<Vertx> start(GossipOptions options) {
    GossipClusterManager cm = new GossipClusterManager(options);
    managers.add(cm);
    VertxOptions vo = new VertxOptions();
    vo.getEventBusOptions().setHost(options.getHost());
    return Vertx.builder().with(vo).withClusterManager(cm).buildClustered().toCompletionStage()
        .toCompletableFuture();
  }

  /** All three join one view, and a request crosses from the first node to a consumer on the last. */
  private void formsOneCluster(List<CompletableFuture<Vertx>> starting) throws Exception {
    for (CompletableFuture<Vertx> f : starting) {
      nodes.add(f.get(60, TimeUnit.SECONDS));
    }
    for (GossipClusterManager cm : managers) {
      assertEquals(3, cm.getNodes().size(), "view of " + cm.gossipAddress());
      assertEquals(new HashSet<>(managers.get(0).getNodes()), new HashSet<>(cm.getNodes()));
    }
    nodes.get(2).eventBus().<String>consumer("dns.echo", m -> m.reply("from " + managers.get(2).getNodeId()))
        .completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String reply = nodes.get(0).eventBus().<String>request("dns.echo", "hi").toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS).body();
    assertEquals("from " + managers.get(2).getNodeId(), reply);
  }
}
