package org.vertxgossip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Replays and stale input are refused; reordering inside the window is not. */
class ReplayGuardTest {

  private static final long NOW = 1_000_000_000L;
  private final ReplayGuard guard = new ReplayGuard();

  @Test
  void aDatagramIsAcceptedOnceAndReorderingInsideTheWindowIsFine() {
    assertNull(guard.datagram(7, 10, NOW, NOW));
    assertEquals(DropReason.REPLAYED, guard.datagram(7, 10, NOW, NOW));
    assertNull(guard.datagram(7, 12, NOW, NOW));
    assertNull(guard.datagram(7, 11, NOW, NOW)); // late but new
    assertEquals(DropReason.REPLAYED, guard.datagram(7, 11, NOW, NOW));
    assertNull(guard.datagram(7, 12 + 2000, NOW, NOW)); // a jump past the window
    assertEquals(DropReason.REPLAYED, guard.datagram(7, 13, NOW, NOW), "older than the window");
    assertNull(guard.datagram(7, 12 + 2000 - ReplayGuard.DATAGRAM_WINDOW + 1, NOW, NOW), "the window's oldest");
    assertNull(guard.datagram(8, 10, NOW, NOW), "another sequence has counters of its own");
  }

  @Test
  void everyCounterOfALongRunIsAcceptedOnceInAnyOrderWithinTheWindow() {
    java.util.Random r = new java.util.Random(3);
    int n = 5000;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = 0; i < n; i += 100) { // shuffle inside blocks of 100: reordering well inside the window
      for (int j = i + 99; j > i; j--) {
        int k = i + r.nextInt(j - i + 1);
        int t = order[j];
        order[j] = order[k];
        order[k] = t;
      }
    }
    for (int c : order) {
      assertNull(guard.datagram(1, c, NOW, NOW), "counter " + c);
    }
    for (int c = n - ReplayGuard.DATAGRAM_WINDOW; c < n; c++) {
      assertEquals(DropReason.REPLAYED, guard.datagram(1, c, NOW, NOW), "counter " + c + " again");
    }
  }

  @Test
  void inputOutsideTheFreshnessWindowIsStale() {
    assertEquals(DropReason.STALE, guard.datagram(1, 0, NOW - ReplayGuard.WINDOW_MS - 1, NOW));
    assertEquals(DropReason.STALE, guard.datagram(1, 0, NOW + ReplayGuard.WINDOW_MS + 1, NOW));
    assertEquals(DropReason.STALE, guard.streamStart(2, 0, NOW - ReplayGuard.WINDOW_MS - 1, NOW));
  }

  @Test
  void aConnectionStartsOnceAtCounterZero() {
    assertNull(guard.streamStart(5, 0, NOW, NOW));
    assertEquals(DropReason.REPLAYED, guard.streamStart(5, 0, NOW, NOW), "the same connection replayed");
    assertEquals(DropReason.REPLAYED, guard.streamStart(6, 3, NOW, NOW), "a connection cut in the middle");
  }

  @Test
  void aFullTableRefusesWhatItCanNoLongerTellFromAReplay() {
    for (int i = 0; i < 20_000; i++) {
      assertNull(guard.streamStart(1000 + i, 0, NOW + i / 1000, NOW + i / 1000));
    }
    // The oldest ones were evicted; their sending times became the floor, so their replay is still refused.
    assertEquals(DropReason.REPLAYED, guard.streamStart(1000, 0, NOW, NOW + 20));
    assertNull(guard.streamStart(99_999_999, 0, NOW + 20, NOW + 20), "a new connection after the floor");
  }

  @Test
  void aDatagramSequenceEvictedAndBackStillRefusesWhatItSentBefore() {
    assertNull(guard.datagram(1, 100, NOW, NOW));
    for (int i = 0; i < 5000; i++) { // more live senders than the table holds: sequence 1 is evicted
      assertNull(guard.datagram(1000 + i, 0, NOW + 1 + i, NOW + 1 + i));
    }
    long later = NOW + 6000;
    assertNull(guard.datagram(1, 101, later, later), "its next datagram is new");
    assertEquals(DropReason.REPLAYED, guard.datagram(1, 100, NOW, later), "its old one is not");
    assertNull(guard.datagram(1, 102, later, later));
  }
}
