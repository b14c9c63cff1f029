package org.vertxgossip.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vertxgossip.replication.KeyedStoresTest.MAP;
import static org.vertxgossip.replication.KeyedStoresTest.add;
import static org.vertxgossip.replication.KeyedStoresTest.b;
import static org.vertxgossip.replication.KeyedStoresTest.call;
import static org.vertxgossip.replication.KeyedStoresTest.counterGet;
import static org.vertxgossip.replication.KeyedStoresTest.firstKey;
import static org.vertxgossip.replication.KeyedStoresTest.keyOwnedBy;
import static org.vertxgossip.replication.KeyedStoresTest.owns;
import static org.vertxgossip.replication.KeyedStoresTest.put;
import static org.vertxgossip.replication.KeyedStoresTest.readLocal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.vertxgossip.replication.StoreResult.Status;

/**
 * One slow member (stopped, cut off) holds up nobody for longer than its read lease, and never serves what it
 * missed: read leases, answering without a silent member, marks kept until every member holds a write, and the
 * node-owned state's silent members. Each test fails with its mechanism turned off.
 */
class SlowMemberTest {

  private static final int APPLY = 12;
  private static final long LEASE = StoreConfig.DEFAULT_LEASE_MS;
  private static final long SILENT = StoreConfig.DEFAULT_SILENT_MS;

  private static long stat(Harness h, int i, String name) {
    return h.node(i).stores.stats().toMap().get(name);
  }

  @Test
  void aStoppedMemberHoldsUpAWriteUntilItsLeaseRunsOutAndThenReadsThroughTheOwner() {
    Harness h = new Harness(5);
    h.viewOf(1, 2, 3, 4, 5);
    h.deliverAll();
    String key = keyOwnedBy(h, MAP, 1);
    call(h, 2, put(key, "v1", 0));
    assertArrayEquals(b("v1"), readLocal(h, 5, key), "node 5 reads under node 1's lease");
    long leaseTakenBy = h.now;
    h.paused.add(h.node(5).id);
    List<StoreResult> out = new ArrayList<>();
    h.node(2).stores.submit(put(key, "v2", 0), 30_000, out::add);
    h.runUntil(() -> !out.isEmpty(), leaseTakenBy + LEASE - 10 - h.now);
    assertTrue(out.isEmpty(), "answered while node 5 may still read v1 under its lease");
    h.runUntil(() -> !out.isEmpty(), 2 * LEASE + SILENT);
    assertEquals(1, out.size(), "the write waits for a stopped member no longer than its lease");
    assertEquals(Status.OK, out.get(0).status());
    assertTrue(stat(h, 1, "membersLagging") > 0);
    // Node 5 resumes; before anything reaches it, it no longer answers locally what it holds (v1).
    h.paused.remove(h.node(5).id);
    assertSame(KeyedStores.NOT_LOCAL, h.node(5).stores.localRead(MAP, b(key)), "not the stale v1");
    // Once it caught up, it is counted on again and reads locally.
    assertArrayEquals(b("v2"), readLocal(h, 5, key));
    h.runUntil(() -> stat(h, 1, "membersCaughtUp") > 0, 2_000);
    assertEquals(0, h.node(1).stores.sizes().get("lagging"));
    assertEquals(0, h.node(1).stores.sizes().get("pendingWrites"), "committed once node 5 accepted it");
  }

  @Test
  void aMemberThatMissedAnsweredWritesGetsNoLeaseUntilItHoldsThem() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    String key = keyOwnedBy(h, MAP, 1);
    call(h, 2, put(key, "v1", 0));
    assertArrayEquals(b("v1"), readLocal(h, 3, key));
    // Node 1's writes to node 3 are lost for a while (a cut): answered without it once its lease ran out.
    Harness.Node three = h.node(3);
    h.holdBack = f -> f.to().equals(three.address) && (f.bytes()[0] & 0xFF) == APPLY;
    assertEquals(Status.OK, call(h, 2, put(key, "v2", 0)).status());
    // Node 3 asks for a lease again and is refused: it holds v1 only, so it reads through the owner.
    h.runUntil(() -> false, 2 * LEASE);
    assertSame(KeyedStores.NOT_LOCAL, h.node(3).stores.localRead(MAP, b(key)));
    h.runUntil(() -> false, LEASE);
    assertSame(KeyedStores.NOT_LOCAL, h.node(3).stores.localRead(MAP, b(key)), "a lease without the write");
    assertTrue(stat(h, 1, "leasesRefused") > 0, "node 3 asked and was refused");
    assertArrayEquals(b("v2"), call(h, 3, StoreRequest.of(MAP, b(key), StoreOp.GET)).value(), "through the owner");
    // The cut heals: the writes are sent again, and node 3 is current.
    h.holdBack = f -> false;
    h.heldBack.clear();
    assertArrayEquals(b("v2"), readLocal(h, 3, key));
  }

  @Test
  void aWriteAnsweredWithoutALaggingMemberSurvivesItsOwnerWhenThatMemberOwnsTheKeyNext() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    // Node 1's counter, node 3's once node 1 is gone.
    String key = firstKey("c", k -> owns(h, KeyedStores.COUNTERS, k, 1, 1, 2, 3)
        && owns(h, KeyedStores.COUNTERS, k, 3, 2, 3));
    assertEquals(1, call(h, 2, add(key, 1)).number());
    h.paused.add(h.node(3).id);
    assertEquals(2, call(h, 2, add(key, 1)).number(), "answered by nodes 1 and 2, a majority");
    // Node 1 dies; what it sent node 3 is lost; node 3 resumes and owns the counter.
    h.kill(1);
    h.inFlight.removeIf(f -> f.to().equals(h.node(3).address));
    h.paused.remove(h.node(3).id);
    h.viewOf(2, 3);
    assertEquals(2, call(h, 2, counterGet(key)).number(), "the new owner took the answered increment over");
    assertEquals(3, call(h, 3, add(key, 1)).number());
    assertTrue(stat(h, 3, "handedOver") > 0, "node 2 reported it: its mark stayed, node 3 never accepted it");
  }

  @Test
  void anOwnerCutOffFromTheMajorityAnswersNothing() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    String key = keyOwnedBy(h, MAP, 1);
    h.isolated.add(h.node(1).id);
    List<StoreResult> out = new ArrayList<>();
    h.node(1).stores.submit(put(key, "alone", 0), 30_000, out::add);
    h.runUntil(() -> !out.isEmpty(), 3_000);
    assertTrue(out.isEmpty(), "the others are silent, but an owner alone is not a majority");
    assertTrue(stat(h, 1, "membersLagging") >= 2, "it stopped waiting for them, and still needs a majority");
  }

  @Test
  void aSilentMemberHoldsOneWriteOfAKeyNotOneForEveryUpdate() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    String key = keyOwnedBy(h, KeyedStores.COUNTERS, 1);
    h.paused.add(h.node(3).id);
    for (int i = 1; i <= 200; i++) {
      assertEquals(i, call(h, 2, add(key, 1)).number());
    }
    assertTrue(h.node(1).stores.sizes().get("pendingWrites") <= 2, "superseded while node 3 is away: "
        + h.node(1).stores.sizes().get("pendingWrites"));
    assertTrue(stat(h, 1, "writesSuperseded") > 190);
    h.inFlight.removeIf(f -> f.to().equals(h.node(3).address)); // even what was sent to it is lost
    h.paused.remove(h.node(3).id);
    h.runUntil(() -> h.node(1).stores.sizes().get("pendingWrites") == 0, 3_000);
    assertEquals(200, call(h, 3, counterGet(key)).number());
    assertArrayEquals(h.node(1).stores.get(KeyedStores.COUNTERS, b(key)),
        h.node(3).stores.get(KeyedStores.COUNTERS, b(key)), "node 3 holds the latest entry");
  }

  @Test
  void aMemberThatMissedASupersededAnsweredWriteGetsNoLeaseBeforeItHoldsTheWriteThatCarriesIt() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    String key = keyOwnedBy(h, MAP, 1);
    call(h, 2, put(key, "v0", 0));
    h.paused.add(h.node(3).id);
    assertEquals(Status.OK, call(h, 2, put(key, "v1", 0)).status(), "answered without node 3");
    // What was sent to node 3 is lost; it resumes, and nothing owner 1 sends it or node 2 gets through for now.
    h.inFlight.removeIf(f -> f.to().equals(h.node(3).address));
    h.paused.remove(h.node(3).id);
    Harness.Node two = h.node(2);
    Harness.Node three = h.node(3);
    h.holdBack = f -> (f.to().equals(three.address) || f.to().equals(two.address)) && (f.bytes()[0] & 0xFF) == APPLY;
    // The next write replaces v1 for node 3 (which misses it) and waits, unanswered, for nodes 2 and 3.
    h.node(2).stores.submit(put(key, "v2", 0), 30_000, r -> { });
    h.deliverAll();
    assertTrue(stat(h, 1, "writesSuperseded") > 0);
    assertSame(KeyedStores.NOT_LOCAL, h.node(3).stores.localRead(MAP, b(key)));
    h.runUntil(() -> false, SILENT / 2);
    assertSame(KeyedStores.NOT_LOCAL, h.node(3).stores.localRead(MAP, b(key)),
        "node 3 holds v0 only: no lease while it misses the write that carries the answered v1");
  }

  @Test
  void aJoinerSlowToAnswerHoldsUpNoOwner() {
    Harness h = new Harness(4);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    String key = firstKey("j", k -> owns(h, MAP, k, 1, 1, 2, 3) && owns(h, MAP, k, 1, 1, 2, 3, 4));
    // Node 4 is admitted, but nothing reaches it for now (its JVM just started, or it is slow).
    h.paused.add(h.node(4).id);
    h.viewOf(1, 2, 3, 4);
    List<StoreResult> out = h.run(2, put(key, "v", 0), 1_000);
    assertEquals(1, out.size(), "node 1 serves without the joiner's report: the joiner entered with nothing");
    assertEquals(Status.OK, out.get(0).status());
    h.paused.remove(h.node(4).id);
    assertArrayEquals(b("v"), readLocal(h, 4, key), "the joiner, once it runs, took the state and holds it");
  }

  @Test
  void aJoinerServesWithoutTheReportOfAnotherJoinerOfTheSameView() {
    Harness h = new Harness(3);
    h.viewOf(1);
    h.deliverAll();
    String key = firstKey("s", k -> owns(h, MAP, k, 2, 1, 2, 3));
    // Nodes 2 and 3 join in one view; nothing reaches node 3 (stopped, or its report lost).
    h.paused.add(h.node(3).id);
    h.viewOf(1, 2, 3);
    List<StoreResult> out = h.run(1, put(key, "v", 0), 2_000);
    assertEquals(1, out.size(), "node 2 learned from its transfer's source that node 3 is new too, and serves");
    assertEquals(Status.OK, out.get(0).status());
  }

  @Test
  void aRegistrationCompletesWithoutAStoppedMemberWhichAppliesItWhenItResumes() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    h.paused.add(h.node(3).id);
    AtomicInteger done = new AtomicInteger();
    h.node(1).states.update(java.util.Map.of("reg", b("r")), done::incrementAndGet);
    h.deliverAll();
    h.advance(SILENT - 10);
    assertEquals(0, done.get(), "waits for a member that may still answer");
    h.runUntil(() -> done.get() > 0, 200);
    assertEquals(1, done.get(), "completes once node 3 was silent for silentMs, not after the ack timeout");
    // A barrier does wait for it: a lookup must see registrations whose owner was merely slow to answer.
    AtomicInteger passed = new AtomicInteger();
    h.node(2).states.barrier(passed::incrementAndGet);
    h.runUntil(() -> passed.get() > 0, 200);
    assertEquals(0, passed.get(), "a barrier waits for every live member, the stopped one included");
    h.paused.remove(h.node(3).id);
    h.deliverAll();
    assertEquals(1, passed.get(), "and passes once it answers on its ordered stream");
    assertArrayEquals(b("r"), h.node(3).seen.get(h.node(1).id + "/reg"), "applied in order when it resumes");
  }
}
