package org.vertxgossip.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.vertxgossip.membership.wire.MalformedMessageException;

class OwnedStatesTest {

  private static final byte[] V = {1};

  private static Map<String, byte[]> put(String key, byte[] value) {
    Map<String, byte[]> m = new HashMap<>();
    m.put(key, value);
    return m;
  }

  @Test
  void aChangeCompletesOnlyOnceEveryMemberAppliedIt() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    AtomicInteger done = new AtomicInteger();
    h.node(1).states.update(put("r1:a", V), done::incrementAndGet);
    assertEquals(0, done.get(), "completed before the members had it");
    h.deliverAll();
    assertEquals(1, done.get());
    for (int i = 2; i <= 3; i++) {
      assertArrayEquals(V, h.node(i).seen.get(h.node(1).id + "/r1:a"));
    }
  }

  @Test
  void aMemberAdmittedBeforeItsRecordArrivedGetsTheStateOnceItDoes() {
    Harness h = Harness.thirdAdmittedBeforeFirstKnowsIt();
    AtomicInteger done = new AtomicInteger();
    h.node(1).states.update(put("n", V), done::incrementAndGet);
    h.deliverAll();
    assertEquals(0, done.get(), "completed while node 3 lacked the change");
    assertNull(h.node(3).seen.get(h.node(1).id + "/n"));

    h.node(1).learn(h.node(3));
    h.deliverAll();
    assertEquals(1, done.get());
    assertArrayEquals(V, h.node(3).seen.get(h.node(1).id + "/n"));
  }

  @Test
  void aMemberAdmittedBeforeItsRecordArrivedIsWaitedForPastSilentMsNotSkippedAsSilent() {
    Harness h = Harness.thirdAdmittedBeforeFirstKnowsIt();
    AtomicInteger done = new AtomicInteger();
    h.node(1).states.update(put("n", V), done::incrementAndGet);
    h.deliverAll();
    h.advance(ReplicationConfig.DEFAULT_SILENT_MS * 5);
    assertEquals(0, done.get(), "completed without node 3, which was never sent the change");
    assertEquals(0, h.node(1).states.stats().toMap().get("silentSkipped"));

    h.node(1).learn(h.node(3));
    // What it was just sent, and its answer, are on their way: its silence counts from now, not from the change.
    h.advance(ReplicationConfig.DEFAULT_SILENT_MS / 2);
    assertEquals(0, done.get(), "node 3 was skipped as silent before it could answer what it was just sent");
    h.deliverAll();
    assertEquals(1, done.get());
    assertArrayEquals(V, h.node(3).seen.get(h.node(1).id + "/n"));
  }

  @Test
  void aBarrierWaitsForAMemberAdmittedBeforeItsRecordArrived() {
    Harness h = Harness.thirdAdmittedBeforeFirstKnowsIt();
    h.node(3).states.update(put("r3:a", V), () -> { });
    AtomicInteger done = new AtomicInteger();
    h.node(1).states.barrier(done::incrementAndGet);
    h.deliverAllExceptFrom(h.node(3)); // node 2 answers; node 3's change is still on its way
    assertEquals(0, done.get(), "the barrier left out node 3, whose registration is on its way");
    h.node(1).learn(h.node(3));
    h.deliverAll();
    assertEquals(1, done.get());
    assertArrayEquals(V, h.node(1).seen.get(h.node(3).id + "/r3:a"));
  }

  @Test
  void aGapIsRepairedByPullingTheWholeState() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    h.node(1).states.update(put("a", V), () -> { });
    h.isolated.add(h.node(3).id);
    h.deliverAll(); // node 3 misses version 1
    h.isolated.clear();
    h.node(1).states.update(put("b", V), () -> { });
    h.deliverAll(); // version 2 reveals the gap; node 3 pulls
    assertArrayEquals(V, h.node(3).seen.get(h.node(1).id + "/a"));
    assertArrayEquals(V, h.node(3).seen.get(h.node(1).id + "/b"));
  }

  @Test
  void aRemovedMemberIsPurgedAndItsLateMessagesIgnored() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    h.node(3).states.update(put("x", V), () -> { });
    h.deliverAll();
    assertArrayEquals(V, h.node(1).seen.get(h.node(3).id + "/x"));
    h.node(3).states.update(put("late", V), () -> { });
    h.node(1).view(h.node(1), h.node(2)); // node 3 removed at node 1 before its delta arrives
    h.deliverAll();
    assertNull(h.node(1).seen.get(h.node(3).id + "/x"), "purged");
    assertNull(h.node(1).seen.get(h.node(3).id + "/late"), "a removed member's late delta was applied");
  }

  @Test
  void aJoinerJoinsOnceItHoldsEveryMembersStateAndTheyHoldItsOwn() {
    Harness h = new Harness(4);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    h.node(2).states.update(put("r", V), () -> { });
    h.deliverAll();
    h.node(4).states.update(put("mine", V), () -> { });
    AtomicInteger joined = new AtomicInteger();
    h.node(4).states.whenJoined(joined::incrementAndGet);
    h.viewOf(1, 2, 3, 4);
    assertEquals(0, joined.get());
    h.deliverAll();
    assertEquals(1, joined.get());
    assertArrayEquals(V, h.node(4).seen.get(h.node(2).id + "/r"));
    assertArrayEquals(V, h.node(1).seen.get(h.node(4).id + "/mine"));
  }

  @Test
  void aBarrierSeesChangesOtherMembersHadStarted() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    h.node(3).states.update(put("started", V), () -> { }); // queued, not delivered
    AtomicInteger done = new AtomicInteger();
    h.node(1).states.barrier(() -> {
      done.incrementAndGet();
      assertArrayEquals(V, h.node(1).seen.get(h.node(3).id + "/started"), "barrier passed a change in flight");
    });
    h.deliverAll();
    assertEquals(1, done.get());
  }

  @Test
  void anUnansweredChangeCompletesOnceTheMemberWasSilentForSilentMs() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    h.isolated.add(h.node(3).id);
    AtomicInteger done = new AtomicInteger();
    h.node(1).states.update(put("a", V), done::incrementAndGet);
    h.deliverAll();
    assertEquals(0, done.get());
    h.advance(ReplicationConfig.DEFAULT_SILENT_MS - 1);
    assertEquals(0, done.get(), "node 3 may still answer");
    h.advance(1);
    assertEquals(1, done.get());
    assertEquals(0, h.node(1).states.stats().toMap().get("ackTimeouts"), "not the ack timeout");
  }

  @Test
  void aLostChangeIsSentAgainUntilTheMemberAcknowledgesIt() {
    Harness h = new Harness(2);
    h.viewOf(1, 2);
    h.deliverAll();
    h.advance(Harness.ANTI_ENTROPY); // each node's first anti-entropy round is behind it: the next is 10 s away
    h.deliverAll();
    long digests = h.node(1).states.stats().toMap().get("digests") + h.node(2).states.stats().toMap().get("digests");
    AtomicInteger done = new AtomicInteger();
    h.node(1).states.update(put("lost", V), done::incrementAndGet);
    h.dropInFlight(); // the delta went down with its connection
    h.advance(ReplicationConfig.DEFAULT_SILENT_MS);
    assertEquals(1, done.get(), "completed without the silent member");
    assertFalse(h.node(2).seen.containsKey(h.node(1).id + "/lost"));
    h.advance(OwnedStates.RESEND_MS);
    h.dropInFlight(); // the first copy is lost too: the next one goes after twice as long
    h.advance(OwnedStates.RESEND_MS);
    h.deliverAll();
    assertFalse(h.node(2).seen.containsKey(h.node(1).id + "/lost"), "sent again before the back-off");
    h.advance(OwnedStates.RESEND_MS);
    h.deliverAll();
    assertTrue(h.node(2).seen.containsKey(h.node(1).id + "/lost"));
    assertEquals(2, h.node(1).states.stats().toMap().get("stateResends"));
    assertEquals(digests, h.node(1).states.stats().toMap().get("digests")
        + h.node(2).states.stats().toMap().get("digests"), "repaired without an anti-entropy round");
    h.advance(8 * OwnedStates.RESEND_MS);
    h.deliverAll();
    assertEquals(2, h.node(1).states.stats().toMap().get("stateResends"), "not sent again once acknowledged");
  }

  @Test
  void aMemberOneRoundTripBehindAChangingStateIsNotSentItAgain() {
    Harness h = new Harness(2);
    h.viewOf(1, 2);
    h.deliverAll();
    java.util.function.Predicate<Harness.Frame> ack = f -> f.to().equals(h.node(1).address)
        && (f.bytes()[0] & 0xFF) == 3;
    h.holdBack = ack; // each acknowledgement arrives only after the next change went out
    for (int i = 0; i < 20; i++) {
      List<Harness.Frame> late = new ArrayList<>(h.heldBack);
      h.heldBack.clear();
      h.node(1).states.update(put("k" + i, V), () -> { });
      h.deliverAll();
      late.forEach(f -> h.node(1).states.onFrame(f.bytes()));
      h.advance(OwnedStates.RESEND_MS * 3 / 5);
    }
    assertEquals(0, h.node(1).states.stats().toMap().get("stateResends"),
        "it acknowledged each version it was behind on in time");
    assertTrue(h.node(2).seen.containsKey(h.node(1).id + "/k19"));
  }

  @Test
  void antiEntropyRepairsAChangeThatWasLostEntirely() {
    // The owner cannot send it again (its loop is stopped): another member that holds it repairs the third.
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    h.isolated.add(h.node(3).id);
    h.node(1).states.update(put("lost", V), () -> { });
    h.deliverAll();
    h.isolated.clear();
    h.paused.add(h.node(1).id);
    assertFalse(h.node(3).seen.containsKey(h.node(1).id + "/lost"));
    for (int i = 0; i < 10 && !h.node(3).seen.containsKey(h.node(1).id + "/lost"); i++) {
      h.advance(Harness.ANTI_ENTROPY);
      h.deliverAll();
    }
    assertTrue(h.node(3).seen.containsKey(h.node(1).id + "/lost"));
    assertEquals(0, h.node(1).states.stats().toMap().get("stateResends"));
    assertTrue(h.node(3).states.stats().toMap().get("repairs") > 0);
  }

  @Test
  void badFramesAreCountedNeverThrown() {
    Harness h = new Harness(1);
    ReplicationCodec codec = new ReplicationCodec(1 << 20);
    byte[] good = codec.encode(new ReplicationMessage.Delta(h.node(1).id, h.node(1).address, 3,
        put("key", new byte[] {1, 2, 3})));
    for (int len = 0; len < good.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(good, len);
      try {
        codec.decode(cut);
      } catch (MalformedMessageException expected) {
        // the only failure allowed
      }
    }
    Random r = new Random(1);
    for (int i = 0; i < 5_000; i++) {
      byte[] junk = new byte[r.nextInt(64)];
      r.nextBytes(junk);
      h.node(1).states.onFrame(junk); // must never throw
    }
    assertTrue(h.node(1).states.stats().toMap().get("malformed") > 0);
  }
}
