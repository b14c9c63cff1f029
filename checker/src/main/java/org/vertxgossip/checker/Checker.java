package org.vertxgossip.checker;

import java.util.Map;

/**
 * The one call a test makes: all three checkers over one history, one verdict and one report to print or put in
 * an assertion message.
 */
public final class Checker {

  private Checker() {
  }

  /**
   * The three verdicts together.
   *
   * @param counters {@link CounterChecker}'s
   * @param locks {@link LockChecker}'s
   * @param registers {@link LinearizabilityChecker#checkRegisters}'s
   */
  public record Report(CounterResult counters, LockResult locks, LinearizabilityResult registers) {

    /** No violation in any of the three (register keys left unknown by the search bound do not count). */
    public boolean ok() {
      return counters.ok() && locks.ok() && registers.ok();
    }

    /** Every register key decided. */
    public boolean conclusive() {
      return registers.conclusive();
    }

    public int violationCount() {
      return counters.violationCount() + locks.violationCount() + registers.violationCount();
    }

    /** All counts and the described violations, one section per checker. */
    public String text() {
      return "history check: " + (ok() ? "OK" : "VIOLATED (" + violationCount() + " violation(s))")
          + (conclusive() ? "" : ", " + registers.unknown() + " register key(s) unknown (search bound)") + "\n"
          + counters.summary() + "\n" + locks.summary() + "\n" + registers.summary();
    }

    @Override
    public String toString() {
      return text();
    }
  }

  /** {@link #checkAll(History, Map, Map, long)} with the default search bound. */
  public static Report checkAll(History history, Map<String, Long> counterFinalValues,
                                Map<Integer, Long> lostAtNanos) {
    return checkAll(history, counterFinalValues, lostAtNanos, LinearizabilityChecker.DEFAULT_MAX_STATES);
  }

  /**
   * @param counterFinalValues each counter's value read after the run (see {@link CounterChecker#check})
   * @param lostAtNanos when each lost process was killed, paused or removed (see {@link LockChecker#check})
   * @param maxStatesPerKey the register search bound
   */
  public static Report checkAll(History history, Map<String, Long> counterFinalValues,
                                Map<Integer, Long> lostAtNanos, long maxStatesPerKey) {
    return new Report(CounterChecker.check(history, counterFinalValues), LockChecker.check(history, lostAtNanos),
        LinearizabilityChecker.checkRegisters(history, maxStatesPerKey));
  }
}
