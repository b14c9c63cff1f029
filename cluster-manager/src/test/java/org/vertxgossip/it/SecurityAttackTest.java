package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.membership.MemberRecord;
import org.vertxgossip.membership.MemberState;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.membership.ViewSummary;
import org.vertxgossip.membership.wire.Message;
import org.vertxgossip.membership.wire.MessageCodec;
import org.vertxgossip.replication.ForgedStoreMessages;
import org.vertxgossip.security.Keyring;
import org.vertxgossip.shareddata.ValueCodec;

/**
 * The attacker on the cluster's network, in this JVM, against three members in JVMs of their own that hold a key.
 * It forges well-formed membership and store messages (plain, sealed under its own key, and sealed under a key id
 * copied from captured traffic), sits on the path to one member and replays what it captured there (at once, and
 * after the freshness window), and starts members without the key and with a wrong one. Nothing gets through:
 * no member admitted, nothing answered to the attacker, no view, store, registration or incarnation changed; every
 * attempt is counted under its reason and logged once per source.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SecurityAttackTest {

  private static final String A = "127.0.0.31";
  private static final String B = "127.0.0.32";
  private static final String C = "127.0.0.33";
  private static final String NO_KEY = "127.0.0.34";
  private static final String WRONG_KEY = "127.0.0.35";
  /** Where B says it is: the attacker's relay, which passes everything on to B. */
  private static final String RELAY = "127.0.0.36";
  private static final String ATTACKER = "127.0.0.39";
  private static final int PORT = 28400;
  private static final List<String> REASONS = List.of("NOT_SEALED", "UNKNOWN_KEY", "AUTH_FAILED", "OVERSIZED",
      "REPLAYED", "STALE");

  private final String cluster = "sec-" + UUID.randomUUID();
  private final MessageCodec codec = new MessageCodec(512);
  private final NodeId attackerId = NodeId.random(new java.util.Random());
  private final NodeAddress attackerAddress = new NodeAddress(ATTACKER, PORT + 9);

  @Test
  void anAttackerWithoutTheKeyGetsNowhere() throws Exception {
    String key = Keyring.generate();
    String seeds = A + ":" + PORT + "," + C + ":" + PORT;
    List<String> jvm = List.of("-Xmx128m", "-Dvertx.gossip.keys=" + key);
    List<String> jvmB = List.of("-Xmx128m", "-Dvertx.gossip.keys=" + key, "-Dvertx.gossip.publicHost=" + RELAY);
    try (Attacker.Relay relay = new Attacker.Relay(new InetSocketAddress(RELAY, PORT),
        new InetSocketAddress(B, PORT));
         Listener listener = new Listener(attackerAddress);
         ExternalNode a = new ExternalNode(jvm, A, PORT, seeds, cluster);
         ExternalNode b = new ExternalNode(jvmB, B, PORT, seeds, cluster);
         ExternalNode c = new ExternalNode(jvm, C, PORT, seeds, cluster)) {
      List<ExternalNode> members = List.of(a, b, c);
      for (ExternalNode n : members) {
        assertTrue(n.awaitLine(0, l -> l.startsWith("READY"), 60_000) != null, n.host + " ready" + n.problems());
      }
      ExternalNode.awaitSize(members, 3, 60_000);
      assertTrue(a.ask("FILL sec 50 20", "FILL").startsWith("FILLED"));
      String data = a.ask("DUMP sec", "DUMP ");
      for (ExternalNode n : members) {
        ClusterFixture.awaitTrue(() -> ask(n, "DUMP sec", "DUMP ").equals(data), 30_000, n.host + " has the data");
      }
      JsonObject before = snapshot(a);
      long viewId = before.getLong("viewId");
      NodeId aId = NodeId.parse(a.nodeId);
      NodeId bId = NodeId.parse(b.nodeId);
      NodeId cId = NodeId.parse(c.nodeId);
      NodeId fakeId = NodeId.random(new java.util.Random());
      MemberRecord fake = new MemberRecord(fakeId, attackerAddress, 1, MemberState.ALIVE, new byte[0]);

      // 1. Forgeries, each well-formed by the real codecs, sent to A: plain, under the attacker's own key, and
      //    under the cluster key's id (copied from captured traffic) with a key the attacker made up.
      ClusterFixture.awaitTrue(() -> !relay.datagrams().isEmpty(), 30_000, "traffic to B captured");
      int clusterKeyId = Attacker.keyIdOf(relay.datagrams().get(0).bytes());
      assertEquals(Keyring.fingerprint(key), String.format("%08x", clusterKeyId), "the key id on the wire");
      List<byte[]> entries = List.of(
          codec.encodeEntry(new Message.Dead(bId, 1000, attackerId)),
          codec.encodeEntry(new Message.Suspect(cId, 1000, attackerId)),
          codec.encodeEntry(new Message.Alive(fakeId, 1, attackerAddress, new byte[0])),
          codec.encodeEntry(new Message.Ping(1, aId, fakeId, attackerAddress, 0, 0)),
          codec.encodeEntry(new Message.ViewDelta(viewId + 1, fakeId, 0, 0, List.of(bId), List.of(fakeId))));
      NodeAddress aAddress = new NodeAddress(A, PORT);
      Map<byte[], Integer> frames = new LinkedHashMap<>();
      frames.put(codec.encodeFrame(new Message.PushPull(Message.PushPull.REQUEST, true, fake, ViewSummary.NONE,
          new long[0], List.of()), 1 << 20), Attacker.LANE_MEMBERSHIP);
      frames.put(codec.encodeFrame(new Message.JoinRequest(fake), 1 << 20), Attacker.LANE_MEMBERSHIP);
      frames.put(codec.encodeFrame(new Message.ViewSync(new ViewSummary(viewId + 1, 7, 1, fakeId, attackerAddress),
          List.of(), List.of(fakeId), false), 1 << 20), Attacker.LANE_MEMBERSHIP);
      frames.put(ForgedStoreMessages.apply(aId, aAddress, viewId, "sec", "key-0", ValueCodec.encode("forged")),
          Attacker.LANE_REPLICATION);
      frames.put(ForgedStoreMessages.pull(fakeId, attackerAddress, viewId), Attacker.LANE_REPLICATION);
      frames.put(ForgedStoreMessages.digests(fakeId, attackerAddress, viewId, "sec"), Attacker.LANE_REPLICATION);

      JsonObject dropsBefore = before.getJsonObject("dropped");
      Map<String, Integer> expected = new LinkedHashMap<>();
      byte[] attackerKey = Attacker.randomKey();
      byte[] madeUp = Attacker.randomKey();
      InetSocketAddress toA = new InetSocketAddress(A, PORT);
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(ATTACKER, 0))) {
        int i = 0;
        for (byte[] entry : entries) {
          for (int k = 0; k < 4; k++, i++) {
            send(udp, toA, Attacker.plain(cluster, Attacker.LANE_MEMBERSHIP, entry));
            send(udp, toA, Attacker.sealed(cluster, Attacker.LANE_MEMBERSHIP, entry, attackerKey,
                0x1234_5678, Attacker.randomSequence(), i));
            send(udp, toA, Attacker.sealed(cluster, Attacker.LANE_MEMBERSHIP, entry, madeUp, clusterKeyId,
                Attacker.randomSequence(), i));
          }
        }
        expected.merge("NOT_SEALED", i, Integer::sum);
        expected.merge("UNKNOWN_KEY", i, Integer::sum);
        expected.merge("AUTH_FAILED", i, Integer::sum);
      }
      for (Map.Entry<byte[], Integer> f : frames.entrySet()) {
        int lane = f.getValue();
        long seq = Attacker.randomSequence();
        assertTrue(Attacker.connectionOf(ATTACKER, toA, Attacker.lengthPrefixed(
            Attacker.plain(cluster, lane, f.getKey()))));
        assertTrue(Attacker.connectionOf(ATTACKER, toA, Attacker.concat(
            Attacker.lengthPrefixed(Attacker.sealed(cluster, lane, new byte[0], attackerKey, 0x1234_5678, seq, 0)),
            Attacker.lengthPrefixed(Attacker.sealed(cluster, lane, f.getKey(), attackerKey, 0x1234_5678, seq, 1)))));
        assertTrue(Attacker.connectionOf(ATTACKER, toA, Attacker.concat(
            Attacker.lengthPrefixed(Attacker.sealed(cluster, lane, new byte[0], madeUp, clusterKeyId, seq, 0)),
            Attacker.lengthPrefixed(Attacker.sealed(cluster, lane, f.getKey(), madeUp, clusterKeyId, seq, 1)))));
        // No hello first: a stranger's first frame may only be a hello's size, so this one is never even read.
        assertTrue(Attacker.connectionOf(ATTACKER, toA, Attacker.lengthPrefixed(
            Attacker.sealed(cluster, lane, f.getKey(), madeUp, clusterKeyId, seq, 0))));
      }
      expected.merge("NOT_SEALED", frames.size(), Integer::sum);
      expected.merge("UNKNOWN_KEY", frames.size(), Integer::sum);
      expected.merge("AUTH_FAILED", frames.size(), Integer::sum);
      expected.merge("OVERSIZED", frames.size(), Integer::sum);
      assertDrops(a, dropsBefore, expected);
      for (String reason : List.of("NOT_SEALED", "UNKNOWN_KEY", "AUTH_FAILED", "OVERSIZED")) {
        assertEquals(1, a.count(0, l -> l.contains("refused input from " + ATTACKER + ":")
            && l.contains("counted as " + reason + ";")), "logged once: " + reason);
      }
      assertNothingChanged(members, before, data, bId, fakeId);

      // 2. Replays of what the relay captured on its way to B, sent straight to B: all refused. A changed byte
      //    fails the tag.
      relay.cutConnections();
      ClusterFixture.awaitTrue(() -> !relay.connections().isEmpty(), 30_000, "a connection to B captured");
      List<Attacker.Captured> datagrams = relay.datagrams();
      List<Attacker.Captured> connections = relay.connections().stream().filter(x -> x.bytes().length > 0)
          .toList();
      JsonObject bDrops = snapshot(b).getJsonObject("dropped");
      InetSocketAddress toB = new InetSocketAddress(B, PORT);
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(ATTACKER, 0))) {
        for (Attacker.Captured d : datagrams) {
          send(udp, toB, d.bytes());
        }
        byte[] changed = datagrams.get(datagrams.size() - 1).bytes().clone();
        changed[changed.length - 1] ^= 1;
        send(udp, toB, changed);
      }
      for (Attacker.Captured conn : connections) {
        assertTrue(Attacker.connectionOf(ATTACKER, toB, conn.bytes()), "a replayed connection is closed");
      }
      int replays = datagrams.size() + connections.size();
      ClusterFixture.awaitTrue(() -> delta(b, bDrops, "REPLAYED") + delta(b, bDrops, "STALE") >= replays
          && delta(b, bDrops, "AUTH_FAILED") >= 1, 30_000, "every replay refused");
      assertEquals(replays, delta(b, bDrops, "REPLAYED") + delta(b, bDrops, "STALE"), "replays refused");
      assertEquals(1, delta(b, bDrops, "AUTH_FAILED"), "the changed datagram");
      System.out.println("security: " + datagrams.size() + " captured datagrams and " + connections.size()
          + " captured connections replayed to B, all refused: " + snapshot(b).getJsonObject("dropped").encode());
      assertNothingChanged(members, before, data, bId, fakeId);

      // 3. Members without the key, and with a wrong one: never admitted, never given anything.
      JsonObject aDrops = snapshot(a).getJsonObject("dropped");
      try (ExternalNode noKey = new ExternalNode(List.of("-Xmx128m"), NO_KEY, PORT, A + ":" + PORT, cluster);
           ExternalNode wrongKey = new ExternalNode(List.of("-Xmx128m", "-Dvertx.gossip.keys=" + Keyring.generate()),
               WRONG_KEY, PORT, A + ":" + PORT, cluster)) {
        assertTrue(a.awaitLine(0, l -> l.contains("refused input from " + NO_KEY + ":")
            && l.contains("counted as NOT_SEALED;"), 30_000) != null, "the keyless joiner refused and logged");
        assertTrue(a.awaitLine(0, l -> l.contains("refused input from " + WRONG_KEY + ":")
            && l.contains("counted as UNKNOWN_KEY;"), 30_000) != null, "the wrong-key joiner refused and logged");
        assertNull(noKey.awaitLine(0, l -> l.startsWith("READY"), 5_000), "a joiner without the key got in");
        assertNull(wrongKey.awaitLine(0, l -> l.startsWith("READY"), 1_000), "a joiner with a wrong key got in");
        assertTrue(delta(a, aDrops, "NOT_SEALED") > 0 && delta(a, aDrops, "UNKNOWN_KEY") > 0);
        assertNothingChanged(members, before, data, bId, fakeId);
      }

      // 4. The oldest captures replayed once the freshness window has passed: stale.
      Attacker.Captured oldDatagram = datagrams.get(0);
      Attacker.Captured oldConnection = connections.get(0);
      long until = Math.max(oldDatagram.atMs(), oldConnection.atMs()) + 61_000;
      while (System.currentTimeMillis() < until) {
        Thread.sleep(Math.min(1000, Math.max(1, until - System.currentTimeMillis())));
      }
      JsonObject late = snapshot(b).getJsonObject("dropped");
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(ATTACKER, 0))) {
        send(udp, toB, oldDatagram.bytes());
      }
      assertTrue(Attacker.connectionOf(ATTACKER, toB, oldConnection.bytes()));
      ClusterFixture.awaitTrue(() -> delta(b, late, "STALE") >= 2, 30_000, "late replays refused as stale");
      assertEquals(2, delta(b, late, "STALE"));
      assertEquals(0, delta(b, late, "REPLAYED"));
      assertNothingChanged(members, before, data, bId, fakeId);
      assertEquals(0, listener.received(), "the attacker was answered");
    }
  }

  private void assertNothingChanged(List<ExternalNode> members, JsonObject before, String data, NodeId bId,
                                    NodeId fakeId) throws Exception {
    for (ExternalNode n : members) {
      assertEquals("SIZE 3", n.ask("SIZE", "SIZE "), n.host + n.problems());
      assertEquals(data, n.ask("DUMP sec", "DUMP "), n.host + ": the store changed");
      JsonObject s = snapshot(n);
      assertEquals(before.getLong("viewId"), s.getLong("viewId"), n.host + ": the view changed");
      assertEquals(before.getJsonObject("registrations"), s.getJsonObject("registrations"), n.host);
      JsonArray rows = s.getJsonArray("members");
      for (int i = 0; i < rows.size(); i++) {
        JsonObject row = rows.getJsonObject(i);
        assertFalse(row.getString("id").equals(fakeId.toString()), n.host + " knows the forged member");
        if (row.getString("id").equals(bId.toString())) {
          assertEquals(incarnationOf(before, bId), row.getInteger("incarnation"), "B had to refute a forgery");
        }
      }
    }
  }

  private static int incarnationOf(JsonObject snapshot, NodeId id) {
    JsonArray rows = snapshot.getJsonArray("members");
    for (int i = 0; i < rows.size(); i++) {
      if (rows.getJsonObject(i).getString("id").equals(id.toString())) {
        return rows.getJsonObject(i).getInteger("incarnation");
      }
    }
    throw new AssertionError("no member " + id);
  }

  private void assertDrops(ExternalNode n, JsonObject before, Map<String, Integer> expected) throws Exception {
    int total = expected.values().stream().mapToInt(Integer::intValue).sum();
    ClusterFixture.awaitTrue(() -> REASONS.stream().mapToLong(r -> delta(n, before, r)).sum() >= total, 30_000,
        "every forgery counted");
    for (String reason : REASONS) {
      assertEquals((long) expected.getOrDefault(reason, 0), delta(n, before, reason), reason);
    }
    System.out.println("security: " + total + " forgeries refused by A: " + snapshot(n).getJsonObject("dropped")
        .encode());
  }

  private static long delta(ExternalNode n, JsonObject before, String reason) {
    return snapshot(n).getJsonObject("dropped").getLong(reason) - before.getLong(reason);
  }

  private static JsonObject snapshot(ExternalNode n) {
    return new JsonObject(ask(n, "SNAPSHOT", "SNAPSHOT ").substring("SNAPSHOT ".length()));
  }

  private static String ask(ExternalNode n, String command, String prefix) {
    try {
      return n.ask(command, prefix);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int sent;

  private static void send(DatagramSocket udp, InetSocketAddress to, byte[] bytes) throws Exception {
    udp.send(new DatagramPacket(bytes, bytes.length, to));
    if (++sent % 50 == 0) {
      Thread.sleep(5); // paced, so that the receive buffer never overflows: every datagram must arrive
    }
  }

  /** The attacker's own address, where any answer to its forgeries would arrive: it counts what does. */
  private static final class Listener implements AutoCloseable {
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final AtomicLong received = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    Listener(NodeAddress at) throws IOException {
      udp = new DatagramSocket(new InetSocketAddress(at.host(), at.port()));
      tcp = new ServerSocket();
      tcp.bind(new InetSocketAddress(at.host(), at.port()));
      threads.add(daemon(() -> {
        byte[] buf = new byte[65_536];
        while (true) {
          try {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            udp.receive(p);
            received.addAndGet(Math.max(1, p.getLength()));
          } catch (IOException e) {
            return;
          }
        }
      }));
      threads.add(daemon(() -> {
        while (true) {
          try (Socket s = tcp.accept()) {
            received.incrementAndGet(); // a connection is an answer already
            received.addAndGet(s.getInputStream().readAllBytes().length);
          } catch (IOException e) {
            return;
          }
        }
      }));
    }

    private static Thread daemon(Runnable r) {
      Thread t = new Thread(r, "attacker-listener");
      t.setDaemon(true);
      t.start();
      return t;
    }

    long received() {
      return received.get();
    }

    @Override
    public void close() throws IOException {
      udp.close();
      tcp.close();
    }
  }
}
