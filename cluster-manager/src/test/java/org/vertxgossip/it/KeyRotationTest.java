package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Counter;
import io.vertx.core.spi.cluster.NodeListener;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;
import org.vertxgossip.security.Keyring;

/**
 * Key changes in a running five-member cluster while a client sends event-bus requests and increments a counter:
 * rotation through the run-time API (no view change at all), rotation by rolling restarts, and turning encryption
 * on by rolling restarts. No increment fails and the counter ends at exactly the number acknowledged; no request
 * to a consumer on a member that stays (a second client, which rotates through the API with the first) fails.
 * Requests to the restarting members themselves are counted and printed, not asserted: the Vert.x event bus
 * discards what reaches a member while it closes, which a graceful leave does not drain yet (the rolling-upgrade
 * work of the operations issue).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KeyRotationTest {

  private static final int MEMBERS = 5;
  private static final int PORT = ClusterFixture.PORT + 7;
  private static final String CLIENT = "127.0.0.50";
  private static final String STAYER = "127.0.0.49";
  private static final String SEEDS = "127.0.0.51:" + PORT + ",127.0.0.52:" + PORT;

  private final String cluster = "rotate-" + UUID.randomUUID();
  private final List<ExternalNode> members = new ArrayList<>();
  private final ConcurrentLinkedQueue<String> clientViewChanges = new ConcurrentLinkedQueue<>();
  private GossipClusterManager client;
  private Vertx clientVertx;
  /** A second client that stays: it serves the address "stable", and rotates its keys through the API. */
  private GossipClusterManager stayer;
  private Vertx stayerVertx;

  @AfterEach
  void tearDown() throws Exception {
    members.forEach(ExternalNode::close);
    if (clientVertx != null) {
      clientVertx.close().await(30, TimeUnit.SECONDS);
    }
    if (stayerVertx != null) {
      stayerVertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRunningClusterRotatesItsKeyThroughTheApiWithNoViewChange() throws Exception {
    String k1 = Keyring.generate();
    String k2 = Keyring.generate();
    for (int i = 0; i < MEMBERS; i++) {
      members.add(member(i, "-Dvertx.gossip.keys=" + k1));
    }
    startClient(new GossipOptions().setKeys(List.of(k1)));
    int[] marks = members.stream().mapToInt(ExternalNode::lineCount).toArray();
    clientViewChanges.clear();
    try (Load load = new Load(clientVertx, "api")) {
      load.progress();
      for (String step : List.of("KEYINSTALL " + k2, "KEYUSE " + k2, "KEYREMOVE " + k1)) {
        for (ExternalNode n : members) {
          assertTrue(n.ask(step, "KEY").startsWith("KEYS "), n.host + " " + step);
        }
        String[] s = step.split(" ");
        for (GossipClusterManager cm : List.of(client, stayer)) {
          switch (s[0]) {
            case "KEYINSTALL" -> cm.keyring().install(s[1]);
            case "KEYUSE" -> cm.keyring().use(s[1]);
            default -> cm.keyring().remove(s[1]);
          }
        }
        load.progress();
      }
      load.finish("rotation through the API");
    }
    for (int i = 0; i < MEMBERS; i++) {
      ExternalNode n = members.get(i);
      assertEquals("KEYS " + Keyring.fingerprint(k2), n.ask("KEYS", "KEYS "));
      assertEquals(0, n.count(marks[i], l -> l.startsWith("VIEW ")), n.host + " saw a view change");
      JsonObject dropped = snapshot(n).getJsonObject("dropped");
      for (String reason : List.of("NOT_SEALED", "UNKNOWN_KEY", "AUTH_FAILED", "REPLAYED", "STALE")) {
        assertEquals(0L, dropped.getLong(reason), n.host + " " + reason + ": " + dropped);
      }
    }
    assertEquals(List.of(), List.copyOf(clientViewChanges), "the client saw a view change");
  }

  @Test
  void rollingRestartsRotateTheKey() throws Exception {
    String k1 = Keyring.generate();
    String k2 = Keyring.generate();
    for (int i = 0; i < MEMBERS; i++) {
      members.add(member(i, "-Dvertx.gossip.keys=" + k1));
    }
    startClient(new GossipOptions().setKeys(List.of(k1)));
    try (Load load = new Load(clientVertx, "restarts")) {
      load.progress();
      restartAll(load, "-Dvertx.gossip.keys=" + k1 + "," + k2); // every member can open the new key
      client.keyring().install(k2);
      stayer.keyring().install(k2);
      restartAll(load, "-Dvertx.gossip.keys=" + k2 + "," + k1); // every member seals with it
      client.keyring().use(k2);
      stayer.keyring().use(k2);
      restartAll(load, "-Dvertx.gossip.keys=" + k2); // the old key is gone
      client.keyring().remove(k1);
      stayer.keyring().remove(k1);
      load.progress();
      load.finish("rotation by rolling restarts");
    }
    for (ExternalNode n : members) {
      assertEquals("KEYS " + Keyring.fingerprint(k2), n.ask("KEYS", "KEYS "));
    }
  }

  @Test
  void encryptionIsTurnedOnInARunningClusterByRollingRestarts() throws Exception {
    String key = Keyring.generate();
    for (int i = 0; i < MEMBERS; i++) {
      members.add(member(i));
    }
    // The client plays a member that is already at step 1: it holds the key, sends plain and accepts both.
    startClient(new GossipOptions().setKeys(List.of(key)).setVerifyOutgoing(false).setVerifyIncoming(false));
    try (Load load = new Load(clientVertx, "enable")) {
      load.progress();
      restartAll(load, "-Dvertx.gossip.keys=" + key, "-Dvertx.gossip.verifyOutgoing=false",
          "-Dvertx.gossip.verifyIncoming=false");
      restartAll(load, "-Dvertx.gossip.keys=" + key, "-Dvertx.gossip.verifyIncoming=false");
      client.setVerification(true, false).get(10, TimeUnit.SECONDS);
      stayer.setVerification(true, false).get(10, TimeUnit.SECONDS);
      load.progress();
      restartAll(load, "-Dvertx.gossip.keys=" + key);
      client.setVerification(true, true).get(10, TimeUnit.SECONDS);
      stayer.setVerification(true, true).get(10, TimeUnit.SECONDS);
      load.progress();
      load.finish("encryption turned on by rolling restarts");
    }
    // Everything is sealed now, and required: plain input is refused, and nobody sent any after the switch.
    ExternalNode first = members.get(0);
    JsonObject before = snapshot(first).getJsonObject("dropped");
    assertEquals(0L, before.getLong("NOT_SEALED"), "a member still received plain traffic");
    byte[] plain = Attacker.plain(cluster, Attacker.LANE_MEMBERSHIP, new byte[] {1, 0, 0});
    try (DatagramSocket udp = new DatagramSocket()) {
      udp.send(new DatagramPacket(plain, plain.length, new InetSocketAddress(first.host, PORT)));
    }
    ClusterFixture.awaitTrue(() -> snapshot(first).getJsonObject("dropped").getLong("NOT_SEALED") == 1, 10_000,
        "plain input refused");
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  private ExternalNode member(int i, String... properties) throws Exception {
    List<String> jvm = new ArrayList<>(List.of("-Xmx128m"));
    jvm.addAll(List.of(properties));
    ExternalNode n = new ExternalNode(jvm, "127.0.0." + (51 + i), PORT, SEEDS, cluster);
    if (n.awaitLine(0, l -> l.startsWith("READY"), 60_000) == null) {
      throw new AssertionError(n.host + " never got ready" + n.problems());
    }
    return n;
  }

  private void startClient(GossipOptions options) throws Exception {
    client = new GossipClusterManager(new GossipOptions(options).setClusterName(cluster).setHost(CLIENT).setPort(0)
        .setSeeds(List.of(SEEDS.split(","))));
    clientVertx = clustered(client, CLIENT);
    stayer = new GossipClusterManager(new GossipOptions(options).setClusterName(cluster).setHost(STAYER).setPort(0)
        .setSeeds(List.of(SEEDS.split(","))));
    stayerVertx = clustered(stayer, STAYER);
    stayerVertx.eventBus().<String>consumer("stable", m -> m.reply("stays")).completion()
        .await(10, TimeUnit.SECONDS);
    client.nodeListener(new NodeListener() {
      @Override
      public void nodeAdded(String nodeID) {
        clientViewChanges.add("added " + nodeID);
      }

      @Override
      public void nodeLeft(String nodeID) {
        clientViewChanges.add("left " + nodeID);
      }
    });
    ClusterFixture.awaitTrue(() -> client.getNodes().size() == MEMBERS + 2, 60_000, "the client sees everyone");
    for (ExternalNode n : members) {
      ClusterFixture.awaitTrue(() -> ask(n, "SIZE").equals("SIZE " + (MEMBERS + 2)), 60_000, n.host + " sees all");
    }
  }

  private static Vertx clustered(GossipClusterManager cm, String host) throws Exception {
    VertxOptions vo = new VertxOptions();
    vo.getEventBusOptions().setHost(host);
    return Vertx.builder().with(vo).withClusterManager(cm).buildClustered().await(60, TimeUnit.SECONDS);
  }

  /** Each member in turn leaves gracefully and comes back with these properties (and a new node id). */
  private void restartAll(Load load, String... properties) throws Exception {
    for (int i = 0; i < MEMBERS; i++) {
      ExternalNode old = members.get(i);
      int at = i;
      assertTrue(old.ask("LEAVE", "LEFT").startsWith("LEFT"), old.host + old.problems());
      old.close();
      ClusterFixture.awaitTrue(() -> client.getNodes().size() == MEMBERS + 1, 30_000,
          () -> "the leave of " + old.host + " seen" + views());
      members.set(i, member(i, properties));
      ClusterFixture.awaitTrue(() -> client.getNodes().size() == MEMBERS + 2, 60_000,
          () -> "the return of " + members.get(at).host + " seen" + views());
      load.progress();
    }
  }

  /** What the client and each member see, for a failure's message. */
  private String views() {
    StringBuilder s = new StringBuilder("; the client's nodes: " + client.getNodes() + ", its members: "
        + client.snapshot().getJsonArray("members") + ", its drops: " + client.snapshot().getJsonObject("dropped"));
    for (ExternalNode n : members) {
      s.append(" | ").append(n.host).append(n.problems());
    }
    return s.toString();
  }

  private static JsonObject snapshot(ExternalNode n) {
    return new JsonObject(ask(n, "SNAPSHOT").substring("SNAPSHOT ".length()));
  }

  private static String ask(ExternalNode n, String command) {
    try {
      return n.ask(command, command.equals("SNAPSHOT") ? "SNAPSHOT " : command.equals("SIZE") ? "SIZE " : command);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The client's load: four loops of event-bus requests to the staying client's "stable" consumer, four to the
   * members' "work" consumers, and one loop of counter increments, each waiting for its answer before the next.
   */
  private static final class Load implements AutoCloseable {
    private static final int REQUEST_LOOPS = 8;
    private final Vertx vertx;
    private final String counter;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong toMembers = new AtomicLong();
    private final AtomicLong failedAtMembers = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(
        REQUEST_LOOPS + 1);

    Load(Vertx vertx, String name) throws Exception {
      this.vertx = vertx;
      this.counter = "rotation-" + name;
      Counter c = vertx.sharedData().getCounter(counter).await(10, TimeUnit.SECONDS);
      for (int i = 0; i < REQUEST_LOOPS; i++) {
        boolean stable = i % 2 == 0;
        vertx.runOnContext(v -> request(stable));
      }
      vertx.runOnContext(v -> increment(c));
    }

    private void request(boolean stable) {
      if (!running.get()) {
        stopped.countDown();
        return;
      }
      vertx.eventBus().request(stable ? "stable" : "work", "ping", new DeliveryOptions().setSendTimeout(15_000))
          .onComplete(ar -> {
            if (stable && ar.succeeded()) {
              answered.incrementAndGet();
            } else if (stable) {
              failures.add("request: " + ar.cause());
            } else if (ar.succeeded()) {
              toMembers.incrementAndGet();
            } else {
              failedAtMembers.incrementAndGet();
            }
            request(stable);
          });
    }

    private void increment(Counter c) {
      if (!running.get()) {
        stopped.countDown();
        return;
      }
      c.incrementAndGet().onComplete(ar -> {
        if (ar.succeeded()) {
          acked.incrementAndGet();
        } else {
          failures.add("increment: " + ar.cause());
        }
        increment(c);
      });
    }

    /** Waits until both loops made progress since the last call (or fails after 30 s). */
    void progress() throws InterruptedException {
      long a = answered.get();
      long i = acked.get();
      ClusterFixture.awaitTrue(() -> answered.get() > a + 50 && acked.get() > i + 20, 30_000,
          "requests and increments go on" + failures);
    }

    /** Stops the loops and checks: nothing failed, and the counter holds exactly the acknowledged increments. */
    void finish(String what) throws Exception {
      running.set(false);
      assertTrue(stopped.await(60, TimeUnit.SECONDS), "the loops stopped");
      long value = vertx.sharedData().getCounter(counter).compose(Counter::get).await(10, TimeUnit.SECONDS);
      System.out.println("rotation: " + what + ": " + answered.get() + " requests to the staying client answered, "
          + acked.get() + " increments acknowledged, counter " + value + ", failures " + failures.size() + "; "
          + toMembers.get() + " requests to restarting members answered, " + failedAtMembers.get()
          + " discarded or lost at their leaves");
      assertEquals(List.of(), List.copyOf(failures), "failed operations");
      assertEquals(acked.get(), value, "increments lost or doubled");
    }

    @Override
    public void close() {
      running.set(false);
    }
  }
}
