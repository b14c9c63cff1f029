package org.vertxgossip.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
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
import org.junit.jupiter.api.Test;
import org.vertxgossip.replication.StoreResult.Status;

/**
 * The keyed stores while membership changes: hand-over, epoch fencing, joiners that own keys, zombie owners, lost
 * frames. Each test pins one mechanism; each fails with that mechanism turned off.
 */
class ChurnTest {

  private static final int APPLY = 12;
  private static final int APPLIED = 13;
  private static final int REPORT = 19;
  private static final int SESSIONS = 21;
  private static final int CONTENT = 15;
  private static final int PULL = 16;
  private static final int PULL_DONE = 17;

  @Test
  void anUncommittedWriteOfADeadOwnerIsHandedOverAndItsRetryAnsweredNotAppliedTwice() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    String key = keyOwnedBy(h, KeyedStores.COUNTERS, 3);
    List<StoreResult> out = new ArrayList<>();
    h.node(1).stores.submit(add(key, 5), 30_000, out::add);
    // The owner applies it and replicates, then dies before any acknowledgement reaches it.
    assertEquals(1, h.inFlight.size());
    h.node(3).stores.onFrame(h.inFlight.poll().bytes());
    List<Harness.Frame> applies = new ArrayList<>(h.inFlight);
    assertEquals(2, applies.size(), "the owner replicates to both members");
    h.inFlight.clear();
    for (Harness.Frame f : applies) {
      h.byAddress.get(f.to()).stores.onFrame(f.bytes());
    }
    h.dropInFlight();
    h.kill(3);
    h.viewOf(1, 2);
    h.runUntil(() -> !out.isEmpty(), 2_000);
    assertEquals(1, out.size());
    assertEquals(5, out.get(0).number(), "the retry got the first application's answer");
    assertEquals(5, call(h, 2, counterGet(key)).number(), "applied once");
    assertTrue(h.node(1).stores.stats().toMap().get("handedOver") + h.node(2).stores.stats().toMap()
        .get("handedOver") > 0, "the new owner took the write over");
  }

  @Test
  void anUncommittedWriteSeenByOneMemberIsKeptByTheNewOwnerSoEveryMemberReadsTheSame() {
    Harness h = new Harness(4);
    h.viewOf(1, 2, 3, 4);
    h.deliverAll();
    // A key of node 4's whose owner, once node 4 is gone, is node 1.
    String key = firstKey("u", k -> owns(h, MAP, k, 4, 1, 2, 3, 4) && owns(h, MAP, k, 1, 1, 2, 3));
    // The owner's own write (its requester dies with it) reaches node 2 only; then the owner dies.
    h.node(4).stores.submit(put(key, "v", 0), 30_000, r -> { });
    for (Harness.Frame f : new ArrayList<>(h.inFlight)) {
      if (f.to().equals(h.node(2).address)) {
        h.node(2).stores.onFrame(f.bytes());
      }
    }
    h.dropInFlight();
    h.kill(4);
    h.viewOf(1, 2, 3);
    String k = key;
    h.runUntil(() -> h.node(2).stores.localRead(MAP, b(k)) != KeyedStores.NOT_LOCAL, 2_000);
    h.advance(50);
    h.deliverAll();
    for (int i = 1; i <= 3; i++) {
      assertArrayEquals(b("v"), readLocal(h, i, key), "node " + i);
    }
  }

  @Test
  void anAbandonedWriteStaysMarkedUntilAnOwnerDecidesEvenWhenTheHandOverIsCutShort() {
    Harness h = new Harness(4);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    // k: node 1's with members 1-3, node 4's once it joins. other: node 1's in both views.
    String k = firstKey("x", c -> owns(h, MAP, c, 1, 1, 2, 3) && owns(h, MAP, c, 4, 1, 2, 3, 4));
    String other = firstKey("x", c -> owns(h, MAP, c, 1, 1, 2, 3) && owns(h, MAP, c, 1, 1, 2, 3, 4));
    // Node 1's write of k reaches node 2 only.
    h.node(1).stores.submit(put(k, "v", 0), 30_000, r -> { });
    for (Harness.Frame f : new ArrayList<>(h.inFlight)) {
      if (f.to().equals(h.node(2).address)) {
        h.node(2).stores.onFrame(f.bytes());
      }
    }
    h.dropInFlight();
    // Node 4 joins and owns k, but its state transfer never arrives, so it never serves; node 1 abandons the write
    // and commits another one, so its watermark passes the abandoned write.
    Harness.Node four4 = h.node(4);
    h.holdBack = f -> f.to().equals(four4.address)
        && ((f.bytes()[0] & 0xFF) == CONTENT || (f.bytes()[0] & 0xFF) == PULL_DONE || (f.bytes()[0] & 0xFF) == 21);
    h.viewOf(1, 2, 3, 4);
    h.deliverAll();
    h.node(1).stores.submit(put(other, "o", 0), 30_000, r -> { });
    h.runUntil(() -> false, 300);
    // Node 4 dies before it served: node 1 owns k again.
    h.holdBack = f -> false;
    h.heldBack.clear();
    h.kill(4);
    h.viewOf(1, 2, 3);
    h.runUntil(() -> false, 1_000);
    byte[] first = readLocal(h, 1, k);
    for (int i = 1; i <= 3; i++) {
      assertArrayEquals(b("v"), readLocal(h, i, k), "node " + i + " (node 1 read "
          + (first == null ? "null" : new String(first)) + ")");
    }
  }

  @Test
  void aZombieOwnerCannotCommitAndItsRequestIsAppliedOnce() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    String key = keyOwnedBy(h, KeyedStores.COUNTERS, 3);
    // Views 2 (without node 3) reach nodes 1 and 2 only: node 3 still believes it owns the counter.
    h.viewOn(1, 2, 1, 2);
    h.viewOn(2, 2, 1, 2);
    assertEquals(1, call(h, 1, add(key, 1)).number(), "the new owner counts on");
    List<StoreResult> zombie = new ArrayList<>();
    h.node(3).stores.submit(add(key, 1), 30_000, zombie::add);
    h.runUntil(() -> !zombie.isEmpty(), 1_000);
    assertTrue(zombie.isEmpty(), "a write decided in an older epoch is refused, so never answered");
    assertTrue(h.node(1).stores.stats().toMap().get("appliesRefused") > 0);
    // Node 3 learns the view that removed it: its request goes to the real owner and counts once.
    h.viewOn(3, 2, 1, 2);
    h.runUntil(() -> !zombie.isEmpty(), 2_000);
    assertEquals(2, zombie.get(0).number(), "no value returned twice");
    assertEquals(2, call(h, 1, counterGet(key)).number());
  }

  @Test
  void aJoinerThatOwnsKeysServesNothingBeforeItsStateTransfer() {
    Harness fresh = new Harness(3);
    // A counter node 3 owns once it joins; it reaches 5 before.
    String key = firstKey("c", c -> owns(fresh, KeyedStores.COUNTERS, c, 3, 1, 2, 3));
    fresh.viewOf(1, 2);
    fresh.deliverAll();
    for (int i = 0; i < 5; i++) {
      call(fresh, 1, add(key, 1));
    }
    fresh.viewOf(1, 2, 3);
    List<StoreResult> out = new ArrayList<>();
    fresh.node(1).stores.submit(add(key, 1), 30_000, out::add);
    // Hold back the state transfer to node 3.
    fresh.holdBack = f -> f.to().equals(fresh.node(3).address)
        && ((f.bytes()[0] & 0xFF) == CONTENT || (f.bytes()[0] & 0xFF) == PULL_DONE);
    fresh.runUntil(() -> !out.isEmpty(), 1_000);
    assertTrue(out.isEmpty(), "the joiner owns the counter but has not got it: it does not serve");
    assertTrue(!fresh.heldBack.isEmpty());
    fresh.holdBack = f -> false;
    fresh.inFlight.addAll(fresh.heldBack);
    fresh.runUntil(() -> !out.isEmpty(), 2_000);
    assertEquals(6, out.get(0).number(), "counted on from the transferred value");
  }

  @Test
  void aMemberPausedPastItsRemovalReadsNothingLocallyUntilItsViewIsConfirmed() {
    Harness h = new Harness(3, 0, 500);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    String key = keyOwnedBy(h, MAP, 3);
    call(h, 1, put(key, "v1", 0));
    h.advance(50);
    h.deliverAll();
    assertArrayEquals(b("v1"), readLocal(h, 3, key));
    h.paused.add(h.node(3).id);
    h.advance(2_000);
    h.viewOn(1, 2, 1, 2);
    h.viewOn(2, 2, 1, 2);
    call(h, 1, put(key, "v2", 0));
    h.paused.remove(h.node(3).id);
    // Its loop has not run yet, but a reader on another thread sees the gap since the last tick.
    assertSame(KeyedStores.NOT_LOCAL, h.node(3).stores.localRead(MAP, b(key)), "not the stale v1");
    // Nor does it answer, as the owner it believes it is, a read submitted before its first tick.
    List<StoreResult> owned = new ArrayList<>();
    h.node(3).stores.submit(StoreRequest.of(MAP, b(key), StoreOp.GET), 30_000, owned::add);
    assertTrue(owned.isEmpty(), "not answered from the stale copy");
    h.advance(10);
    assertSame(KeyedStores.NOT_LOCAL, h.node(3).stores.localRead(MAP, b(key)), "re-validating");
    h.deliverAll();
    h.advance(1_000);
    h.deliverAll();
    assertSame(KeyedStores.NOT_LOCAL, h.node(3).stores.localRead(MAP, b(key)), "the others are in a later view");
    // Back in the view (re-admitted): it takes the state again and reads the current value.
    h.viewOf(1, 2, 3);
    h.runUntil(() -> h.node(3).stores.localRead(MAP, b(key)) != KeyedStores.NOT_LOCAL && !owned.isEmpty(), 3_000);
    assertArrayEquals(b("v2"), h.node(3).stores.localRead(MAP, b(key)));
    assertArrayEquals(b("v2"), owned.get(0).value(), "the read submitted on resume, answered once current");
  }

  @Test
  void aMemberPausedWhileItsOnlyPeerWasNewConfirmsItsViewWithThatPeerBeforeItServesAgain() {
    Harness h = new Harness(2, 0, 500);
    h.viewOf(1);
    h.deliverAll();
    String key = firstKey("p", k -> owns(h, MAP, k, 1, 1, 2));
    call(h, 1, put(key, "v1", 0));
    h.viewOf(1, 2); // node 2 is new in node 1's view: its hand-over does not wait for it
    h.runUntil(() -> h.node(2).stores.serving(), 2_000);
    h.paused.add(h.node(1).id);
    h.advance(2_000);
    h.viewOn(2, 3, 2); // node 2 removed node 1 meanwhile, took its keys, and wrote on
    assertEquals(Status.OK, call(h, 2, put(key, "v2", 0)).status());
    h.paused.remove(h.node(1).id);
    assertSame(KeyedStores.NOT_LOCAL, h.node(1).stores.localRead(MAP, b(key)));
    List<StoreResult> read = new ArrayList<>();
    h.node(1).stores.submit(StoreRequest.of(MAP, b(key), StoreOp.GET), 30_000, read::add);
    h.runUntil(() -> !read.isEmpty(), 2_000);
    assertTrue(read.isEmpty(), "not answered from the stale v1: node 1 must hear again from node 2, its only peer");
  }

  @Test
  void aLostReleaseIsSentAgainAndTheWaiterGetsTheLock() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    byte[] lock = b(keyOwnedBy(h, KeyedStores.LOCKS, 2));
    StoreRequest acquire = new StoreRequest(KeyedStores.LOCKS, lock, StoreOp.LOCK_ACQUIRE, null, null, 10_000, 0, 0);
    StoreResult held = call(h, 1, acquire);
    List<StoreResult> waiter = new ArrayList<>();
    h.node(3).stores.submit(acquire, 30_000, waiter::add);
    h.deliverAll();
    h.node(1).stores.submit(new StoreRequest(KeyedStores.LOCKS, lock, StoreOp.LOCK_RELEASE, null, null, 0,
        held.number(), 0), Long.MAX_VALUE, r -> { });
    assertEquals(1, h.inFlight.size(), "the release, on its way to the owner");
    h.dropInFlight();
    h.runUntil(() -> !waiter.isEmpty(), 5_000);
    assertEquals(Status.OK, waiter.get(0).status(), "the release was sent again");
    assertTrue(waiter.get(0).number() > held.number());
  }

  @Test
  void aLockIsNotGrantedToARequesterOutsideTheViewUntilItIsReadmitted() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    byte[] lock = b(keyOwnedBy(h, KeyedStores.LOCKS, 1));
    // Node 3 was removed (paused, say) and knows it: it is in the owner's epoch but not in its view.
    h.viewOf(1, 2);
    h.viewOn(3, h.viewIds, 1, 2);
    List<StoreResult> outside = new ArrayList<>();
    h.node(3).stores.submit(new StoreRequest(KeyedStores.LOCKS, lock, StoreOp.LOCK_ACQUIRE, null, null, 10_000, 0,
        0), 30_000, outside::add);
    h.runUntil(() -> !outside.isEmpty(), 2_000);
    assertTrue(outside.isEmpty(), "not granted: the owner's sweep would free a non-member's lock at once");
    StoreResult member = call(h, 2, new StoreRequest(KeyedStores.LOCKS, lock, StoreOp.LOCK_ACQUIRE, null, null,
        10_000, 0, 0));
    assertEquals(Status.OK, member.status(), "a member gets it meanwhile");
    h.advance(2_000);
    h.deliverAll();
    h.viewOf(1, 2, 3);
    call(h, 2, new StoreRequest(KeyedStores.LOCKS, lock, StoreOp.LOCK_RELEASE, null, null, 0, member.number(), 0));
    h.runUntil(() -> !outside.isEmpty(), 3_000);
    assertEquals(Status.OK, outside.get(0).status(), "re-admitted, it gets the lock after the member's release");
    assertTrue(outside.get(0).number() > member.number());
  }

  @Test
  void aGrantWhoseAnswerNeverArrivedIsHandedBackWhenTheRequesterGivesUp() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    byte[] lock = b(keyOwnedBy(h, KeyedStores.LOCKS, 1));
    StoreRequest acquire = new StoreRequest(KeyedStores.LOCKS, lock, StoreOp.LOCK_ACQUIRE, null, null, 10_000, 0, 0);
    // Node 2's grant commits, but every answer to node 2 is lost until it gives up (its own deadline: 300 ms).
    Harness.Node two = h.node(2);
    h.holdBack = f -> f.to().equals(two.address) && (f.bytes()[0] & 0xFF) == 11;
    List<StoreResult> lost = new ArrayList<>();
    two.stores.submit(acquire, 300, lost::add);
    h.runUntil(() -> !lost.isEmpty(), 1_000);
    assertEquals(Status.TIMEOUT, lost.get(0).status());
    h.holdBack = f -> false;
    h.heldBack.clear();
    // Node 3 wants it: the grant nobody saw is handed back, not held for ever.
    List<StoreResult> next = new ArrayList<>();
    h.node(3).stores.submit(acquire, 30_000, next::add);
    h.runUntil(() -> !next.isEmpty(), 3_000);
    assertEquals(Status.OK, next.get(0).status());
  }

  @Test
  void aRetryAfterItsAnswerWasDroppedIsAnsweredNotAppliedAgain() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    String key = keyOwnedBy(h, KeyedStores.COUNTERS, 2);
    List<StoreResult> out = new ArrayList<>();
    h.node(1).stores.submit(add(key, 5), 30_000, out::add);
    // Deliver everything but the owner's answer.
    for (int i = 0; i < 100 && out.isEmpty(); i++) {
      Harness.Frame f = h.inFlight.poll();
      if (f == null) {
        break;
      }
      boolean answer = (f.bytes()[0] & 0xFF) == 11 && f.to().equals(h.node(1).address);
      if (!answer) {
        h.byAddress.get(f.to()).stores.onFrame(f.bytes());
      }
    }
    assertTrue(out.isEmpty(), "the answer was lost");
    h.runUntil(() -> !out.isEmpty(), 5_000);
    assertEquals(5, out.get(0).number());
    assertEquals(5, call(h, 3, counterGet(key)).number(), "applied once");
  }

  @Test
  void aWriteAnsweredWithoutADeadMemberStaysMarkedAndCommitsInTheNextEpoch() {
    Harness g = new Harness(3);
    g.viewOf(1, 2, 3);
    g.deliverAll();
    // A key node 1 owns with or without node 3.
    String key = firstKey("w", k -> owns(g, MAP, k, 1, 1, 2, 3) && owns(g, MAP, k, 1, 1, 2));
    g.kill(3);
    List<StoreResult> out = g.run(2, put(key, "kept", 0), 2_000);
    assertEquals(Status.OK, out.get(0).status(), "answered once node 3 was silent: nodes 1 and 2 are a majority");
    g.advance(50);
    g.deliverAll();
    assertSame(KeyedStores.NOT_LOCAL, g.node(2).stores.localRead(MAP, b(key)),
        "not on every member yet: its mark stays, for a hand-over");
    assertEquals(1, g.node(1).stores.sizes().get("pendingWrites"));
    g.viewOf(1, 2);
    g.runUntil(() -> g.node(1).stores.sizes().get("pendingWrites") == 0, 2_000);
    assertTrue(g.node(1).stores.stats().toMap().get("writesResent") > 0);
    assertArrayEquals(b("kept"), g.node(2).stores.get(MAP, b(key)));
    assertArrayEquals(b("kept"), readLocal(g, 2, key), "committed in the new epoch: local again");
  }
  /**
   * A copy of a request sent again while its answer was on its way arrives after the requester finished it and
   * moved on (the copy waited behind a stalled connection; a write of the requester's next request reached the
   * owner first by another). Its answer is no longer kept there, since the requester said it would not ask again:
   * the copy must be refused, not applied a second time.
   */
  @Test
  void aLateCopyOfAFinishedRequestIsNotAppliedAgain() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    String key = keyOwnedBy(h, KeyedStores.COUNTERS, 2);
    String next = keyOwnedBy(h, KeyedStores.COUNTERS, 3);
    Harness.Node requester = h.node(1);
    Harness.Node owner = h.node(2);
    java.util.function.Predicate<Harness.Frame> answer = f -> f.to().equals(requester.address)
        && (f.bytes()[0] & 0xFF) == 11;
    java.util.function.Predicate<Harness.Frame> copy = f -> f.from() == requester && f.to().equals(owner.address)
        && (f.bytes()[0] & 0xFF) == 10;
    List<StoreResult> out = new ArrayList<>();
    h.holdBack = answer;
    requester.stores.submit(add(key, 1), 30_000, out::add);
    h.deliverAll(); // applied and on every member; the answer is held back
    h.holdBack = answer.or(copy);
    h.advance(2 * FanOut.RESEND_MS + 1); // no answer yet: the requester sends its request again
    h.deliverAll();
    assertTrue(h.heldBack.stream().anyMatch(copy), "a copy on its way");
    h.holdBack = copy;
    h.heldBack.removeIf(f -> {
      if (answer.test(f)) {
        h.inFlight.add(f);
        return true;
      }
      return false;
    });
    h.deliverAll();
    assertEquals(1, out.size(), "answered");
    assertEquals(1, out.get(0).number());
    assertEquals(1, call(h, 1, add(next, 1)).number(), "the requester's next request, through another owner");
    h.holdBack = f -> false;
    h.inFlight.addAll(h.heldBack);
    h.heldBack.clear();
    h.deliverAll(); // the late copy reaches the owner
    assertEquals(1, call(h, 3, counterGet(key)).number(), "applied once");
    assertTrue(owner.stores.stats().toMap().get("finishedRefused") > 0);
  }
  /**
   * A grant whose answer reaches its requester only after a pause in which the requester was removed (and the
   * owner freed its lock and granted it to another) must not be delivered: the requester would hold a lock it does
   * not hold. It is held back until the node is confirmed in its view; the node re-enters instead, so the
   * acquisition fails and the grant goes back.
   */
  @Test
  void aGrantArrivingAfterAPauseInWhichTheRequesterWasRemovedIsNotDelivered() {
    Harness h = new Harness(3, 0, 1_000);
    byte[] lock = lockOwnedByTwo(h);
    Harness.Node one = h.node(1);
    List<StoreResult> paused = acquireOnOneThenPauseIt(h, lock); // the grant waits in its socket
    StoreResult other = removeOneAndGrantToThree(h, lock);
    h.paused.remove(one.id); // SIGCONT: the old grant arrives first
    h.deliverAll();
    assertEquals(List.of(), paused, "a grant that may have been freed was delivered before the node knew its view");
    assertEquals(1, one.stores.stats().toMap().get("grantsHeld"), "the grant arrived and was held back");
    readmitOne(h);
    h.runUntil(() -> !paused.isEmpty(), 3_000);
    assertEquals(Status.FAILED, paused.get(0).status(), "the acquisition fails: its grant was freed");
    assertEquals(1, one.stores.stats().toMap().get("grantsVoided"));
    call(h, 3, new StoreRequest(KeyedStores.LOCKS, lock, StoreOp.LOCK_RELEASE, null, null, 0, other.number(), 0));
    assertEquals(Status.OK, call(h, 1, acquire(lock)).status(), "the lock is free again: nothing was left held");
  }

  /** The same grant after a pause in which the requester stayed in the view: delivered once the view is confirmed. */
  @Test
  void aGrantArrivingAfterAPauseWithoutARemovalIsDeliveredOnceTheViewIsConfirmed() {
    Harness h = new Harness(3, 0, 1_000);
    byte[] lock = lockOwnedByTwo(h);
    Harness.Node one = h.node(1);
    List<StoreResult> out = acquireOnOneThenPauseIt(h, lock);
    h.paused.remove(one.id);
    h.holdBack = f -> f.to().equals(one.address) && (f.bytes()[0] & 0xFF) == REPORT; // answers to its re-validation
    h.deliverAll();
    assertEquals(List.of(), out, "delivered before every member confirmed the view");
    assertEquals(1, one.stores.stats().toMap().get("grantsHeld"));
    h.holdBack = f -> false;
    h.inFlight.addAll(h.heldBack);
    h.heldBack.clear();
    h.runUntil(() -> !out.isEmpty(), 3_000);
    assertEquals(Status.OK, out.get(0).status(), "still a member: the grant stands");
    assertEquals(0, one.stores.stats().toMap().get("grantsVoided"));
    assertTrue(one.stores.stats().toMap().get("pausesDetected") > 0, "the pause was noticed");
  }

  /** The same, when the removal reaches the resumed node before the grant does (views travel another way). */
  @Test
  void aGrantIsVoidedWhenTheRemovalArrivesBeforeIt() {
    Harness h = new Harness(3, 0, 1_000);
    byte[] lock = lockOwnedByTwo(h);
    Harness.Node one = h.node(1);
    List<StoreResult> paused = acquireOnOneThenPauseIt(h, lock);
    removeOneAndGrantToThree(h, lock);
    h.paused.remove(one.id);
    h.viewOn(1, 2, 2, 3); // SIGCONT: the view that removed it comes first
    h.deliverAll(); // then the grant; and the request, sent again, is answered the same from the kept answer
    h.advance(2 * FanOut.RESEND_MS + 1);
    h.deliverAll();
    assertEquals(List.of(), paused, "a freed grant was delivered to a removed node");
    readmitOne(h);
    h.runUntil(() -> !paused.isEmpty(), 3_000);
    assertEquals(Status.FAILED, paused.get(0).status());
  }

  /** A view of nodes 1 to 3, and a lock node 2 owns in it. */
  private static byte[] lockOwnedByTwo(Harness h) {
    h.viewOf(1, 2, 3);
    h.deliverAll();
    return b(keyOwnedBy(h, KeyedStores.LOCKS, 2));
  }

  private static StoreRequest acquire(byte[] lock) {
    return new StoreRequest(KeyedStores.LOCKS, lock, StoreOp.LOCK_ACQUIRE, null, null, 20_000, 0, 0);
  }

  /** Node 1 asks for {@code lock} and stops before the answer reaches it, for 2 s; its answers so far. */
  private static List<StoreResult> acquireOnOneThenPauseIt(Harness h, byte[] lock) {
    List<StoreResult> out = new ArrayList<>();
    h.node(1).stores.submit(acquire(lock), 30_000, out::add);
    h.paused.add(h.node(1).id);
    h.deliverAll();
    h.advance(2_000);
    return out;
  }

  /** Nodes 2 and 3 remove node 1 (the owner frees the departed holder's lock) and node 3 is granted it. */
  private static StoreResult removeOneAndGrantToThree(Harness h, byte[] lock) {
    h.viewOn(2, 2, 2, 3);
    h.viewOn(3, 2, 2, 3);
    h.runUntil(() -> h.node(2).stores.serving(), 3_000);
    StoreResult other = call(h, 3, acquire(lock));
    assertEquals(Status.OK, other.status(), "granted to a member once the departed holder's lock was freed");
    return other;
  }

  /** Node 1 is admitted again: it re-enters. */
  private static void readmitOne(Harness h) {
    h.viewOn(2, 3, 2, 3, 1);
    h.viewOn(3, 3, 2, 3, 1);
    h.viewOn(1, 3, 2, 3, 1);
  }

  /**
   * Answers to a member's hand-over query that reach it only after a pause (they waited in its socket) were sent
   * before the pause: they do not confirm its view now. Counted, they let it serve its keys again as the owner it
   * no longer was, from a copy the key's new owner has written past since.
   */
  @Test
  void answersSentBeforeAPauseDoNotConfirmTheViewAfterIt() {
    Harness h = new Harness(3, 0, 1_000);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    String key = keyOwnedBy(h, MAP, 1);
    assertEquals(Status.OK, call(h, 2, put(key, "v1", 0)).status());
    Harness.Node one = h.node(1);
    h.viewOf(1, 2, 3); // a new epoch: node 1 asks the others for their reports
    h.paused.add(one.id); // and stops before their answers reach it
    h.deliverAll();
    h.advance(2_000);
    h.viewOn(2, 3, 2, 3); // removed meanwhile; the key's new owner writes on
    h.viewOn(3, 3, 2, 3);
    h.runUntil(() -> h.node(2).stores.serving() && h.node(3).stores.serving(), 3_000);
    assertEquals(Status.OK, call(h, 2, put(key, "v2", 0)).status());
    h.paused.remove(one.id); // SIGCONT: the answers sent before the pause wait to be read
    List<StoreResult> read = new ArrayList<>();
    one.stores.submit(StoreRequest.of(MAP, b(key), StoreOp.GET), 30_000, read::add);
    h.runUntil(() -> !read.isEmpty(), 2_000);
    assertEquals(List.of(), read, "answered as the key's owner from the stale v1");
    assertTrue(!one.stores.serving(), "serves although no member confirmed its view after the pause");
  }

  /**
   * A state transfer answered late (its source's frames waited in a stalled connection) is ignored once the joiner
   * has pulled from another member: the source's kept answers include that of its own increment, which reached
   * nobody and was decided never to have happened, so a retry of it would be told it took effect and the value it
   * was told would be given out again.
   */
  @Test
  void aTransferFromASourceTheJoinerGaveUpOnIsIgnored() {
    Harness h = new Harness(4);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    String[] counter = new String[4];
    for (int i = 1; i <= 3; i++) {
      int owner = i; // a counter each member owns now and the joiner, node 4, owns next
      counter[i] = firstKey("c" + i + "-", k -> owns(h, KeyedStores.COUNTERS, k, owner, 1, 2, 3)
          && owns(h, KeyedStores.COUNTERS, k, 4, 1, 2, 3, 4));
    }
    h.holdBack = f -> (f.bytes()[0] & 0xFF) == APPLY;
    List<List<StoreResult>> first = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      List<StoreResult> out = new ArrayList<>();
      first.add(out);
      h.node(i).stores.submit(add(counter[i], 1), 30_000, out::add);
    }
    h.deliverAll();
    h.heldBack.clear(); // the three increments reach nobody
    h.holdBack = f -> false;
    h.viewOf(1, 2, 3, 4);
    int source = 0;
    for (Harness.Frame f : h.inFlight) {
      if (f.from() == h.node(4) && (f.bytes()[0] & 0xFF) == PULL) {
        source = (int) h.byAddress.get(f.to()).id.lsb();
      }
    }
    assertTrue(source > 0, "the joiner pulls");
    Harness.Node src = h.node(source);
    Harness.Node four = h.node(4);
    int[] rest = java.util.stream.IntStream.rangeClosed(1, 3).filter(i -> i != src.id.lsb()).toArray();
    java.util.function.Predicate<Harness.Frame> stalled = f -> f.from() == src && f.to().equals(four.address);
    h.holdBack = f -> stalled.test(f) || f.from() == four && f.to().equals(src.address);
    h.runUntil(src.stores::serving, 500); // the pull reaches the source once it serves
    assertTrue(src.stores.serving());
    h.inFlight.addAll(h.heldBack.stream().filter(f -> f.from() == four).toList());
    h.heldBack.removeIf(f -> f.from() == four);
    h.holdBack = stalled; // its connection to the joiner stalls
    h.runUntil(() -> h.node(4).stores.stats().toMap().get("pulls") >= 2 && four.stores.sizes().get("entries") > 0,
        3_000);
    assertTrue(h.heldBack.stream().anyMatch(f -> (f.bytes()[0] & 0xFF) == CONTENT), "the source served the pull");
    for (int on : new int[] {rest[0], rest[1], 4}) {
      h.viewOn(on, 3, rest[0], rest[1], 4); // the source is removed before the joiner has its report
    }
    h.runUntil(four.stores::serving, 3_000);
    assertTrue(four.stores.serving());
    StoreResult other = call(h, rest[0], add(counter[source], 1));
    assertEquals(1, other.number(), "the source's increment never happened");
    h.holdBack = f -> false;
    h.inFlight.addAll(h.heldBack); // the stalled connection delivers at last
    h.heldBack.clear();
    h.deliverAll();
    for (int on = 1; on <= 4; on++) {
      h.viewOn(on, 4, rest[0], rest[1], 4, source); // the source is back (it re-enters); its increment is retried
    }
    List<StoreResult> retried = first.get(source - 1);
    h.runUntil(() -> !retried.isEmpty(), 5_000);
    assertEquals(Status.OK, retried.get(0).status());
    assertEquals(2, retried.get(0).number(), "told the value another increment was given, from a stale answer");
    assertEquals(2, call(h, 1, counterGet(counter[source])).number());
    assertTrue(four.stores.stats().toMap().get("staleTransferFrames") > 0);
  }

  /**
   * An uncommitted write a joiner received only in its state transfer keeps its answers there: when the joiner is
   * the last member holding it, it reports the write to the key's next owner with them, and the requester's retry is
   * answered from them rather than applied a second time.
   */
  @Test
  void aWriteAJoinerHoldsOnlyFromItsTransferKeepsItsAnswersForTheNextOwner() {
    Harness h = new Harness(4);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    String key = firstKey("c", k -> owns(h, KeyedStores.COUNTERS, k, 1, 1, 2, 3)
        && owns(h, KeyedStores.COUNTERS, k, 3, 2, 3, 4));
    Harness.Node two = h.node(2);
    Harness.Node three = h.node(3);
    Harness.Node four = h.node(4);
    // Node 3 increments; the owner, node 1, gets the write to node 2 only, and hears no acceptance: unanswered.
    h.holdBack = f -> (f.bytes()[0] & 0xFF) == APPLY && f.to().equals(three.address)
        || (f.bytes()[0] & 0xFF) == APPLIED;
    List<StoreResult> out = new ArrayList<>();
    three.stores.submit(add(key, 1), 30_000, out::add);
    h.deliverAll();
    h.heldBack.clear();
    assertEquals(1, two.stores.sizes().get("uncommitted"), "node 2 holds the write");
    h.kill(1);
    // Node 4 joins as node 1 is removed and pulls from node 2 (its pulls to node 3 are lost). Node 3 owns the key
    // now, but node 2's report, which holds the write, is held up: node 3 serves nothing in this view.
    h.holdBack = f -> f.from() == four && f.to().equals(three.address) && (f.bytes()[0] & 0xFF) == PULL
        || f.from() == two && f.to().equals(three.address) && (f.bytes()[0] & 0xFF) == REPORT;
    h.viewOf(2, 3, 4);
    h.runUntil(() -> four.stores.sizes().get("uncommitted") > 0 && h.heldBack.stream().anyMatch(
        f -> (f.bytes()[0] & 0xFF) == REPORT), 5_000);
    assertEquals(1, four.stores.sizes().get("uncommitted"), "the joiner has the write from its transfer");
    assertTrue(!three.stores.serving());
    h.holdBack = f -> false;
    h.heldBack.clear();
    // Node 2 is removed too: node 3, the key's owner still, learns of the write only from the joiner.
    h.viewOn(3, 3, 3, 4);
    h.viewOn(4, 3, 3, 4);
    h.runUntil(() -> !out.isEmpty(), 5_000);
    assertEquals(Status.OK, out.get(0).status());
    assertEquals(1, out.get(0).number(), "the retry was applied again: one increment counted twice");
    assertEquals(1, call(h, 4, counterGet(key)).number());
  }

  /**
   * The frames of an earlier pull from the same source (its connection stalled, and the joiner, with no other member
   * to ask, pulled it again) do not count towards the current pull: they could complete it with what the source held
   * and kept then, the answers of writes decided since included.
   */
  @Test
  void anEarlierPullsFramesDoNotCompleteTheCurrentOne() {
    Harness h = new Harness(2);
    h.viewOf(1);
    h.deliverAll();
    assertEquals(Status.OK, call(h, 1, put("k", "v1", 0)).status());
    Harness.Node one = h.node(1);
    Harness.Node two = h.node(2);
    java.util.function.Predicate<Harness.Frame> transfer = f -> f.from() == one && f.to().equals(two.address)
        && List.of(CONTENT, SESSIONS, PULL_DONE).contains(f.bytes()[0] & 0xFF);
    h.holdBack = transfer;
    h.viewOf(1, 2);
    h.deliverAll();
    List<Harness.Frame> firstPull = new ArrayList<>(h.heldBack);
    assertTrue(firstPull.size() >= 2, "the source answered the first pull");
    h.heldBack.clear();
    h.runUntil(() -> !h.heldBack.isEmpty(), 3_000); // unanswered: the joiner pulls the only other member again
    assertEquals(2, two.stores.stats().toMap().get("pulls"));
    boolean[] done = {false};
    two.stores.whenSnapshotDone(() -> done[0] = true);
    h.holdBack = f -> transfer.test(f) && !firstPull.contains(f);
    h.inFlight.addAll(firstPull); // the stalled connection delivers the first pull's answer
    h.deliverAll();
    assertTrue(!done[0], "completed by the frames of the pull it gave up on");
    assertEquals(firstPull.size(), two.stores.stats().toMap().get("staleTransferFrames"));
    h.holdBack = f -> false;
    h.inFlight.addAll(h.heldBack);
    h.heldBack.clear();
    h.runUntil(() -> done[0], 3_000);
    assertTrue(done[0], "the current pull completes");
    assertArrayEquals(b("v1"), call(h, 2, StoreRequest.of(MAP, b("k"), StoreOp.GET)).value());
  }

  /**
   * A key whose unanswered writes carry more answers than fit one frame with it (getAndPut answers of 300 KiB, a
   * frame being 1 MiB) still reaches a joiner and the hand-over: the newest answers that fit travel with the entry,
   * the others are left out and counted (they travel in the kept answers too), rather than a frame too large to
   * send stopping the transfer and the report.
   */
  @Test
  void anUnansweredKeyWithMoreAnswersThanFitAFrameStillReachesAJoiner() {
    Harness h = new Harness(3);
    h.viewOf(1, 2);
    h.deliverAll();
    String key = firstKey("k", k -> owns(h, MAP, k, 1, 1, 2) && owns(h, MAP, k, 1, 1, 2, 3));
    Harness.Node two = h.node(2);
    Harness.Node three = h.node(3);
    h.holdBack = f -> f.from() == two && (f.bytes()[0] & 0xFF) == APPLIED; // node 1 never hears: none answered
    byte[] big = new byte[300 << 10];
    for (int i = 0; i < 4; i++) {
      big[0] = (byte) i;
      h.node(1).stores.submit(new StoreRequest(MAP, b(key), StoreOp.GET_AND_PUT, big.clone(), null, 0, 0, 0),
          30_000, r -> { });
    }
    h.deliverAll();
    assertEquals(1, two.stores.sizes().get("uncommitted"), "node 2 holds the four writes, with their answers");
    boolean[] done = {false};
    h.viewOf(1, 2, 3);
    three.stores.whenSnapshotDone(() -> done[0] = true);
    h.runUntil(() -> done[0] && h.node(1).stores.serving(), 3_000);
    assertTrue(done[0], "the joiner's transfer completes");
    assertTrue(h.node(1).stores.serving(), "the owner has every report");
    assertEquals(3, three.stores.get(MAP, b(key))[0], "the newest write reached the joiner");
    long leftOut = 0;
    for (int i = 1; i <= 3; i++) {
      leftOut += h.node(i).stores.stats().toMap().get("answersLeftOut");
    }
    assertTrue(leftOut > 0, "some answers did not fit with the entry");
  }

  /**
   * A map's entries, keys, values and size on a member still pulling its state (a joiner, or a member that
   * re-entered the view) wait for the transfer: a snapshot taken meanwhile would miss part of the map.
   */
  @Test
  void theEntriesOfAMemberStillPullingItsStateWaitForTheTransfer() {
    Harness h = new Harness(2);
    h.viewOf(1);
    h.deliverAll();
    for (int i = 0; i < 3; i++) {
      assertEquals(Status.OK, call(h, 1, put("k" + i, "v" + i, 0)).status());
    }
    Harness.Node one = h.node(1);
    Harness.Node two = h.node(2);
    h.holdBack = f -> f.from() == one && f.to().equals(two.address)
        && List.of(CONTENT, SESSIONS, PULL_DONE).contains(f.bytes()[0] & 0xFF);
    h.viewOf(1, 2);
    h.deliverAll();
    assertTrue(!two.stores.holdsEveryStore(), "a snapshot now would be taken of a partial copy");
    List<Integer> sizes = new ArrayList<>();
    two.stores.whenSnapshotDone(() -> sizes.add(two.stores.entries(MAP).size()));
    assertEquals(List.of(), sizes);
    h.holdBack = f -> false;
    h.inFlight.addAll(h.heldBack);
    h.heldBack.clear();
    h.deliverAll();
    assertTrue(two.stores.holdsEveryStore());
    assertEquals(List.of(3), sizes, "the snapshot waited for the whole map");
    assertTrue(one.stores.holdsEveryStore(), "the founder holds every store from the start");
  }
}
