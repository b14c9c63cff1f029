package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;

/**
 * Random, truncated, oversized, foreign-cluster and wrong-version datagrams and frames sent to a live node: it
 * keeps serving, and its drop counters account for every one of them, each under its reason.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BadInputTest {

  private static final String HOST = "127.0.0.9";
  private static final int PORT = 28100;
  private final Random random = new Random(7);
  private final List<Vertx> nodes = new ArrayList<>();
  private String cluster;

  @AfterEach
  void tearDown() throws Exception {
    for (Vertx v : nodes) {
      v.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyBadInputIsDroppedAndCounted() throws Exception {
    cluster = "bad-" + UUID.randomUUID();
    GossipClusterManager target = new GossipClusterManager(options(PORT));
    Vertx a = start(target);
    a.eventBus().<String>consumer("still.serving", m -> m.reply("yes")).completion().toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    JsonObject before = target.snapshot().getJsonObject("dropped");
    InetSocketAddress to = new InetSocketAddress(HOST, PORT);
    Map<String, Integer> expected = new LinkedHashMap<>();

    try (DatagramSocket udp = new DatagramSocket()) {
      send(udp, to, 200, () -> randomNotMagic(6 + random.nextInt(1394)), expected, "BAD_MAGIC");
      send(udp, to, 50, () -> java.util.Arrays.copyOf(header(1, 0, 1, cluster), 1 + random.nextInt(5)),
          expected, "TRUNCATED");
      send(udp, to, 50, () -> withBody(header(9, 0, 1, cluster), 20), expected, "UNKNOWN_VERSION");
      send(udp, to, 50, () -> withBody(header(1, 0, 1, "another-cluster"), 20), expected, "FOREIGN_CLUSTER");
      send(udp, to, 20, () -> withBody(header(1, 1, 1, cluster), 20), expected, "UNSUPPORTED_FLAGS");
      send(udp, to, 20, () -> withBody(header(1, 0, 42, cluster), 20), expected, "UNKNOWN_LANE");
      send(udp, to, 20, () -> withBody(header(1, 0, 1, cluster), 3000), expected, "OVERSIZED");
      // A valid envelope around a membership entry too short for its type: the core's decoder refuses it.
      send(udp, to, 100, () -> concat(header(1, 0, 1, cluster), new byte[] {1, 0, 5, 1, 2, 3, 4, 5}), expected,
          "MALFORMED");
    }
    for (int i = 0; i < 20; i++) {
      frame(to, ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(0).array(), false);
    }
    expected.merge("OVERSIZED", 20, Integer::sum);
    for (int i = 0; i < 20; i++) {
      frame(to, lengthPrefixed(randomNotMagic(40)), false);
    }
    expected.merge("BAD_MAGIC", 20, Integer::sum);
    for (int i = 0; i < 20; i++) {
      frame(to, lengthPrefixed(withBody(header(1, 0, 1, "another-cluster"), 30)), false);
    }
    expected.merge("FOREIGN_CLUSTER", 20, Integer::sum);
    for (int i = 0; i < 20; i++) {
      byte[] whole = lengthPrefixed(withBody(header(1, 0, 1, cluster), 100));
      frame(to, java.util.Arrays.copyOf(whole, 4 + 10), true); // the connection ends inside the frame
    }
    expected.merge("TRUNCATED", 20, Integer::sum);
    for (int i = 0; i < 20; i++) {
      // Replication lane, a delta cut short.
      frame(to, lengthPrefixed(concat(header(1, 0, 2, cluster), new byte[] {1, 0, 0, 0})), false);
    }
    expected.merge("MALFORMED", 20, Integer::sum);
    int total = expected.values().stream().mapToInt(Integer::intValue).sum();

    long deadline = System.currentTimeMillis() + 30_000;
    JsonObject dropped;
    while (true) {
      dropped = target.snapshot().getJsonObject("dropped");
      if (dropped.getLong("total") - before.getLong("total") >= total || System.currentTimeMillis() > deadline) {
        break;
      }
      Thread.sleep(20);
    }
    for (Map.Entry<String, Integer> e : expected.entrySet()) {
      assertEquals((long) e.getValue(), dropped.getLong(e.getKey()) - before.getLong(e.getKey()), e.getKey());
    }
    assertEquals(total, dropped.getLong("total") - before.getLong("total"), "every input counted once");
    System.out.println("bad input: " + total + " datagrams and frames dropped: " + dropped.encode());

    // Still serving: a new member joins it and reaches its consumer.
    GossipClusterManager joiner = new GossipClusterManager(options(PORT + 1));
    Vertx b = start(joiner);
    assertEquals(2, joiner.getNodes().size());
    assertEquals("yes", b.eventBus().<String>request("still.serving", "?").toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS).body());
    assertEquals("member", target.snapshot().getString("state"));
    JsonObject async = target.snapshotAsync().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(dropped.getLong("total"), async.getJsonObject("dropped").getLong("total"),
        "the non-blocking snapshot counts the same drops");
    assertEquals(2, async.getJsonArray("members").size());
  }

  /**
   * One address cannot take every connection slot, and partial frames cannot hold more than the transport's
   * budget, however many connections announce them; the budget comes back when they close.
   */
  @Test
  void connectionsPerSourceAndPartialFrameBytesAreBounded() throws Exception {
    cluster = "limits-" + UUID.randomUUID();
    GossipClusterManager target = new GossipClusterManager(options(PORT + 5).setSeeds(List.of(HOST + ":"
        + (PORT + 5))));
    start(target);
    InetSocketAddress to = new InetSocketAddress(HOST, PORT + 5);
    JsonObject before = target.snapshot().getJsonObject("dropped");
    List<Socket> flood = new ArrayList<>();
    try {
      for (int i = 0; i < 140; i++) {
        Socket s = new Socket();
        s.bind(new InetSocketAddress("127.0.0.40", 0));
        s.connect(to, 5000);
        flood.add(s);
      }
      long closed = countClosedByPeer(flood);
      assertEquals(140 - 128, closed, "connections beyond the per-source bound are closed");
      ClusterFixture.awaitTrue(() -> delta(target, before, "INPUT_LIMIT") == 12, 10_000, "counted");
    } finally {
      for (Socket s : flood) {
        s.close();
      }
    }
    List<Socket> partial = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        Socket s = new Socket();
        s.bind(new InetSocketAddress("127.0.0." + (41 + i), 0));
        s.connect(to, 5000);
        // A frame of the largest size, announced and begun but never finished.
        s.getOutputStream().write(ByteBuffer.allocate(5).putInt(32 << 20).put((byte) 0x56).array());
        s.getOutputStream().flush();
        partial.add(s);
      }
      assertEquals(2, countClosedByPeer(partial), "256 MiB of partial frames at most: 8 of 32 MiB");
      ClusterFixture.awaitTrue(() -> delta(target, before, "INPUT_LIMIT") == 14, 10_000, "counted");
    } finally {
      for (Socket s : partial) {
        s.close();
      }
    }
    ClusterFixture.awaitTrue(() -> delta(target, before, "TRUNCATED") == 8, 10_000,
        "the held ones ended inside a frame");
    try (Socket again = new Socket()) {
      again.connect(to, 5000);
      again.getOutputStream().write(ByteBuffer.allocate(5).putInt(32 << 20).put((byte) 0x56).array());
      assertEquals(0, countClosedByPeer(List.of(again)), "the budget came back");
    }
    assertEquals("member", target.snapshot().getString("state"));
  }

  private static long delta(GossipClusterManager cm, JsonObject before, String reason) {
    return cm.snapshot().getJsonObject("dropped").getLong(reason) - before.getLong(reason);
  }

  /** How many of these sockets the node closed within a second of being asked. */
  private static long countClosedByPeer(List<Socket> sockets) throws Exception {
    long closed = 0;
    for (Socket s : sockets) {
      s.setSoTimeout(s == sockets.get(0) ? 1000 : 50);
      try {
        if (s.getInputStream().read() == -1) {
          closed++;
        }
      } catch (java.net.SocketTimeoutException stillOpen) {
        // held open by the node
      } catch (java.net.SocketException reset) {
        closed++;
      }
    }
    return closed;
  }

  private GossipOptions options(int port) {
    return new GossipOptions().setClusterName(cluster).setHost(HOST).setPort(port)
        .setSeeds(List.of(HOST + ":" + PORT));
  }

  private Vertx start(GossipClusterManager cm) throws Exception {
    VertxOptions vo = new VertxOptions();
    vo.getEventBusOptions().setHost(HOST);
    Vertx v = Vertx.builder().with(vo).withClusterManager(cm).buildClustered().toCompletionStage()
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    nodes.add(v);
    return v;
  }

  private interface Payload {
    byte[] next();
  }

  private static void send(DatagramSocket udp, InetSocketAddress to, int count, Payload payload,
                           Map<String, Integer> expected, String reason) throws Exception {
    for (int i = 0; i < count; i++) {
      byte[] b = payload.next();
      udp.send(new DatagramPacket(b, b.length, to));
      if (i % 50 == 49) {
        Thread.sleep(5); // pacing so that the receive buffer never overflows: every datagram must arrive
      }
    }
    expected.merge(reason, count, Integer::sum);
  }

  private static void frame(InetSocketAddress to, byte[] bytes, boolean closeEarly) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(to, 5000);
      OutputStream out = s.getOutputStream();
      out.write(bytes);
      out.flush();
      if (!closeEarly) {
        s.shutdownOutput();
        s.getInputStream().read(); // wait for the node to close its side, i.e. to have read it all
      }
    }
  }

  /** The envelope: magic, version, flags, lane, label. */
  private static byte[] header(int version, int flags, int lane, String label) {
    byte[] l = label.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(6 + l.length);
    b.putShort((short) 0x5647).put((byte) version).put((byte) flags).put((byte) lane).put((byte) l.length).put(l);
    return b.array();
  }

  private byte[] withBody(byte[] header, int bodyLength) {
    byte[] body = new byte[bodyLength];
    random.nextBytes(body);
    return concat(header, body);
  }

  private byte[] randomNotMagic(int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    b[0] = 0x13;
    return b;
  }

  private static byte[] lengthPrefixed(byte[] frame) {
    return ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
