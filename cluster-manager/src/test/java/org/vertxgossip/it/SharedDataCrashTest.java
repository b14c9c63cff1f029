package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.shareddata.AsyncMap;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.membership.MembershipConfig;
import org.vertxgossip.membership.Profile;

/** Counters, locks and maps across member JVMs that are killed or paused. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SharedDataCrashTest {

  private static final MembershipConfig LAN = Profile.LAN.config();
  private ClusterFixture fixture;

  @AfterEach
  void tearDown() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** Three members increment a counter whose owner (a fourth) is killed: no acknowledged increment is lost. */
  @Test
  void counterOwnerKilledWhileThreeNodesIncrement() throws Exception {
    fixture = new ClusterFixture(4).withClient();
    List<ExternalNode> nodes = fixture.nodes;
    String name = null;
    ExternalNode owner = null;
    for (int i = 0; owner == null; i++) {
      String candidate = "counter-" + i;
      String ownerId = fixture.cm.counterOwner(candidate);
      for (ExternalNode n : nodes) {
        if (n.nodeId.equals(ownerId)) {
          owner = n;
          name = candidate;
        }
      }
    }
    List<ExternalNode> incrementers = new ArrayList<>(nodes);
    incrementers.remove(owner);
    for (ExternalNode n : incrementers) {
      n.command("INC " + name);
    }
    for (ExternalNode n : incrementers) {
      assertNotNull(awaitCount(n, "ACK", 100, 30_000), n.host + " increments");
    }
    owner.signal("KILL");
    int[] atKill = new int[incrementers.size()];
    for (int i = 0; i < atKill.length; i++) {
      atKill[i] = incrementers.get(i).lineCount();
    }
    for (int i = 0; i < atKill.length; i++) {
      ExternalNode n = incrementers.get(i);
      int from = atKill[i];
      ClusterFixture.awaitTrue(() -> n.count(from, "ACK"::equals) >= 100, 60_000,
          n.host + " goes on incrementing after the owner's death");
    }
    for (ExternalNode n : incrementers) {
      n.command("STOP");
    }
    long acked = 0;
    for (ExternalNode n : incrementers) {
      assertNotNull(n.awaitLine(0, "STOPPED"::equals, 30_000), n.host + " stops");
      acked += n.count(0, "ACK"::equals);
      assertEquals(0, n.count(0, l -> l.startsWith("NACK")), n.host + " had failed increments");
    }
    long value = fixture.client.sharedData().getCounter(name).compose(c -> c.get()).toCompletionStage()
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.out.printf("counter: %d acknowledged increments, final value %d (owner killed mid-way)%n", acked, value);
    assertEquals(acked, value);
  }

  /** The holder of a lock is killed: a waiter on another node gets it within the detection bound, fenced. */
  @Test
  void lockHolderKilledWaiterAcquiresWithLargerToken() throws Exception {
    fixture = new ClusterFixture(3).withClient();
    ExternalNode holder = fixture.nodes.get(0);
    ExternalNode waiter = fixture.nodes.get(1);
    holder.command("LOCK the-lock 60000");
    String first = holder.awaitLine(0, l -> l.startsWith("LOCK"), 30_000);
    assertNotNull(first);
    assertTrue(first.startsWith("LOCKED "), first);
    long firstToken = Long.parseLong(first.substring(7));
    int mark = waiter.lineCount();
    waiter.command("LOCK the-lock 60000");
    assertEquals(List.of(), waiter.linesFrom(mark, l -> l.startsWith("LOCK")), "granted while held");
    long t0 = System.nanoTime();
    holder.signal("KILL");
    long bound = LAN.failureDetectionBoundMs(4);
    String second = waiter.awaitLine(mark, l -> l.startsWith("LOCK"), bound);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertNotNull(second, "the waiter did not get the lock within " + bound + " ms");
    assertTrue(second.startsWith("LOCKED "), second);
    long secondToken = Long.parseLong(second.substring(7));
    System.out.printf("lock: holder killed, waiter acquired after %d ms (bound %d ms); token %d -> %d%n", ms, bound,
        firstToken, secondToken);
    assertTrue(secondToken > firstToken, "fencing token grew");
  }

  /** A member is paused past its removal while 1,000 keys are written; back, it converges with everyone. */
  @Test
  void memberCutOffDuringWritesConvergesAfterReturn() throws Exception {
    fixture = new ClusterFixture(3).withClient();
    ExternalNode paused = fixture.nodes.get(2);
    paused.signal("STOP");
    ClusterFixture.awaitTrue(() -> !fixture.cm.getNodes().contains(paused.nodeId), LAN.failureDetectionBoundMs(4),
        "the paused member is removed");
    AsyncMap<String, String> map = fixture.client.sharedData().<String, String>getAsyncMap("cut-off")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    List<Future<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      writes.add(map.put("k" + i, "v" + i));
    }
    Future.all(writes).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    paused.signal("CONT");
    ClusterFixture.awaitTrue(() -> fixture.cm.getNodes().contains(paused.nodeId), 30_000, "the member rejoins");
    Map<String, String> expected = map.entries().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(1000, expected.size());
    String want = "DUMP 1000 " + digest(expected);
    for (ExternalNode n : fixture.nodes) {
      ClusterFixture.awaitTrue(() -> {
        int mark = n.lineCount();
        try {
          n.command("DUMP cut-off");
          return want.equals(n.awaitLine(mark, l -> l.startsWith("DUMP"), 5_000));
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }, 60_000, n.host + " holds the same 1,000 entries");
    }
  }

  private static String awaitCount(ExternalNode n, String line, int count, long timeoutMs)
      throws InterruptedException {
    ClusterFixture.awaitTrue(() -> n.count(0, line::equals) >= count, timeoutMs, n.host + " " + count + " " + line);
    return line;
  }

  private static String digest(Map<String, String> m) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    new TreeMap<>(m).forEach((k, v) -> md.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
    return HexFormat.of().formatHex(md.digest());
  }
}
