package org.vertxgossip.checker;

import java.util.List;

/**
 * The verdict on the locks of a history: per lock the counts the checker used, and the violations found.
 *
 * @param keys one entry per lock
 * @param violationCount all violations found
 * @param violations the first {@link CheckResult#MAX_DESCRIBED} described
 */
public record LockResult(List<KeyCounts> keys, int violationCount, List<String> violations)
    implements CheckResult {

  /**
   * The counts of one lock.
   *
   * @param key the lock's name
   * @param acquiredOk OK acquisitions
   * @param acquireFailed FAIL acquisitions
   * @param acquireIndeterminate INFO acquisitions
   * @param holds the holds checked (one per OK acquisition)
   * @param lostHolds holds cut short by their holder's loss (kill, pause, removal) before it released
   * @param openHolds holds neither released nor lost: they last to the end of the history
   * @param overlaps holds that began before an earlier hold of the lock had ended
   * @param tokenOrderViolations holds whose token is not above every token of the holds begun before
   * @param duplicateTokens OK acquisitions granted a token another had been granted
   * @param releaseMismatches releases naming a token other than the hold they end
   */
  public record KeyCounts(String key, long acquiredOk, long acquireFailed, long acquireIndeterminate, long holds,
                          long lostHolds, long openHolds, long overlaps, long tokenOrderViolations,
                          long duplicateTokens, long releaseMismatches) {

    /** Token order violations and duplicate tokens together. */
    public long tokenViolations() {
      return tokenOrderViolations + duplicateTokens;
    }
  }

  public LockResult {
    keys = List.copyOf(keys);
    violations = List.copyOf(violations);
  }

  public long acquiredOk() {
    return keys.stream().mapToLong(KeyCounts::acquiredOk).sum();
  }

  public long acquireFailed() {
    return keys.stream().mapToLong(KeyCounts::acquireFailed).sum();
  }

  public long acquireIndeterminate() {
    return keys.stream().mapToLong(KeyCounts::acquireIndeterminate).sum();
  }

  public long holds() {
    return keys.stream().mapToLong(KeyCounts::holds).sum();
  }

  public long overlaps() {
    return keys.stream().mapToLong(KeyCounts::overlaps).sum();
  }

  public long tokenViolations() {
    return keys.stream().mapToLong(KeyCounts::tokenViolations).sum();
  }

  /** The counts of one lock, or null. */
  public KeyCounts key(String key) {
    return keys.stream().filter(k -> k.key().equals(key)).findFirst().orElse(null);
  }

  @Override
  public String summary() {
    StringBuilder b = new StringBuilder("locks: ").append(ok() ? "OK" : "VIOLATED").append(", ")
        .append(keys.size()).append(" lock(s), ").append(violationCount).append(" violation(s)");
    for (KeyCounts k : keys) {
      b.append("\n  ").append(k.key()).append(": acquisitions OK ").append(k.acquiredOk()).append(" / FAIL ")
          .append(k.acquireFailed()).append(" / INFO ").append(k.acquireIndeterminate()).append(", holds ")
          .append(k.holds()).append(" (lost ").append(k.lostHolds()).append(", open ").append(k.openHolds())
          .append("), overlaps ").append(k.overlaps()).append(", token violations ").append(k.tokenViolations())
          .append(" (order ").append(k.tokenOrderViolations()).append(", duplicate ").append(k.duplicateTokens())
          .append("), release mismatches ").append(k.releaseMismatches());
    }
    return b.append(Violations.format(violations, violationCount)).toString();
  }

  @Override
  public String toString() {
    return summary();
  }
}
