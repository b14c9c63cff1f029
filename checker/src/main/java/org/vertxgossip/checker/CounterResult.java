package org.vertxgossip.checker;

import java.util.List;

/**
 * The verdict on the counters of a history: per key the counts the checker used, and the violations found.
 *
 * @param keys one entry per counter key
 * @param violationCount all violations found
 * @param violations the first {@link CheckResult#MAX_DESCRIBED} described
 */
public record CounterResult(List<KeyCounts> keys, int violationCount, List<String> violations)
    implements CheckResult {

  /**
   * The counts of one counter.
   *
   * @param key the counter's name
   * @param acknowledged OK increments (each took effect exactly once)
   * @param failed FAIL increments (none took effect)
   * @param indeterminate INFO increments (each may or may not have taken effect)
   * @param finalValue the value read after the run, or null if none was given
   * @param lost acknowledged increments the final value is missing ({@code acknowledged - final}, or 0)
   * @param duplicates OK increments that returned a value another OK increment returned too
   * @param outOfRange OK increments or gets whose value lies outside what the counts allow
   * @param orderViolations values that contradict the real-time order of the operations
   */
  public record KeyCounts(String key, long acknowledged, long failed, long indeterminate, Long finalValue,
                          long lost, long duplicates, long outOfRange, long orderViolations) {
  }

  public CounterResult {
    keys = List.copyOf(keys);
    violations = List.copyOf(violations);
  }

  public long acknowledged() {
    return keys.stream().mapToLong(KeyCounts::acknowledged).sum();
  }

  public long failed() {
    return keys.stream().mapToLong(KeyCounts::failed).sum();
  }

  public long indeterminate() {
    return keys.stream().mapToLong(KeyCounts::indeterminate).sum();
  }

  public long lost() {
    return keys.stream().mapToLong(KeyCounts::lost).sum();
  }

  public long duplicates() {
    return keys.stream().mapToLong(KeyCounts::duplicates).sum();
  }

  public long orderViolations() {
    return keys.stream().mapToLong(KeyCounts::orderViolations).sum();
  }

  /** The counts of one key, or null. */
  public KeyCounts key(String key) {
    return keys.stream().filter(k -> k.key().equals(key)).findFirst().orElse(null);
  }

  @Override
  public String summary() {
    StringBuilder b = new StringBuilder("counters: ").append(ok() ? "OK" : "VIOLATED").append(", ")
        .append(keys.size()).append(" key(s), ").append(violationCount).append(" violation(s)");
    for (KeyCounts k : keys) {
      b.append("\n  ").append(k.key()).append(": acknowledged ").append(k.acknowledged()).append(", failed ")
          .append(k.failed()).append(", indeterminate ").append(k.indeterminate()).append(", final ")
          .append(k.finalValue() == null ? "?" : k.finalValue()).append(", lost ").append(k.lost())
          .append(", duplicates ").append(k.duplicates()).append(", out of range ").append(k.outOfRange())
          .append(", order violations ").append(k.orderViolations());
    }
    return b.append(Violations.format(violations, violationCount)).toString();
  }

  @Override
  public String toString() {
    return summary();
  }
}
