package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A joiner takes a 256 MiB store (65,536 entries of 4 KiB) from a cluster of two separate JVMs: every entry
 * arrives, from one member only, with nothing dropped on the way and the bytes queued for the joiner bounded (the
 * transfer is paced by the connection). Then one key of the joiner's copy is made to diverge, and anti-entropy
 * repairs it for a few kilobytes, not the store. The peak and the bytes are printed.
 */
class LargeStoreJoinTest {

  private static final int PORT = ClusterFixture.PORT + 6;
  private static final String MAP = "large";
  private static final int ENTRIES = 65_536;
  private static final int VALUE_BYTES = 4_096;
  /** The transport's bound per peer: its queue (64 MiB) and the socket buffer's high watermark (4 MiB). */
  private static final long QUEUE_BOUND = (64L << 20) + (4L << 20);
  /** Room for the store, and the local profile: anti-entropy every 15 s on average rather than 30. */
  private static final List<String> JVM = List.of("-Xmx900m", "-Dvertx.gossip.profile=local");

  private final List<ExternalNode> nodes = new ArrayList<>();

  @AfterEach
  void tearDown() {
    nodes.forEach(ExternalNode::close);
  }

  @Test
  void aJoinerReceivesA256MiBStoreCompletelyWithBoundedBuffers() throws Exception {
    String cluster = "large-" + UUID.randomUUID();
    String seeds = "127.0.0.2:" + PORT + ",127.0.0.3:" + PORT;
    for (int i = 0; i < 2; i++) {
      nodes.add(new ExternalNode(JVM, "127.0.0." + (i + 2), PORT, seeds, cluster));
    }
    for (ExternalNode n : nodes) {
      assertNotNull(n.awaitLine(0, l -> l.startsWith("READY"), 60_000), n.host + " never got ready");
    }
    // One cluster of two: what a seed wrote in a view of its own could be merged away.
    ExternalNode.awaitSize(nodes, 2, 60_000);
    ExternalNode a = nodes.get(0);
    int mark = a.lineCount();
    a.command("FILL " + MAP + " " + ENTRIES + " " + VALUE_BYTES);
    String filled = a.awaitLine(mark, l -> l.startsWith("FILLED") || l.startsWith("FILL_FAIL"), 300_000);
    assertNotNull(filled, "the fill never ended");
    assertTrue(filled.startsWith("FILLED"), filled);
    String want = a.ask("DUMP " + MAP, "DUMP ").substring("DUMP ".length());
    if (!want.startsWith(ENTRIES + " ")) {
      fail(want + " entries after " + filled + "; the members: " + diagnosis());
    }

    long servedBefore = 0;
    for (ExternalNode n : nodes) {
      servedBefore += snapshot(n).getJsonObject("stores").getLong("pullsServed"); // the second member's own join
    }
    long start = System.nanoTime();
    ExternalNode joiner = new ExternalNode(JVM, "127.0.0.4", PORT, seeds, cluster);
    nodes.add(joiner);
    // READY comes once clusteredVertx() completed, which waits for the joiner's state transfer.
    assertNotNull(joiner.awaitLine(0, l -> l.startsWith("READY"), 300_000), "the joiner never got ready"
        + joiner.problems());
    long joinMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(want, joiner.ask("DUMP " + MAP, "DUMP ").substring("DUMP ".length()),
        "the joiner holds every entry, byte for byte");

    long served = 0;
    long peak = 0;
    long backpressure = 0;
    for (ExternalNode n : nodes.subList(0, 2)) {
      JsonObject snap = snapshot(n);
      served += snap.getJsonObject("stores").getLong("pullsServed");
      peak = Math.max(peak, snap.getJsonObject("transport").getLong("peakQueuedBytes"));
      backpressure += snap.getJsonObject("dropped").getLong("BACKPRESSURE", 0L);
    }
    JsonObject js = snapshot(joiner);
    served -= servedBefore;
    System.out.printf("LargeStoreJoinTest: %d entries of %d bytes (%s); joiner ready in %d ms; pulls served %d; "
            + "peak bytes queued for one peer %.1f MiB (bound %.0f MiB); frames dropped for backpressure %d; "
            + "joiner's pulls %d, incomplete %d%n", ENTRIES, VALUE_BYTES, filled, joinMs, served, peak / 1048576.0,
        QUEUE_BOUND / 1048576.0, backpressure, js.getJsonObject("stores").getLong("pulls"),
        js.getJsonObject("stores").getLong("pullsIncomplete"));
    assertEquals(1, served, "the store went to the joiner once, from one member");
    assertEquals(0, backpressure, "nothing was dropped on the way");
    assertEquals(0, js.getJsonObject("stores").getLong("pullsIncomplete"), "the first transfer was complete");
    assertTrue(peak <= QUEUE_BOUND, "bytes queued for one peer stayed within the transport's bound: " + peak);

    // One key diverges on the joiner (its copy goes back to an older entry); anti-entropy finds and repairs it.
    String key = "e4242";
    String good = a.ask("PEEK " + MAP + " " + key, "PEEK ");
    joiner.ask("DIVERGE " + MAP + " " + key + " stale", "DIVERGED");
    assertTrue(!good.equals(joiner.ask("PEEK " + MAP + " " + key, "PEEK ")), "the joiner's copy diverged");
    long bytesBefore = repairBytes();
    long repairStart = System.nanoTime();
    long deadline = System.currentTimeMillis() + 120_000;
    while (!good.equals(joiner.ask("PEEK " + MAP + " " + key, "PEEK ")) && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    assertEquals(good, joiner.ask("PEEK " + MAP + " " + key, "PEEK "), "anti-entropy repaired the key");
    long repairBytes = repairBytes() - bytesBefore;
    System.out.printf("LargeStoreJoinTest: one diverging key of %d bytes in the %d MiB store repaired by "
            + "anti-entropy in %d ms, for %d bytes of anti-entropy traffic from the three members meanwhile%n",
        VALUE_BYTES, (long) ENTRIES * VALUE_BYTES >> 20, (System.nanoTime() - repairStart) / 1_000_000, repairBytes);
    assertTrue(repairBytes < 64 * 1024, "a small multiple of the key, not the store: " + repairBytes);
    assertEquals(want, joiner.ask("DUMP " + MAP, "DUMP ").substring("DUMP ".length()), "and nothing else changed");
  }

  private long repairBytes() throws Exception {
    long sum = 0;
    for (ExternalNode n : nodes) {
      sum += snapshot(n).getJsonObject("stores").getLong("repairBytesSent");
    }
    return sum;
  }

  /** Each member's view, stores and membership counters, for a failure message. */
  private String diagnosis() {
    StringBuilder out = new StringBuilder();
    for (ExternalNode n : nodes) {
      try {
        JsonObject snap = snapshot(n);
        snap.remove("members");
        out.append("\n").append(n.host).append(": ").append(snap.encode());
      } catch (Exception e) {
        out.append("\n").append(n.host).append(": no snapshot (").append(e).append(")");
      }
    }
    return out.toString();
  }

  private static JsonObject snapshot(ExternalNode n) throws Exception {
    return new JsonObject(n.ask("SNAPSHOT", "SNAPSHOT ").substring("SNAPSHOT ".length()));
  }
}
