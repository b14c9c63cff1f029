package org.vertxgossip.membership;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The small mechanisms, each on its own: suspicion timeouts, awareness, the broadcast queue, digests, timers. */
class MechanismsTest {

  private final Random random = new Random(11);

  @Test
  void suspicionStartsAtMaxAndFallsToMinWithConfirmations() {
    NodeId accuser = NodeId.random(random);
    Suspicion s = new Suspicion(1, accuser, 1000, 6000, 36000, 3);
    assertEquals(1000 + 36000, s.deadline());
    assertFalse(s.confirm(accuser), "the accuser is no confirmation");
    assertTrue(s.confirm(NodeId.random(random)));
    // timeout(1) = max − ln2/ln4 · (max − min) = 36000 − 0.5 · 30000
    assertEquals(1000 + 21000, s.deadline());
    s.confirm(NodeId.random(random));
    s.confirm(NodeId.random(random));
    assertEquals(1000 + 6000, s.deadline(), "k confirmations bring it to min");
    s.confirm(NodeId.random(random));
    assertEquals(1000 + 6000, s.deadline(), "never below min");
    assertTrue(s.confirmed());
  }

  @Test
  void suspicionWithNoConfirmationsWantedUsesMinAndCapsApply() {
    Suspicion s = new Suspicion(1, NodeId.random(random), 0, 2000, 12000, 0);
    assertEquals(2000, s.deadline());
    s.capAt(500);
    assertEquals(500, s.deadline());
    Suspicion t = new Suspicion(1, NodeId.random(random), 0, 2000, 12000, 3);
    assertFalse(t.confirmed());
    t.capAt(1000);
    assertTrue(t.confirmed(), "strong evidence counts as confirmed");
  }

  @Test
  void awarenessIsBoundedAndScales() {
    Awareness a = new Awareness(8);
    a.apply(-1);
    assertEquals(0, a.score());
    assertEquals(1000, a.scale(1000));
    a.apply(+3);
    assertEquals(4000, a.scale(1000));
    a.apply(+100);
    assertEquals(7, a.score());
    assertEquals(8000, a.scale(1000));
  }

  @Test
  void configFormulasMatchTheDocumentedValues() {
    MembershipConfig lan = Profile.LAN.config();
    assertEquals(8, lan.retransmitLimit(10));
    assertEquals(12, lan.retransmitLimit(100));
    assertEquals(16, lan.retransmitLimit(1000));
    assertEquals(2000, lan.suspicionMinMs(3));
    assertEquals(4000, lan.suspicionMinMs(100));
    assertEquals(6000, lan.suspicionMinMs(1000));
    assertEquals(36000, lan.suspicionMaxMs(1000));
    assertEquals(0, lan.confirmationsWanted(4));
    assertEquals(3, lan.confirmationsWanted(5));
    assertEquals(30_000, lan.pushPullIntervalMs(32));
    assertEquals(60_000, lan.pushPullIntervalMs(64));
    assertEquals(60_000, lan.pushPullIntervalMs(10_000), "capped");
    assertEquals(5000, Profile.WAN.config().probeIntervalMs);
    assertEquals(Profile.LOCAL, Profile.parse("Local"));
    assertThrows(IllegalArgumentException.class, () -> Profile.parse("fast"));
  }

  @Test
  void brokenConfigurationIsRefusedWithTheReason() {
    MembershipConfig.Builder b = MembershipConfig.builder(Profile.LAN);
    b.probeTimeoutMs = 2000;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().contains("probeTimeoutMs"), e.getMessage());
  }

  @Test
  void broadcastQueueSendsFreshestFirstAndDropsAtTheLimit() {
    BroadcastQueue q = new BroadcastQueue(100);
    q.add("a", new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    q.add("b", new byte[] {2, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    List<byte[]> first = q.take(10, 2);
    assertEquals(1, first.size());
    assertEquals(2, first.get(0)[0], "newest first among the least sent");
    List<byte[]> second = q.take(10, 2);
    assertEquals(1, second.get(0)[0], "then the one sent fewer times");
    q.take(100, 2);
    assertTrue(q.isEmpty(), "both reached the limit of 2 transmits");
  }

  @Test
  void newerNewsAboutANodeInvalidatesOlder() {
    BroadcastQueue q = new BroadcastQueue(100);
    q.add("node", new byte[] {1, 0, 0, 0, 0, 0, 0});
    q.add("node", new byte[] {2, 0, 0, 0, 0, 0, 0});
    q.add(null, new byte[] {3, 0, 0, 0, 0, 0, 0});
    q.add(null, new byte[] {4, 0, 0, 0, 0, 0, 0});
    assertEquals(3, q.size());
    List<byte[]> all = q.take(1000, 5);
    assertFalse(all.stream().anyMatch(e -> e[0] == 1), "the older news about the node is gone");
  }

  @Test
  void broadcastQueueIsBoundedAndFillsOnlyTheBudget() {
    BroadcastQueue q = new BroadcastQueue(16);
    for (int i = 0; i < 40; i++) {
      q.add(i, new byte[100]);
    }
    assertEquals(16, q.size());
    assertEquals(24, q.dropped());
    assertEquals(3, q.take(350, 10).size(), "three 100-byte entries fit in 350 bytes");
  }

  @Test
  void digestsDependOnContentNotOnInsertionOrder() {
    List<NodeId> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add(NodeId.random(random));
    }
    NodeAddress addr = new NodeAddress("h", 1);
    MemberTable t1 = new MemberTable();
    MemberTable t2 = new MemberTable();
    for (NodeId id : ids) {
      t1.add(id, addr, 1, MemberState.ALIVE, new byte[0], 0);
    }
    for (int i = ids.size() - 1; i >= 0; i--) {
      t2.add(ids.get(i), addr, 1, MemberState.ALIVE, new byte[0], 0);
    }
    assertArrayEquals(t1.foldedBuckets(16), t2.foldedBuckets(16));
    Member m = t2.get(ids.get(5));
    t2.update(m, 2, MemberState.ALIVE, addr, new byte[0], 0);
    long[] d1 = t1.foldedBuckets(16);
    long[] d2 = t2.foldedBuckets(16);
    int differing = 0;
    for (int i = 0; i < 16; i++) {
      differing += d1[i] != d2[i] ? 1 : 0;
    }
    assertEquals(1, differing, "one changed member changes one bucket");
    // A suspect still counts as live (same digest); a dead one leaves the digest.
    t2.update(m, 1, MemberState.SUSPECT, addr, new byte[0], 0);
    assertArrayEquals(t1.foldedBuckets(16), t2.foldedBuckets(16));
    t2.update(m, 1, MemberState.DEAD, addr, new byte[0], 0);
    assertNotEquals(java.util.Arrays.toString(t1.foldedBuckets(16)), java.util.Arrays.toString(t2.foldedBuckets(16)));
    assertEquals(199, t2.liveCount());
    t2.remove(m);
    assertEquals(199, t2.size());
    assertEquals(32, MemberTable.bucketCountFor(1000));
    assertEquals(8, MemberTable.bucketCountFor(3));
    assertEquals(1024, MemberTable.bucketCountFor(100_000));
  }

  @Test
  void tableLookupsSurviveRandomRemovals() {
    MemberTable t = new MemberTable();
    List<NodeId> ids = new ArrayList<>();
    NodeAddress addr = new NodeAddress("h", 1);
    for (int i = 0; i < 5000; i++) {
      NodeId id = NodeId.random(random);
      ids.add(id);
      t.add(id, addr, 1, MemberState.ALIVE, new byte[0], 0);
    }
    java.util.Collections.shuffle(ids, random);
    List<NodeId> removed = ids.subList(0, 2500);
    List<NodeId> kept = ids.subList(2500, 5000);
    for (NodeId id : removed) {
      t.remove(t.get(id));
    }
    assertEquals(2500, t.size());
    assertEquals(2500, t.liveCount());
    for (NodeId id : kept) {
      assertEquals(id, t.get(id).id);
    }
    for (NodeId id : removed) {
      assertEquals(null, t.get(id));
    }
    int iterated = 0;
    for (Member m : t.all()) {
      iterated++;
    }
    assertEquals(2500, iterated);
    MemberTable fresh = new MemberTable();
    for (NodeId id : kept) {
      fresh.add(id, addr, 1, MemberState.ALIVE, new byte[0], 0);
    }
    assertArrayEquals(fresh.foldedBuckets(64), t.foldedBuckets(64), "digests follow removals exactly");
  }

  @Test
  void sortedIdsFollowDeltasExactly() {
    List<NodeId> members = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      members.add(NodeId.random(random));
    }
    NodeId[] sorted = members.toArray(new NodeId[0]);
    java.util.Arrays.sort(sorted);
    for (int round = 0; round < 50; round++) {
      java.util.Collections.shuffle(members, random);
      List<NodeId> removed = new ArrayList<>(members.subList(0, random.nextInt(5)));
      List<NodeId> added = new ArrayList<>();
      for (int i = random.nextInt(40); i > 0; i--) {
        added.add(NodeId.random(random));
      }
      members.removeAll(removed);
      members.addAll(added);
      sorted = SortedIds.apply(sorted, removed, added);
      NodeId[] expected = members.toArray(new NodeId[0]);
      java.util.Arrays.sort(expected);
      assertArrayEquals(expected, sorted);
    }
  }

  @Test
  void randomPicksAreDistinctAndFiltered() {
    MemberTable t = new MemberTable();
    for (int i = 0; i < 50; i++) {
      t.add(NodeId.random(random), new NodeAddress("h", i), 1, i < 3 ? MemberState.ALIVE : MemberState.DEAD,
          new byte[0], 0);
    }
    List<Member> picked = t.pickRandom(5, m -> m.state == MemberState.ALIVE, random);
    assertEquals(3, picked.size(), "only three match");
    assertEquals(3, new HashSet<>(picked).size());
  }

  @Test
  void timersRunInDeadlineOrderAndReportLateness() {
    TimerQueue q = new TimerQueue();
    List<String> ran = new ArrayList<>();
    q.schedule(30, late -> ran.add("c" + late));
    q.schedule(10, late -> ran.add("a" + late));
    TimerQueue.Timer cancelled = q.schedule(20, late -> ran.add("x"));
    q.schedule(10, late -> q.schedule(15, l2 -> ran.add("b" + l2)));
    cancelled.cancel();
    assertEquals(10, q.nextDeadline());
    q.runDue(25);
    assertEquals(List.of("a15", "b10"), ran);
    q.runDue(40);
    assertEquals(List.of("a15", "b10", "c10"), ran);
    assertEquals(Long.MAX_VALUE, q.nextDeadline());
  }
}
