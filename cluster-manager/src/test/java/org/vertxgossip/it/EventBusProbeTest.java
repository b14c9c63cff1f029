package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;

/**
 * The join's event-bus self-check: every member connects to every other member's event bus as the event bus would,
 * TLS included, and reports the ones it cannot reach, with the reason: an advertised event-bus address nobody
 * listens on, and event-bus TLS whose certificates the other side does not trust (reported from both sides).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EventBusProbeTest {

  private static final String HOST = "127.0.0.23";
  private static final int PORT = 28600;
  private final List<Vertx> started = new ArrayList<>();

  @Test
  void membersWhoseEventBusCannotBeReachedAreReported() throws Exception {
    String cluster = "probe-" + UUID.randomUUID();
    try {
      GossipClusterManager good = start(cluster, 0, plain());
      GossipClusterManager nowhere = start(cluster, 1, plain().setClusterPublicHost("127.0.0.78"));
      GossipClusterManager rootCa = start(cluster, 2, tls("tls/server-cert-root-ca.pem", "tls/root-ca/ca-cert.pem"));
      GossipClusterManager otherCa = start(cluster, 3, tls("tls/server-cert-other-ca.pem",
          "tls/other-ca/ca-cert.pem"));
      List<GossipClusterManager> all = List.of(good, nowhere, rootCa, otherCa);
      ClusterFixture.awaitTrue(() -> all.stream().allMatch(cm -> cm.getNodes().size() == 4), 30_000, "four");
      ClusterFixture.awaitTrue(() -> all.stream().allMatch(cm -> checked(cm) == 3), 30_000, "all checked");
      JsonObject fromGood = good.snapshot().getJsonObject("eventBus");
      assertUnreachable(fromGood, nowhere);
      JsonObject fromRoot = rootCa.snapshot().getJsonObject("eventBus");
      assertUnreachable(fromRoot, otherCa);
      assertUnreachable(fromRoot, nowhere);
      JsonObject fromOther = otherCa.snapshot().getJsonObject("eventBus");
      assertUnreachable(fromOther, rootCa);
      JsonObject fromNowhere = nowhere.snapshot().getJsonObject("eventBus");
      assertEquals("reachable", fromNowhere.getString(good.getNodeId()), "only its own address is wrong");
    } finally {
      for (Vertx v : started) {
        v.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  private static void assertUnreachable(JsonObject outcomes, GossipClusterManager member) {
    String outcome = outcomes.getString(member.getNodeId());
    if (outcome == null || outcome.equals("reachable") || outcome.equals("checking")) {
      throw new AssertionError(member.getNodeId() + " should be reported unreachable: " + outcomes.encode());
    }
  }

  private static long checked(GossipClusterManager cm) {
    JsonObject eb = cm.snapshot().getJsonObject("eventBus");
    return eb == null ? 0 : eb.stream().filter(e -> !"checking".equals(e.getValue())).count();
  }

  private static EventBusOptions plain() {
    return new EventBusOptions().setHost(HOST);
  }

  private static EventBusOptions tls(String cert, String trust) {
    return new EventBusOptions().setHost(HOST).setSsl(true).setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert).setKeyPath("tls/server-key.pem"))
        .setTrustOptions(new PemTrustOptions().addCertPath(trust));
  }

  private GossipClusterManager start(String cluster, int i, EventBusOptions eb) throws Exception {
    GossipClusterManager cm = new GossipClusterManager(new GossipOptions().setClusterName(cluster).setHost(HOST)
        .setPort(PORT + i).setSeeds(List.of(HOST + ":" + PORT)).setProfile("local"));
    VertxOptions vo = new VertxOptions().setEventBusOptions(eb);
    started.add(Vertx.builder().with(vo).withClusterManager(cm).buildClustered().await(30, TimeUnit.SECONDS));
    return cm;
  }
}
