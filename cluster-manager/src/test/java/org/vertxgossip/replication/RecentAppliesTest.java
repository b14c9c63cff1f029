package org.vertxgossip.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.replication.StoreMessage.Apply;

class RecentAppliesTest {

  private static Apply apply(long id, int valueBytes) {
    return new Apply(new NodeId(0, 1), new NodeAddress("10.0.0.1", 7946), id, "m", new byte[0],
        new StoredEntry(new byte[valueBytes], id, 0), new NodeId(0, 2), id, StoreResult.ok(null, 0));
  }

  private static List<Long> ids(List<Apply> applies) {
    return applies.stream().map(Apply::applyId).toList();
  }

  @Test
  void appliesOlderThanTheAgeBoundAreNotResentEvenWithoutNewWrites() {
    RecentApplies r = new RecentApplies(5_000, 100, 1_000);
    r.add(apply(1, 10), 0);
    r.add(apply(2, 10), 3_000);
    assertEquals(List.of(1L, 2L), ids(r.since(5_000)));
    assertEquals(List.of(2L), ids(r.since(6_000)), "the first is 6 s old");
    assertEquals(List.of(), ids(r.since(9_000)));
    assertEquals(0, r.bytes());
  }

  @Test
  void countAndBytesBoundThemOldestFirst() {
    RecentApplies byCount = new RecentApplies(5_000, 2, 1_000);
    for (long i = 1; i <= 4; i++) {
      byCount.add(apply(i, 1), 0);
    }
    assertEquals(List.of(3L, 4L), ids(byCount.since(0)));
    RecentApplies byBytes = new RecentApplies(5_000, 100, 1_000);
    byBytes.add(apply(1, 600), 0);
    byBytes.add(apply(2, 600), 0);
    assertEquals(List.of(2L), ids(byBytes.since(0)));
    assertEquals(600, byBytes.bytes());
  }
}
