package org.vertxgossip.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RecentResultsTest {

  private static StoreResult carrying(int bytes) {
    return StoreResult.ok(new byte[bytes], 0);
  }

  @Test
  void theOldestAnswersGoFirstWhenTheCountIsExceeded() {
    RecentResults<Integer> r = new RecentResults<>(3, 1_000);
    for (int i = 1; i <= 5; i++) {
      r.put(i, carrying(1));
    }
    assertEquals(3, r.size());
    assertNull(r.get(1));
    assertNull(r.get(2));
    assertNotNull(r.get(3));
    assertNotNull(r.get(5));
  }

  @Test
  void theValuesTheyCarryAreBoundedInBytes() {
    RecentResults<Integer> r = new RecentResults<>(100, 1_000);
    r.put(1, carrying(400));
    r.put(2, carrying(400));
    r.put(3, carrying(400)); // 1,200 bytes: the first goes
    assertNull(r.get(1));
    assertEquals(800, r.bytes());
    r.put(2, carrying(0)); // replacing an answer gives its bytes back
    assertEquals(400, r.bytes());
    r.put(4, carrying(5_000)); // larger than the bound on its own: nothing else stays, nor does it
    assertEquals(0, r.size());
    assertEquals(0, r.bytes());
  }
}
