package org.vertxgossip.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.checker.LinearizabilityResult.KeyResult;
import org.vertxgossip.checker.LinearizabilityResult.Verdict;

class RandomizedLinearizabilityTest {

  private static KeyResult check(List<Op> ops) {
    return LinearizabilityChecker.checkRegister("k", ops, LinearizabilityChecker.DEFAULT_MAX_STATES, 0);
  }

  @Test
  void historiesOfALinearizableRegisterPassAndMutatedOnesFail() {
    int mutatedToWritten = 0;
    int caught = 0;
    for (int seed = 0; seed < 200; seed++) {
      Random rnd = new Random(seed);
      List<Op> ops = RegisterHistories.linearizable(rnd, "k", 2 + rnd.nextInt(5), 20 + rnd.nextInt(80), 6);
      KeyResult ok = check(ops);
      assertEquals(Verdict.OK, ok.verdict(), "seed " + seed + ": " + ok);

      List<Integer> reads = RegisterHistories.okReads(ops);
      if (reads.isEmpty()) {
        continue;
      }
      int index = reads.get(rnd.nextInt(reads.size()));
      // A value no operation ever wrote: provably not linearizable.
      KeyResult never = check(RegisterHistories.withRead(ops, index, "never-written"));
      assertEquals(Verdict.VIOLATION, never.verdict(), "seed " + seed + ": " + never);

      // Another value that was written (or nil): usually, not always, a violation. The oracle decides small ones.
      List<String> written = RegisterHistories.writtenValues(ops);
      String other = written.get(rnd.nextInt(written.size()));
      if (!other.equals(ops.get(index).value())) {
        mutatedToWritten++;
        KeyResult mutated = check(RegisterHistories.withRead(ops, index, other));
        assertTrue(mutated.verdict() != Verdict.UNKNOWN, mutated.toString());
        if (mutated.verdict() == Verdict.VIOLATION) {
          caught++;
        }
      }
    }
    assertTrue(caught * 2 > mutatedToWritten, caught + " of " + mutatedToWritten + " mutations caught");
  }

  @Test
  void agreesWithBruteForceOnSmallHistories() {
    int violations = 0;
    for (int seed = 0; seed < 3000; seed++) {
      Random rnd = new Random(seed);
      List<Op> ops = RegisterHistories.arbitrary(rnd, "k", 1 + rnd.nextInt(3), 1 + rnd.nextInt(7));
      boolean expected = RegisterHistories.bruteForce(ops);
      KeyResult k = check(ops);
      assertEquals(expected ? Verdict.OK : Verdict.VIOLATION, k.verdict(), "seed " + seed + ": " + ops);
      violations += expected ? 0 : 1;
    }
    // The generator exercises both verdicts.
    assertTrue(violations > 300 && violations < 2700, violations + " violations");
  }

  @Test
  void agreesWithBruteForceOnSmallHistoriesHeavyWithIndeterminateOperations() {
    // Many INFO writes and cas, several values, refused cas: what the deadlines, fallbacks and enablers are for.
    String[] values = {"a", "b", "c"};
    int violations = 0;
    for (int seed = 0; seed < 3000; seed++) {
      Random rnd = new Random(seed);
      List<Op> ops = RegisterHistories.arbitrary(rnd, "k", 2 + rnd.nextInt(2), 4 + rnd.nextInt(5), 45, values);
      boolean expected = RegisterHistories.bruteForce(ops);
      assertEquals(expected ? Verdict.OK : Verdict.VIOLATION, check(ops).verdict(), "seed " + seed + ": " + ops);
      violations += expected ? 0 : 1;
    }
    assertTrue(violations > 300 && violations < 2700, violations + " violations");
  }

  @Test
  void agreesWithBruteForceOnSmallLinearizableMutations() {
    for (int seed = 0; seed < 1000; seed++) {
      Random rnd = new Random(seed);
      List<Op> ops = RegisterHistories.linearizable(rnd, "k", 2 + rnd.nextInt(2), 4 + rnd.nextInt(5), 15);
      List<Integer> reads = RegisterHistories.okReads(ops);
      if (!reads.isEmpty()) {
        List<String> written = RegisterHistories.writtenValues(ops);
        ops = RegisterHistories.withRead(ops, reads.get(rnd.nextInt(reads.size())),
            written.isEmpty() || rnd.nextInt(4) == 0 ? null : written.get(rnd.nextInt(written.size())));
      }
      boolean expected = RegisterHistories.bruteForce(ops);
      assertEquals(expected ? Verdict.OK : Verdict.VIOLATION, check(ops).verdict(), "seed " + seed + ": " + ops);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void twoThousandOperationsAtConcurrencyEightStayWithinTheBound() {
    Random rnd = new Random(42);
    List<Op> ops = RegisterHistories.linearizable(rnd, "k", 8, 2000, 3);
    KeyResult ok = check(ops);
    assertEquals(Verdict.OK, ok.verdict(), ok.toString());
    assertTrue(ok.statesExplored() < LinearizabilityChecker.DEFAULT_MAX_STATES / 10, ok.toString());

    List<Integer> reads = RegisterHistories.okReads(ops);
    KeyResult bad = check(RegisterHistories.withRead(ops, reads.get(reads.size() / 2), "never-written"));
    assertEquals(Verdict.VIOLATION, bad.verdict(), bad.toString());
    assertTrue(bad.detail().contains("never-written"), bad.detail());
  }
}
