package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;
import org.vertxgossip.security.Keyring;
import org.vertxgossip.shareddata.RecordingGadget;

/**
 * A cluster with a key works as one without (members join, the event bus and shared data work), and its traffic
 * is sealed: no member ever counts a plain or unopened input.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EncryptedClusterTest {

  private static final String HOST = "127.0.0.21";
  private static final int PORT = 28300;

  @Test
  void membersWithTheKeyFormOneClusterAndServe() throws Exception {
    String cluster = "enc-" + UUID.randomUUID();
    String key = Keyring.generate();
    try (InJvmNodes nodes = new InJvmNodes()) {
      GossipClusterManager a = nodes.start(options(cluster, PORT, key));
      GossipClusterManager b = nodes.start(options(cluster, PORT + 1, key));
      GossipClusterManager c = nodes.start(options(cluster, PORT + 2, key));
      nodes.assertServe(a, b, c);
      Vertx vc = nodes.vertxOf(c);
      assertEquals(1L, vc.sharedData().getCounter("n").compose(n -> n.incrementAndGet())
          .await(10, TimeUnit.SECONDS));
      for (GossipClusterManager cm : List.of(a, b, c)) {
        JsonObject dropped = cm.snapshot().getJsonObject("dropped");
        for (String reason : List.of("NOT_SEALED", "UNKNOWN_KEY", "AUTH_FAILED", "STALE", "REPLAYED",
            "UNSUPPORTED_FLAGS")) {
          assertEquals(0L, dropped.getLong(reason), reason + " at " + cm.getNodeId() + ": " + dropped);
        }
      }
      assertTrue(a.keyring().fingerprints().contains(Keyring.fingerprint(key)));
    }
  }

  /**
   * A member with the key is trusted with the key, not with what its values make others run: a planted gadget
   * fails the reads of that value (with the class named) and runs nowhere; the map goes on serving.
   */
  @Test
  void aGadgetPlantedByAMemberWithTheKeyIsRefusedByTheFilter() throws Exception {
    String cluster = "gadget-" + UUID.randomUUID();
    String key = Keyring.generate();
    try (InJvmNodes nodes = new InJvmNodes()) {
      GossipClusterManager a = nodes.start(options(cluster, PORT + 10, key, PORT + 10));
      GossipClusterManager b = nodes.start(options(cluster, PORT + 11, key, PORT + 10));
      ClusterFixture.awaitTrue(() -> a.getNodes().size() == 2 && b.getNodes().size() == 2, 30_000, "two members");
      int ran = RecordingGadget.RAN.get();
      var mapA = nodes.vertxOf(a).sharedData().<String, Object>getAsyncMap("planted").await(10, TimeUnit.SECONDS);
      mapA.put("gadget", new RecordingGadget()).await(10, TimeUnit.SECONDS);
      mapA.put("fine", "value").await(10, TimeUnit.SECONDS);
      var mapB = nodes.vertxOf(b).sharedData().<String, Object>getAsyncMap("planted").await(10, TimeUnit.SECONDS);
      for (var map : List.of(mapA, mapB)) {
        Exception refused = assertThrows(Exception.class, () -> map.get("gadget").await(10, TimeUnit.SECONDS));
        assertTrue(String.valueOf(refused.getMessage()).contains(RecordingGadget.class.getName()),
            String.valueOf(refused));
        assertEquals("value", map.get("fine").await(10, TimeUnit.SECONDS));
      }
      assertEquals(ran, RecordingGadget.RAN.get(), "the gadget ran while being read");
      mapB.put("gadget", "overwritten").await(10, TimeUnit.SECONDS);
      assertEquals("overwritten", mapA.get("gadget").await(10, TimeUnit.SECONDS));
    }
  }

  private static GossipOptions options(String cluster, int port, String key) {
    return options(cluster, port, key, PORT);
  }

  private static GossipOptions options(String cluster, int port, String key, int seed) {
    return new GossipOptions().setClusterName(cluster).setHost(HOST).setPort(port)
        .setSeeds(List.of(HOST + ":" + seed)).setKeys(List.of(key)).setProfile("local");
  }
}
