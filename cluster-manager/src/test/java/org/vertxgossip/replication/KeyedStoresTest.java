package org.vertxgossip.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.replication.StoreResult.Status;

/** The keyed stores' behaviour in a healthy cluster: writes, TTL, locks, quorum, joiners, limits, bad input. */
class KeyedStoresTest {

  static final String MAP = "m";

  /**
   * What node {@code i} answers locally for {@code key}, once it may (it asks the owner for a read lease on its
   * first read and reads through the owner meanwhile); fails if it never may within a second.
   */
  static byte[] readLocal(Harness h, int i, String key) {
    h.runUntil(() -> h.node(i).stores.localRead(MAP, b(key)) != KeyedStores.NOT_LOCAL, 1_000);
    byte[] v = h.node(i).stores.localRead(MAP, b(key));
    assertNotSame(KeyedStores.NOT_LOCAL, v, "node " + i + " never reads " + key + " locally");
    return v;
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static StoreRequest put(String key, String value, long ttl) {
    return new StoreRequest(MAP, b(key), StoreOp.PUT, b(value), null, ttl, 0, 0);
  }

  static StoreRequest add(String counter, long delta) {
    return new StoreRequest(KeyedStores.COUNTERS, b(counter), StoreOp.COUNTER_ADD_AND_GET, null, null, 0, delta, 0);
  }

  static StoreRequest counterGet(String counter) {
    return new StoreRequest(KeyedStores.COUNTERS, b(counter), StoreOp.COUNTER_GET, null, null, 0, 0, 0);
  }

  /** Submits on node {@code from}, runs the cluster until the answer, returns it. */
  static StoreResult call(Harness h, int from, StoreRequest q) {
    List<StoreResult> out = h.run(from, q, 5_000);
    assertEquals(1, out.size(), "one answer");
    return out.get(0);
  }

  /** A key of {@code store} owned by node {@code owner} in node 1's current view. */
  static String keyOwnedBy(Harness h, String store, int owner) {
    return firstKey("k", k -> h.node(owner).id.equals(h.node(1).stores.ownerOf(store, b(k))));
  }

  /** Whether node {@code owner} owns {@code key} of {@code store} in a view of these members (by number). */
  static boolean owns(Harness h, String store, String key, int owner, int... members) {
    List<NodeId> ids = new ArrayList<>();
    for (int m : members) {
      ids.add(h.node(m).id);
    }
    return h.node(owner).id.equals(Rendezvous.owner(ids, Rendezvous.hash(store, b(key))));
  }

  /** The first of {@code prefix}0, {@code prefix}1, ... that matches. */
  static String firstKey(String prefix, Predicate<String> match) {
    for (int i = 0; ; i++) {
      if (match.test(prefix + i)) {
        return prefix + i;
      }
    }
  }

  @Test
  void aWriteIsOnEveryMemberWhenItCompletes() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    List<StoreResult> out = new ArrayList<>();
    h.node(1).stores.submit(put("a", "1", 0), 30_000, out::add);
    // Deliver one frame at a time: the answer must not come before every member holds the entry.
    while (!h.inFlight.isEmpty() && out.isEmpty()) {
      Harness.Frame f = h.inFlight.poll();
      h.byAddress.get(f.to()).stores.onFrame(f.bytes());
      if (out.isEmpty()) {
        continue;
      }
      for (int i = 1; i <= 3; i++) {
        assertArrayEquals(b("1"), h.node(i).stores.get(MAP, b("a")), "node " + i + " when the answer came");
      }
    }
    h.deliverAll();
    assertEquals(1, out.size());
  }

  @Test
  void aMemberAdmittedBeforeItsRecordArrivedGetsTheWriteOnceItsAddressIsKnown() {
    Harness h = Harness.thirdAdmittedBeforeFirstKnowsIt();
    String key = keyOwnedBy(h, MAP, 1);
    List<StoreResult> out = h.run(2, put(key, "v", 0), 2_000);
    assertEquals(Status.OK, out.get(0).status(), "answered by nodes 1 and 2, a majority, once node 3 was silent");
    assertEquals(1, h.node(1).stores.sizes().get("pendingWrites"), "not committed: node 3 has not accepted it");
    h.node(1).learn(h.node(3));
    h.deliverAll();
    assertEquals(0, h.node(1).stores.sizes().get("pendingWrites"), "sent as soon as its address is known");
    assertArrayEquals(b("v"), h.node(3).stores.get(MAP, b(key)));
  }

  @Test
  void ttlSemanticsMatchTheLocalMap() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    call(h, 1, put("t", "v", 10));
    h.advance(10);
    assertNull(h.node(2).stores.get(MAP, b("t")), "expired entries are invisible at once");
    h.deliverAll(); // the owner's conditional delete
    // A plain put after a put with TTL clears the TTL.
    call(h, 2, put("p", "mili", 10));
    call(h, 3, put("p", "mili2", 0));
    h.advance(50);
    h.deliverAll();
    assertArrayEquals(b("mili2"), h.node(1).stores.get(MAP, b("p")));
    // putIfAbsent with a TTL on an existing key leaves the key (and its lack of TTL) alone.
    call(h, 1, put("q", "molo", 0));
    StoreResult r = call(h, 2, new StoreRequest(MAP, b("q"), StoreOp.PUT_IF_ABSENT, b("other"), null, 10, 0, 0));
    assertArrayEquals(b("molo"), r.value());
    h.advance(50);
    h.deliverAll();
    assertArrayEquals(b("molo"), h.node(3).stores.get(MAP, b("q")));
    // replace with a TTL on an absent key stores nothing; replaceIfPresent on an absent key is false.
    assertNull(call(h, 1, new StoreRequest(MAP, b("none"), StoreOp.REPLACE, b("x"), null, 10, 0, 0)).value());
    assertNull(h.node(1).stores.get(MAP, b("none")));
    assertEquals(0, call(h, 1, new StoreRequest(MAP, b("none"), StoreOp.REPLACE_IF_PRESENT, b("x"), b("y"), 10,
        0, 0)).number());
  }

  @Test
  void locksAreFifoTimedAtTheOwnerFencedAndFreedWhenTheHolderLeaves() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    byte[] lock = b(keyOwnedBy(h, KeyedStores.LOCKS, 1));
    StoreRequest acquire = new StoreRequest(KeyedStores.LOCKS, lock, StoreOp.LOCK_ACQUIRE, null, null, 5_000, 0, 0);
    StoreResult first = call(h, 1, acquire);
    assertEquals(Status.OK, first.status());
    List<StoreResult> second = new ArrayList<>();
    List<StoreResult> third = new ArrayList<>();
    h.node(2).stores.submit(acquire, 60_000, second::add);
    h.deliverAll();
    h.node(3).stores.submit(new StoreRequest(KeyedStores.LOCKS, lock, StoreOp.LOCK_ACQUIRE, null, null, 100, 0, 0),
        60_000, third::add);
    h.deliverAll();
    assertTrue(second.isEmpty() && third.isEmpty(), "granted while held");
    h.runUntil(() -> !third.isEmpty(), 1_000);
    assertEquals(Status.TIMEOUT, third.get(0).status(), "the owner measured the 100 ms");
    assertTrue(second.isEmpty());
    // Releasing twice: the second is a no-op, and node 2 (first in line) gets the lock with a larger token.
    StoreRequest release = new StoreRequest(KeyedStores.LOCKS, lock, StoreOp.LOCK_RELEASE, null, null, 0,
        first.number(), 0);
    assertEquals(1, call(h, 1, release).number());
    assertEquals(0, call(h, 1, release).number(), "released already");
    assertEquals(1, second.size());
    assertTrue(second.get(0).number() > first.number(), "fencing token grew");
    // Node 2 dies while holding it: a waiter gets it once a view removes node 2.
    List<StoreResult> fourth = new ArrayList<>();
    h.node(3).stores.submit(acquire, 60_000, fourth::add);
    h.deliverAll();
    assertTrue(fourth.isEmpty());
    h.kill(2);
    h.viewOf(1, 3);
    h.runUntil(() -> !fourth.isEmpty(), 2_000);
    assertEquals(1, fourth.size());
    assertTrue(fourth.get(0).number() > second.get(0).number());
  }

  @Test
  void belowTheQuorumEveryReadAndWriteFailsAtOnce() {
    Harness h = new Harness(3, 3);
    h.viewOf(1, 2, 3);
    assertEquals(Status.OK, call(h, 1, put("plain", "ok", 0)).status());
    h.advance(50);
    h.deliverAll();
    assertArrayEquals(b("ok"), readLocal(h, 2, "plain"));
    h.isolated.add(h.node(3).id); // a partition: node 3 on its own
    h.viewOf(1, 2);
    h.runUntil(() -> false, 200);
    for (StoreOp op : List.of(StoreOp.LOCK_ACQUIRE, StoreOp.COUNTER_ADD_AND_GET, StoreOp.PUT_IF_ABSENT, StoreOp.PUT,
        StoreOp.REMOVE, StoreOp.GET, StoreOp.COUNTER_GET)) {
      StoreResult r = call(h, 1, new StoreRequest(MAP, b("plain"), op, b("v"), null, 1000, 1, 0));
      assertEquals(Status.NO_QUORUM, r.status(), op.name());
      assertTrue(r.message().contains("minimumMembers=3"), r.message());
    }
    assertSame(KeyedStores.NOT_LOCAL, h.node(2).stores.localRead(MAP, b("plain")), "no local read either");
    List<StoreResult> release = h.run(1, new StoreRequest(KeyedStores.LOCKS, b("l"), StoreOp.LOCK_RELEASE, null,
        null, 0, 1, 0), 500);
    assertTrue(release.isEmpty(), "a release waits for the quorum (it is retried, not failed)");
    h.isolated.remove(h.node(3).id);
    h.viewOf(1, 2, 3);
    h.runUntil(() -> h.node(3).stores.serving() && !release.isEmpty(), 2_000);
    assertEquals(Status.OK, release.get(0).status());
    assertEquals(Status.OK, call(h, 1, add("c", 1)).status());
    assertArrayEquals(b("ok"), call(h, 2, StoreRequest.of(MAP, b("plain"), StoreOp.GET)).value());
  }

  @Test
  void aHealedPartitionKeepsTheStateOfTheLineageThatAdmitsTheOtherSide() {
    Harness h = new Harness(4);
    h.viewOf(1, 2, 3, 4);
    call(h, 1, put("shared", "before", 0));
    // Two lineages of view 2: {1, 2} and {3, 4}.
    h.viewOn(1, 2, 1, 2);
    h.viewOn(2, 2, 1, 2);
    h.viewOn(3, 2, 3, 4);
    h.viewOn(4, 2, 3, 4);
    call(h, 1, put("shared", "left", 0));
    call(h, 3, put("shared", "right", 0));
    call(h, 4, put("only-right", "r", 0));
    // {1, 2}'s coordinator admits 3 and 4: a successor for 1 and 2, a new lineage for 3 and 4, which re-join.
    h.viewOf(1, 2, 3, 4);
    h.runUntil(() -> h.node(3).stores.serving() && h.node(4).stores.serving(), 2_000);
    for (int i = 1; i <= 4; i++) {
      assertArrayEquals(b("left"), h.node(i).stores.get(MAP, b("shared")), "node " + i);
      assertNull(h.node(i).stores.get(MAP, b("only-right")), "node " + i);
    }
  }

  @Test
  void aJoinerHoldsEveryStoreWhenItsSnapshotIsDone() {
    Harness h = new Harness(3);
    h.viewOf(1, 2);
    call(h, 1, put("x", "1", 0));
    List<String> done = new ArrayList<>();
    h.node(3).stores.whenSnapshotDone(() -> done.add("done"));
    h.viewOf(1, 2, 3);
    h.runUntil(() -> !done.isEmpty(), 2_000);
    assertEquals(List.of("done"), done);
    assertArrayEquals(b("1"), h.node(3).stores.get(MAP, b("x")));
  }

  @Test
  void aStoreLargerThanAFrameReachesAJoinerInSeveralFrames() {
    Harness h = new Harness(3);
    h.viewOf(1, 2);
    byte[] big = new byte[100_000];
    for (int i = 0; i < 40; i++) { // 4 MB against a 1 MiB frame limit
      big[0] = (byte) i;
      StoreRequest q = new StoreRequest(MAP, b("big" + i), StoreOp.PUT, big.clone(), null, 0, 0, 0);
      assertTrue(call(h, 1 + i % 2, q).isOk());
    }
    for (int i = 0; i < 3_000; i++) { // more entries than one frame may hold
      call(h, 1, put("small" + i, "v" + i, 0));
    }
    List<String> done = new ArrayList<>();
    h.node(3).stores.whenSnapshotDone(() -> done.add("done"));
    h.viewOf(1, 2, 3);
    h.runUntil(() -> !done.isEmpty(), 2_000);
    assertEquals(List.of("done"), done);
    assertEquals(3_040, h.node(3).stores.entries(MAP).size());
    assertEquals(39, h.node(3).stores.get(MAP, b("big39"))[0]);
  }

  @Test
  void anEntryAboveTheLimitIsRefusedAtOnceAndOneAtTheLimitReplacesAnother() {
    Harness h = new Harness(2);
    h.viewOf(1, 2);
    h.deliverAll();
    long limit = new StoreConfig(0, 0, 1 << 20, 0, 0).maxEntryBytes();
    byte[] key = b(keyOwnedBy(h, MAP, 2));
    byte[] tooBig = new byte[(int) (limit - 3 * MAP.length() - key.length + 1)];
    List<StoreResult> out = new ArrayList<>();
    h.node(1).stores.submit(new StoreRequest(MAP, key, StoreOp.PUT, tooBig, null, 0, 0, 0), 30_000, out::add);
    assertEquals(1, out.size(), "answered at once");
    assertEquals(Status.FAILED, out.get(0).status());
    assertTrue(out.get(0).message().contains("limit of " + limit), out.get(0).message());
    assertTrue(h.inFlight.isEmpty(), "nothing sent");
    assertEquals(1L, h.node(1).stores.stats().toMap().get("refusedTooLarge"));

    byte[] first = new byte[tooBig.length - 1];
    byte[] second = new byte[tooBig.length - 1];
    first[0] = 1;
    second[0] = 2;
    assertTrue(call(h, 1, new StoreRequest(MAP, key, StoreOp.GET_AND_PUT, first, null, 0, 0, 0)).isOk());
    StoreResult r = call(h, 1, new StoreRequest(MAP, key, StoreOp.GET_AND_PUT, second, null, 0, 0, 0));
    assertTrue(r.isOk());
    assertArrayEquals(first, r.value(), "the replaced value, from the owner");
    assertArrayEquals(second, h.node(1).stores.get(MAP, key));
    assertArrayEquals(second, h.node(2).stores.get(MAP, key));
  }

  @Test
  void aLocalReadOfACommittedKeyIsLocalAndOfAnUncommittedOneGoesToTheOwner() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    String key = keyOwnedBy(h, MAP, 1);
    call(h, 2, put(key, "v1", 0));
    h.advance(50); // the owner's commit watermark reaches every member
    h.deliverAll();
    assertArrayEquals(b("v1"), readLocal(h, 3, key));
    assertArrayEquals(b("v1"), readLocal(h, 2, key));
    // A second write reaches node 3 but not node 2: node 3 must not answer it locally yet.
    List<StoreResult> out = new ArrayList<>();
    h.node(1).stores.submit(put(key, "v2", 0), 30_000, out::add);
    for (Harness.Frame f : new ArrayList<>(h.inFlight)) {
      if (f.to().equals(h.node(3).address)) {
        h.node(3).stores.onFrame(f.bytes());
        h.inFlight.remove(f);
      }
    }
    assertArrayEquals(b("v2"), h.node(3).stores.get(MAP, b(key)), "held");
    assertSame(KeyedStores.NOT_LOCAL, h.node(3).stores.localRead(MAP, b(key)), "but not answered locally");
    assertArrayEquals(b("v1"), h.node(2).stores.localRead(MAP, b(key)), "node 2 has not seen it: the old value");
    h.runUntil(() -> !out.isEmpty(), 1_000);
    h.advance(50);
    h.deliverAll();
    assertArrayEquals(b("v2"), readLocal(h, 3, key), "committed: local again");
    assertArrayEquals(b("v2"), readLocal(h, 2, key));
  }

  @Test
  void randomFramesAreCountedNeverThrown() {
    Harness h = new Harness(2);
    h.viewOf(1, 2);
    h.deliverAll();
    Random r = new Random(2);
    for (int i = 0; i < 5_000; i++) {
      byte[] junk = new byte[1 + r.nextInt(80)];
      r.nextBytes(junk);
      junk[0] = (byte) (10 + r.nextInt(12));
      h.node(1).stores.onFrame(junk);
    }
    assertTrue(h.node(1).stores.stats().malformed() > 0);
    assertEquals(Status.OK, call(h, 1, put("after", "junk", 0)).status(), "still serving");
  }

  /**
   * A member with the key that sends a version far ahead of the clocks (faulty, or hostile) is refused and counted:
   * it could otherwise pin a key no later write beats, or push every clock towards overflow.
   */
  @Test
  void aVersionFarAheadOfTheClockIsRefused() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    String key = keyOwnedBy(h, MAP, 1);
    StoreCodec codec = new StoreCodec(1 << 20);
    Harness.Node owner = h.node(1);
    Harness.Node member = h.node(2);
    long ahead = (h.wall + KeyedStores.MAX_CLOCK_SKEW_MS + 1_000) << 12;
    long fine = (h.wall + KeyedStores.MAX_CLOCK_SKEW_MS - 1_000) << 12;
    member.stores.onFrame(codec.encode(new StoreMessage.Apply(owner.id, owner.address, 1, member.stores.epoch, 0,
        MAP, b(key), new StoredEntry(b("pinned"), ahead, 0), List.of())));
    assertEquals(1, member.stores.stats.implausibleVersions);
    assertEquals(1, member.stores.stats.appliesRefused);
    assertEquals(null, member.stores.table.get(MAP, new ByteKey(b(key))), "the entry was stored");
    member.stores.onFrame(codec.encode(new StoreMessage.Apply(owner.id, owner.address, 2, member.stores.epoch, 0,
        MAP, b(key), new StoredEntry(b("within"), fine, 0), List.of())));
    assertEquals(1, member.stores.stats.implausibleVersions, "within the bound: accepted");
    assertArrayEquals(b("within"), member.stores.table.get(MAP, new ByteKey(b(key))).value());
    assertTrue(member.stores.clock.next(h.wall, 0) < ((h.wall + KeyedStores.MAX_CLOCK_SKEW_MS) << 12 | 0xfff),
        "the clock did not jump");
  }
}
