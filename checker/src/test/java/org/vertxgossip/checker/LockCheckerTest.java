package org.vertxgossip.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LockCheckerTest {

  private static Op acquire(int p, long invoke, long complete, long token) {
    return Op.acquire(p, "l", invoke, complete, Outcome.OK, token);
  }

  private static Op release(int p, long invoke, long complete, long token) {
    return Op.release(p, "l", invoke, complete, Outcome.OK, token);
  }

  @Test
  void reportsOverlappingHolds() {
    History h = new History()
        .add(acquire(1, 0, 10, 1)).add(release(1, 50, 60, 1))
        .add(acquire(2, 5, 30, 2)).add(release(2, 70, 80, 2));
    LockResult r = LockChecker.check(h, Map.of());
    assertFalse(r.ok(), r.summary());
    assertEquals(1, r.overlaps());
    assertEquals(0, r.tokenViolations());
    assertTrue(r.violations().get(0).contains("hold of p2 acquire l 2 OK"), r.summary());
    assertTrue(r.violations().get(0).contains("released by p1 release l 1 OK"), r.summary());
  }

  @Test
  void aHoldEndsWhenTheReleaseIsInvoked() {
    // p2's acquisition completes after p1 invoked its release (before that release completed): no overlap.
    History h = new History()
        .add(acquire(1, 0, 10, 1)).add(release(1, 20, 40, 1))
        .add(acquire(2, 5, 30, 2)).add(release(2, 50, 60, 2));
    LockResult r = LockChecker.check(h, Map.of());
    assertTrue(r.ok(), r.summary());
    assertEquals(2, r.holds());
  }

  @Test
  void reportsNonIncreasingAndDuplicateTokens() {
    History h = new History()
        .add(acquire(1, 0, 10, 5)).add(release(1, 20, 25, 5))
        .add(acquire(2, 30, 40, 3)).add(release(2, 50, 55, 3))
        .add(acquire(3, 60, 70, 5)).add(release(3, 80, 85, 5));
    LockResult r = LockChecker.check(h, Map.of());
    assertFalse(r.ok(), r.summary());
    LockResult.KeyCounts l = r.key("l");
    assertEquals(0, l.overlaps());
    assertEquals(1, l.tokenOrderViolations());
    assertEquals(1, l.duplicateTokens());
    assertEquals(2, r.tokenViolations());
    assertTrue(r.summary().contains("token 3 of p2 acquire l 3 OK"), r.summary());
    assertTrue(r.summary().contains("token 5 granted twice"), r.summary());
  }

  @Test
  void passesACorrectHistoryWithALostHolder() {
    // p1 is killed at 100 while holding; the lock is then granted to p2 (completing at 150) with a higher token.
    History h = new History()
        .add(acquire(1, 0, 10, 1))
        .add(Op.acquire(2, "l", 20, 25, Outcome.FAIL, null))
        .add(acquire(2, 50, 150, 2)).add(release(2, 200, 210, 2))
        .add(Op.acquire(3, "l", 30, 300, Outcome.INFO, null))
        .add(acquire(4, 205, 250, 4)).add(release(4, 260, 270, 4));
    Map<Integer, Long> lostAt = Map.of(1, 100L, 3, 400L);
    LockResult r = LockChecker.check(h, lostAt);
    assertTrue(r.ok(), r.summary());
    LockResult.KeyCounts l = r.key("l");
    assertEquals(3, l.acquiredOk());
    assertEquals(1, l.acquireFailed());
    assertEquals(1, l.acquireIndeterminate());
    assertEquals(3, l.holds());
    assertEquals(1, l.lostHolds());
    assertEquals(0, l.openHolds());

    // Without knowing p1 was lost, its hold never ends and p2's overlaps it.
    LockResult unaware = LockChecker.check(h, Map.of());
    assertFalse(unaware.ok(), unaware.summary());
    assertEquals(2, unaware.overlaps());
    assertTrue(unaware.summary().contains("never released"), unaware.summary());
  }

  @Test
  void aGrantArrivingAfterItsHolderWasLostIsNoHold() {
    // p1 asked at 50 and was lost at 100; the grant completing at 210 reached nobody who could act on it.
    History h = new History()
        .add(acquire(1, 50, 210, 1))
        .add(acquire(2, 220, 230, 2));
    LockResult r = LockChecker.check(h, Map.of(1, 100L));
    assertTrue(r.ok(), r.summary());
    assertEquals(1, r.holds());
    assertEquals(2, r.acquiredOk());
    // Not lost, the same two grants overlap.
    assertEquals(1, LockChecker.check(h, Map.of()).overlaps());
    // An acquisition asked for after the loss is a hold like any other.
    History later = new History()
        .add(acquire(1, 200, 210, 1))
        .add(acquire(2, 220, 230, 2));
    assertEquals(1, LockChecker.check(later, Map.of(1, 100L)).overlaps());
  }

  @Test
  void reportsAReleaseOfTheWrongToken() {
    History h = new History().add(acquire(1, 0, 10, 1)).add(release(1, 20, 30, 9));
    LockResult r = LockChecker.check(h, Map.of());
    assertFalse(r.ok(), r.summary());
    assertEquals(1, r.key("l").releaseMismatches());
  }
}
