package org.vertxgossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.it.InJvmNodes;
import org.vertxgossip.transport.GossipTransport;
import org.vertxgossip.transport.WireVersion;

/**
 * Rolling upgrades across protocol versions, with the test switch that stands in for a next release
 * ({@link GossipClusterManager#speak}): members of the next minor version (which pings with an appended field and
 * sends a new datagram message type) and of this one form one cluster that serves; a member of another major
 * version is refused with one WARNING on each side, and its join fails with the reason instead of waiting.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class WireVersionTest {

  private static final String HOST = "127.0.0.27";
  private static final int PORT = 29000;
  private static final WireVersion NEXT_MINOR = new WireVersion(1, 2);
  private static final WireVersion NEXT_MAJOR = new WireVersion(2, 1);

  private final String cluster = "wire-" + UUID.randomUUID();
  private final InJvmNodes nodes = new InJvmNodes();
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final Logger transportLog = Logger.getLogger(GossipTransport.class.getName());
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(r.getMessage());
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  @AfterEach
  void tearDown() throws Exception {
    transportLog.removeHandler(capture);
    nodes.close();
  }

  @Test
  void membersOfTheNextMinorVersionAndOfThisOneFormOneClusterThatServes() throws Exception {
    List<GossipClusterManager> all = new ArrayList<>();
    List<Vertx> vertx = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      GossipClusterManager cm = manager(PORT + i, PORT);
      if (i % 2 == 1) {
        cm.speak(NEXT_MINOR);
      }
      all.add(cm);
      vertx.add(start(cm));
    }
    awaitTrue(() -> all.stream().allMatch(cm -> cm.getNodes().size() == 4), "one view of 4");
    for (int i = 0; i < 4; i++) {
      String id = all.get(i).getNodeId();
      vertx.get(i).eventBus().<String>consumer("svc", m -> m.reply(id)).completion().await(10, TimeUnit.SECONDS);
    }
    for (int i = 0; i < 4; i++) {
      Set<String> answered = new HashSet<>();
      for (int r = 0; r < 40; r++) {
        answered.add(vertx.get(i).eventBus().<String>request("svc", r).await(10, TimeUnit.SECONDS).body());
      }
      assertEquals(4, answered.size(), "requests from node " + i + " reach every version's consumer");
      int n = i;
      vertx.get(i).sharedData().<String, Integer>getAsyncMap("m").compose(m -> m.put("k" + n, n))
          .await(10, TimeUnit.SECONDS);
      vertx.get(i).sharedData().getCounter("c").compose(c -> c.incrementAndGet()).await(10, TimeUnit.SECONDS);
    }
    for (Vertx v : vertx) {
      for (int i = 0; i < 4; i++) {
        String key = "k" + i;
        assertEquals(i, v.sharedData().<String, Integer>getAsyncMap("m").compose(m -> m.get(key))
            .await(10, TimeUnit.SECONDS));
      }
      assertEquals(4L, v.sharedData().getCounter("c").compose(c -> c.get()).await(10, TimeUnit.SECONDS));
    }
    // Each version has seen the other's traffic by now; poll until the counters show it.
    awaitTrue(() -> {
      for (int i = 0; i < 4; i++) {
        JsonObject m = all.get(i).snapshot().getJsonObject("membership");
        boolean next = i % 2 == 1;
        if (next ? m.getLong("capabilitiesRead") == 0 || m.getLong("appendedFieldsRead") == 0
            : m.getLong("unknownTypes") == 0) {
          return false;
        }
      }
      return true;
    }, "each version saw the other's messages");
    for (int i = 0; i < 4; i++) {
      JsonObject s = all.get(i).snapshot();
      JsonObject m = s.getJsonObject("membership");
      assertEquals(0, m.getLong("malformed"), "node " + i + " refused nothing as malformed: " + m.encode());
      assertEquals(0, s.getJsonObject("dropped").getLong("MALFORMED"), "node " + i);
      if (i % 2 == 0) {
        assertEquals(0, m.getLong("appendedFieldsRead"), "this version ignores the next one's field");
        assertEquals(0, m.getLong("capabilitiesRead"), "and skips its new message, counted as unknown");
      }
      assertEquals(4, s.getInteger("viewSize"));
    }
    // A member of the next minor version leaves and another joins: the view follows.
    nodes.stop(all.get(3));
    GossipClusterManager late = manager(PORT + 4, PORT);
    late.speak(NEXT_MINOR);
    start(late);
    awaitTrue(() -> late.getNodes().size() == 4 && all.get(0).getNodes().size() == 4, "a view of 4 again");
  }

  @Test
  void aMemberOfAnotherMajorVersionIsRefusedOnBothSidesAndItsJoinFailsAtOnce() throws Exception {
    transportLog.addHandler(capture);
    GossipClusterManager current = manager(PORT + 10, PORT + 10);
    start(current);
    GossipClusterManager next = manager(PORT + 11, PORT + 10);
    next.speak(NEXT_MAJOR);
    long before = System.nanoTime();
    Exception failure = assertThrows(Exception.class, () -> start(next));
    long tookMs = (System.nanoTime() - before) / 1_000_000;
    assertTrue(String.valueOf(failure.getMessage()).contains("speaks protocol version 1 and refused this node's, "
        + "2.1: members of different major versions cannot form one cluster"), String.valueOf(failure));
    System.out.println("WireVersionTest: a 2.1 joiner refused by a 1.1 member failed in " + tookMs + " ms: "
        + failure.getMessage());
    awaitTrue(() -> warnings.stream().anyMatch(w -> w.contains("refuses this node's input")), "the joiner's line");
    List<String> refused = warnings.stream().filter(w -> w.contains("refused input from " + HOST)).toList();
    List<String> refusedBy = warnings.stream().filter(w -> w.contains(HOST + " refuses this node's input")).toList();
    assertEquals(1, refused.size(), "one line on the member: " + warnings);
    assertTrue(refused.get(0).contains("it speaks protocol version 2, this node speaks 1"), refused.get(0));
    assertEquals(1, refusedBy.size(), "one line on the joiner: " + warnings);
    assertTrue(refusedBy.get(0).contains("it speaks protocol version 1, this node speaks 2"), refusedBy.get(0));
    JsonObject s = current.snapshot();
    assertEquals(1, s.getInteger("viewSize"), "the member's view never had the joiner");
    assertTrue(s.getJsonObject("dropped").getLong("UNKNOWN_VERSION") >= 1, s.getJsonObject("dropped").encode());
  }

  private GossipClusterManager manager(int port, int seed) {
    return new GossipClusterManager(new GossipOptions().setClusterName(cluster).setHost(HOST).setPort(port)
        .setSeeds(List.of(HOST + ":" + seed)).setProfile("local"));
  }

  private Vertx start(GossipClusterManager cm) throws Exception {
    VertxOptions vo = new VertxOptions();
    vo.getEventBusOptions().setHost(HOST);
    return nodes.start(cm, vo);
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(what + ": not within 20 s");
      }
      Thread.sleep(50); // polling interval
    }
  }
}
