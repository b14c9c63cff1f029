package org.vertxgossip.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CounterCheckerTest {

  private static Op inc(int p, long invoke, long complete, Long value) {
    return Op.inc(p, "c", invoke, complete, Outcome.OK, value);
  }

  @Test
  void reportsALostAcknowledgedIncrement() {
    History h = new History().add(inc(1, 0, 10, 1L)).add(inc(1, 20, 30, 2L)).add(inc(2, 40, 50, 3L));
    CounterResult r = CounterChecker.check(h, Map.of("c", 2L));
    assertFalse(r.ok(), r.summary());
    assertEquals(3, r.acknowledged());
    assertEquals(1, r.lost());
    assertTrue(r.violations().get(0).contains("lost 1 acknowledged increment(s): 3 acknowledged, final value 2"),
        r.summary());
    // The increment that returned 3 is above the final value too.
    assertEquals(1, r.key("c").outOfRange());
  }

  @Test
  void reportsADuplicateValue() {
    History h = new History().add(inc(1, 0, 10, 1L)).add(inc(2, 5, 15, 1L)).add(inc(3, 20, 30, 2L));
    CounterResult r = CounterChecker.check(h, Map.of("c", 3L));
    assertFalse(r.ok(), r.summary());
    assertEquals(1, r.duplicates());
    assertEquals(0, r.lost());
    assertTrue(r.summary().contains("value 1 returned by 2 increments"), r.summary());
  }

  @Test
  void reportsAnOrderViolation() {
    // Values unique and in range, but the increment invoked after p1's completed got the smaller value.
    History h = new History().add(inc(3, 0, 100, 3L)).add(inc(1, 1, 10, 2L)).add(inc(2, 20, 30, 1L));
    CounterResult r = CounterChecker.check(h, Map.of("c", 3L));
    assertFalse(r.ok(), r.summary());
    assertEquals(1, r.orderViolations());
    assertEquals(0, r.duplicates());
    assertTrue(r.violations().get(0).contains("p2 inc c 1 OK"), r.summary());
    assertTrue(r.violations().get(0).contains("was invoked after p1 inc c 2 OK"), r.summary());
  }

  @Test
  void reportsAStaleGetAndAGetFromTheFuture() {
    History stale = new History().add(inc(1, 0, 10, 1L)).add(Op.cget(2, "c", 20, 30, Outcome.OK, 0L));
    CounterResult r = CounterChecker.check(stale, Map.of("c", 1L));
    assertEquals(1, r.orderViolations(), r.summary());
    assertTrue(r.violations().get(0).contains("read a smaller value"), r.summary());

    // A get completed before the increment began cannot see it.
    History future = new History().add(Op.cget(2, "c", 0, 10, Outcome.OK, 1L)).add(inc(1, 20, 30, 1L));
    r = CounterChecker.check(future, Map.of("c", 1L));
    assertFalse(r.ok(), r.summary());
    assertTrue(r.summary().contains("only 0 non-failed increment(s) had been invoked"), r.summary());
  }

  @Test
  void reportsAFinalValueNoIncrementAccountsFor() {
    History h = new History().add(inc(1, 0, 10, 1L)).add(Op.inc(2, "c", 0, 10, Outcome.FAIL, null));
    CounterResult r = CounterChecker.check(h, Map.of("c", 2L));
    assertFalse(r.ok(), r.summary());
    assertTrue(r.violations().get(0).contains("exceeds 1 acknowledged + 0 indeterminate"), r.summary());
  }

  @Test
  void passesACorrectConcurrentHistoryWithIndeterminateIncrements() {
    // Four clients; of the open-ended INFO increments p4's took effect late (the last get sees 6), p3's did not.
    History h = new History()
        .add(inc(1, 0, 30, 2L))
        .add(inc(2, 5, 20, 1L))
        .add(Op.inc(3, "c", 10, 50, Outcome.INFO, null))
        .add(Op.inc(4, "c", 12, 13, Outcome.FAIL, null))
        .add(Op.cget(4, "c", 14, 40, Outcome.OK, 1L))
        .add(inc(2, 25, 60, 4L))
        .add(inc(1, 35, 45, 3L))
        .add(Op.inc(4, "c", 41, 90, Outcome.INFO, null))
        .add(Op.cget(1, "c", 70, 80, Outcome.OK, 4L))
        .add(inc(1, 85, 95, 5L))
        .add(Op.cget(2, "c", 100, 110, Outcome.OK, 6L));
    CounterResult r = CounterChecker.check(h, Map.of("c", 6L, "untouched", 0L));
    assertTrue(r.ok(), r.summary());
    CounterResult.KeyCounts c = r.key("c");
    assertEquals(5, c.acknowledged());
    assertEquals(1, c.failed());
    assertEquals(2, c.indeterminate());
    assertEquals(6L, c.finalValue());
    assertEquals(0, c.lost());
    assertEquals(2, r.keys().size());
    assertTrue(r.summary().contains("c: acknowledged 5, failed 1, indeterminate 2, final 6, lost 0"), r.summary());
  }

  @Test
  void withoutAFinalValueBoundsByTheIncrementsIssued() {
    History h = new History().add(inc(1, 0, 10, 1L)).add(inc(1, 20, 30, 3L));
    CounterResult r = CounterChecker.check(h, Map.of());
    assertFalse(r.ok(), r.summary());
    assertTrue(r.summary().contains("final ?"), r.summary());
    assertTrue(r.summary().contains("outside [1, 2 acknowledged + 0 indeterminate]"), r.summary());
  }
}
