package org.vertxgossip.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vertxgossip.replication.KeyedStoresTest.MAP;
import static org.vertxgossip.replication.KeyedStoresTest.b;
import static org.vertxgossip.replication.KeyedStoresTest.call;
import static org.vertxgossip.replication.KeyedStoresTest.keyOwnedBy;
import static org.vertxgossip.replication.KeyedStoresTest.put;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Anti-entropy by range digests: what it repairs, what it costs, and what it must leave alone. */
class RangeRepairTest {

  private static final int APPLY = 12;
  private static final int ENTRIES = 4_096;
  private static final int VALUE = 1_024;

  private static long stat(Harness h, int i, String name) {
    return h.node(i).stores.stats().toMap().get(name);
  }

  /** Every node holds the same committed store of {@link #ENTRIES} entries of {@link #VALUE} bytes. */
  private static void fill(Harness h) {
    byte[] value = new byte[VALUE];
    for (int i = 0; i < ENTRIES; i++) {
      Arrays.fill(value, (byte) i);
      StoredEntry e = new StoredEntry(value.clone(), 1_000 + i, 0);
      for (Harness.Node n : h.nodes.values()) {
        n.stores.table.put(MAP, new ByteKey(b("e" + i)), e);
      }
    }
  }

  @Test
  void aSingleDivergingKeyInALargeStoreIsRepairedForAFewKilobytes() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    fill(h);
    // Node 3 lost the latest write of one key (as a bug or a frame dropped past every resend would leave it).
    ByteKey lost = new ByteKey(b("e77"));
    StoredEntry latest = h.node(1).stores.table.get(MAP, lost);
    h.node(3).stores.table.put(MAP, lost, new StoredEntry(b("stale"), 10, 0));
    long before = 0;
    for (int i = 1; i <= 3; i++) {
      before += stat(h, i, "repairBytesSent");
    }
    h.runUntil(() -> Arrays.equals(latest.value(), h.node(3).stores.get(MAP, lost.bytes())),
        3 * Harness.ANTI_ENTROPY);
    assertArrayEquals(latest.value(), h.node(3).stores.get(MAP, lost.bytes()), "repaired");
    long sent = -before;
    long rounds = 0;
    for (int i = 1; i <= 3; i++) {
      sent += stat(h, i, "repairBytesSent");
      rounds += stat(h, i, "repairRounds");
    }
    System.out.printf("RangeRepairTest: one diverging key of %d bytes in a store of %d entries (%d KiB) repaired "
        + "in %d rounds for %d bytes of anti-entropy in all%n", VALUE, ENTRIES, ENTRIES * VALUE / 1024, rounds, sent);
    assertTrue(sent < 8 * VALUE + 4 * 1024, "a small multiple of the key, not the store: " + sent + " bytes");
    assertEquals(1, stat(h, 3, "repaired"));
    assertEquals(0, stat(h, 1, "repaired") + stat(h, 2, "repaired"), "the newer side is not overwritten");
  }

  @Test
  void aKeyMarkedUncommittedIsNeitherSentNorOverwrittenByARepair() {
    Harness h = new Harness(3);
    h.viewOf(1, 2, 3);
    h.deliverAll();
    fill(h);
    String key = keyOwnedBy(h, MAP, 2);
    call(h, 1, put(key, "old", 0));
    // The owner's next write reaches node 3 but not node 1: node 3 holds it marked, node 1 the committed old value.
    Harness.Node one = h.node(1);
    h.holdBack = f -> f.to().equals(one.address) && (f.bytes()[0] & 0xFF) == APPLY;
    h.node(2).stores.submit(put(key, "new", 0), 30_000, r -> { });
    h.runUntil(() -> stat(h, 1, "repairRounds") + stat(h, 3, "repairRounds") >= 4, 10 * Harness.ANTI_ENTROPY);
    assertTrue(stat(h, 1, "repairRounds") + stat(h, 3, "repairRounds") >= 4, "rounds ran meanwhile");
    assertArrayEquals(b("new"), h.node(3).stores.get(MAP, b(key)), "the uncommitted entry is left to its owner");
    assertArrayEquals(b("old"), h.node(1).stores.get(MAP, b(key)), "and is not spread by anti-entropy either");
    assertEquals(0, stat(h, 1, "repaired") + stat(h, 3, "repaired"));
    h.holdBack = f -> false;
    h.heldBack.clear(); // lost: the owner sends it again
    h.runUntil(() -> Arrays.equals(b("new"), h.node(1).stores.get(MAP, b(key))), 3_000);
    assertArrayEquals(b("new"), h.node(1).stores.get(MAP, b(key)));
  }
}
