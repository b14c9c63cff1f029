package org.vertxgossip.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vertxgossip.checker.LinearizabilityResult.Verdict;

class LinearizabilityCheckerTest {

  private static Op w(int p, long invoke, long complete, String v) {
    return Op.write(p, "k", invoke, complete, Outcome.OK, v);
  }

  private static Op r(int p, long invoke, long complete, String v) {
    return Op.read(p, "k", invoke, complete, Outcome.OK, v);
  }

  private static Op cas(int p, long invoke, long complete, String expected, String update, boolean swapped) {
    return Op.cas(p, "k", invoke, complete, Outcome.OK, expected, update, swapped);
  }

  private static LinearizabilityResult.KeyResult check(Op... ops) {
    History h = new History();
    for (Op op : ops) {
      h.add(op);
    }
    LinearizabilityResult result = LinearizabilityChecker.checkRegisters(h);
    assertEquals(1, result.keys().size());
    assertEquals(result.key("k").verdict() != Verdict.VIOLATION, result.ok(), result.summary());
    return result.key("k");
  }

  private static void assertLinearizable(Op... ops) {
    LinearizabilityResult.KeyResult k = check(ops);
    assertEquals(Verdict.OK, k.verdict(), k.toString());
  }

  private static LinearizabilityResult.KeyResult assertViolation(Op... ops) {
    LinearizabilityResult.KeyResult k = check(ops);
    assertEquals(Verdict.VIOLATION, k.verdict(), k.toString());
    return k;
  }

  @Test
  void aStaleReadAfterACompletedWriteIsAViolation() {
    LinearizabilityResult.KeyResult k = assertViolation(w(1, 0, 10, "1"), w(2, 20, 30, "2"), r(3, 40, 50, "1"));
    assertTrue(k.detail().contains("> p3 read k 1 OK"), k.detail());
    assertTrue(k.detail().contains("gets through 2 of 3 operations (last placed: p1 write k 1 OK"), k.detail());
    assertTrue(k.detail().contains("; p2 write k 2 OK"), k.detail());
  }

  @Test
  void readsSeeingNewThenOldAreAViolationEvenDuringTheWrite() {
    // Both reads overlap the write of 2, but once one saw 2 a later one cannot see 1.
    assertViolation(w(1, 0, 10, "1"), w(2, 20, 100, "2"), r(3, 30, 40, "2"), r(3, 50, 60, "1"));
    // Old then new is fine.
    assertLinearizable(w(1, 0, 10, "1"), w(2, 20, 100, "2"), r(3, 30, 40, "1"), r(3, 50, 60, "2"));
  }

  @Test
  void aReadOfAbsentAfterAWriteCompletedIsAViolation() {
    assertLinearizable(r(1, 0, 10, null), w(2, 20, 30, "a"));
    assertLinearizable(w(2, 0, 30, "a"), r(1, 10, 20, null), r(3, 12, 40, "a"));
    assertViolation(w(2, 0, 10, "a"), r(1, 20, 30, null));
  }

  @Test
  void passesACorrectConcurrentHistory() {
    assertLinearizable(
        w(1, 0, 100, "a"), r(2, 5, 15, null), r(3, 10, 20, "a"), w(4, 12, 50, "b"), r(2, 20, 30, "b"),
        r(3, 25, 35, "a"), r(5, 40, 45, "b"), cas(4, 60, 70, "b", "c", true), r(1, 101, 110, "c"),
        w(2, 105, 120, "d"), r(3, 106, 108, "c"), r(5, 121, 125, "d"));
  }

  @Test
  void anIndeterminateWriteMayTakeEffectLateOrNever() {
    Op a = w(1, 0, 10, "a");
    Op b = Op.write(2, "k", 20, 30, Outcome.INFO, "b");
    // Never took effect.
    assertLinearizable(a, b, r(3, 200, 210, "a"));
    // Took effect long after the client gave up.
    assertLinearizable(a, b, r(3, 40, 50, "a"), r(3, 60, 70, "b"));
    // But once it had, the old value cannot come back.
    assertViolation(a, b, r(3, 40, 50, "b"), r(3, 60, 70, "a"));
    // And it cannot take effect before it was invoked.
    assertViolation(a, r(3, 11, 15, "b"), b);
  }

  @Test
  void aFailedWriteNeverHappened() {
    Op failed = Op.write(2, "k", 20, 30, Outcome.FAIL, "b");
    assertViolation(w(1, 0, 10, "a"), failed, r(3, 40, 50, "b"));
    LinearizabilityResult.KeyResult k = check(w(1, 0, 10, "a"), failed, r(3, 40, 50, "a"),
        Op.read(4, "k", 0, 90, Outcome.INFO, null));
    assertEquals(Verdict.OK, k.verdict());
    assertEquals(2, k.dropped());
  }

  @Test
  void casSemantics() {
    assertLinearizable(w(1, 0, 10, "a"), cas(2, 20, 30, "a", "b", true), r(3, 40, 50, "b"));
    // replaceIfPresent on an absent key, or with another value there, reports false and changes nothing.
    assertLinearizable(cas(1, 0, 10, "a", "b", false), w(1, 20, 30, "c"), cas(2, 40, 50, "a", "b", false),
        r(3, 60, 70, "c"));
    assertViolation(cas(1, 0, 10, "a", "b", true));
    assertViolation(w(1, 0, 10, "a"), cas(2, 20, 30, "a", "b", false));
    assertViolation(w(1, 0, 10, "a"), cas(2, 20, 30, "a", "b", true), r(3, 40, 50, "a"));
    // Two concurrent cas from the same value: only one can win.
    assertLinearizable(w(1, 0, 10, "a"), cas(2, 20, 30, "a", "b", true), cas(3, 20, 30, "a", "c", false));
    assertViolation(w(1, 0, 10, "a"), cas(2, 20, 30, "a", "b", true), cas(3, 20, 30, "a", "c", true));
  }

  @Test
  void anIndeterminateCasAppliesOnlyIfTheValueMatches() {
    Op infoCas = Op.cas(2, "k", 20, 30, Outcome.INFO, "a", "b", null);
    assertLinearizable(w(1, 0, 10, "a"), infoCas, r(3, 40, 50, "b"));
    assertLinearizable(w(1, 0, 10, "a"), infoCas, r(3, 40, 50, "a"));
    assertViolation(w(1, 0, 10, "c"), infoCas, r(3, 40, 50, "b"));
  }

  @Test
  void anUnreadIndeterminateWriteIsKeptWhenARefusedCasMayNeedIt() {
    // The cas refused "x" although x was written: only the INFO write of b (never read) explains it.
    Op b = Op.write(2, "k", 20, 30, Outcome.INFO, "b");
    assertLinearizable(w(1, 0, 10, "x"), b, cas(3, 40, 50, "x", "y", false));
    assertViolation(w(1, 0, 10, "x"), cas(3, 40, 50, "x", "y", false));
    // Unread and nothing refused: dropped, since it cannot matter.
    LinearizabilityResult.KeyResult k = check(w(1, 0, 10, "x"), b, r(3, 40, 50, "x"));
    assertEquals(Verdict.OK, k.verdict());
    assertEquals(1, k.dropped());
  }

  @Test
  void anIndeterminateWriteOfAReadValueCanStillLandLateToExplainARefusal() {
    // b was read (from the OK write), so the INFO write of b gets a deadline at that read; landing after it, it
    // is the only explanation of the refusal: the value was x, then b again.
    Op infoB = Op.write(3, "k", 20, 30, Outcome.INFO, "b");
    Op[] base = {w(1, 0, 5, "b"), r(2, 10, 15, "b"), w(1, 40, 50, "x"), cas(2, 60, 70, "x", "y", false)};
    assertViolation(base);
    assertLinearizable(base[0], base[1], infoB, base[2], base[3]);
    // It lands once: if a read after the write of x saw b, the refusal has nothing left to explain it.
    assertViolation(base[0], base[1], infoB, base[2], r(2, 52, 55, "b"), w(1, 56, 58, "x"), base[3]);
  }

  @Test
  void keysAreCheckedApart() {
    History h = new History()
        .add(Op.write(1, "a", 0, 10, Outcome.OK, "1")).add(Op.read(2, "b", 20, 30, Outcome.OK, "1"))
        .add(Op.read(2, "a", 20, 30, Outcome.OK, "1"));
    LinearizabilityResult result = LinearizabilityChecker.checkRegisters(h);
    assertFalse(result.ok());
    assertEquals(Verdict.OK, result.key("a").verdict());
    assertEquals(Verdict.VIOLATION, result.key("b").verdict());
    assertTrue(result.summary().contains("register b: not linearizable"), result.summary());
  }

  @Test
  void aSearchOverItsBoundIsUnknownNotAVerdict() {
    History h = new History();
    for (int p = 0; p < 8; p++) {
      h.add(Op.write(p, "k", 0, 100, Outcome.OK, "v" + p));
    }
    h.add(Op.read(9, "k", 200, 210, Outcome.OK, "nope"));
    LinearizabilityResult bounded = LinearizabilityChecker.checkRegisters(h, 50);
    assertEquals(Verdict.UNKNOWN, bounded.key("k").verdict());
    assertTrue(bounded.ok());
    assertFalse(bounded.conclusive());
    assertEquals(1, bounded.unknown());
    assertTrue(bounded.summary().contains("unknown (search bound)"), bounded.summary());
    assertEquals(Verdict.VIOLATION, LinearizabilityChecker.checkRegisters(h).key("k").verdict());
  }

  @Test
  void anEmptyHistoryIsLinearizable() {
    LinearizabilityResult r = LinearizabilityChecker.checkRegisters(new History());
    assertTrue(r.ok());
    assertTrue(r.conclusive());
    assertEquals(0, r.keys().size());
  }
}
