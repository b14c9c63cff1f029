package org.vertxgossip.checker;

import java.util.List;

/**
 * The verdict on the registers (map keys) of a history, key by key. A key whose search exceeded the bound is
 * {@link Verdict#UNKNOWN}: neither a pass nor a violation, counted apart; {@link #ok()} is false only for a
 * violation, {@link #conclusive()} is false when any key is unknown.
 *
 * @param keys one entry per key
 */
public record LinearizabilityResult(List<KeyResult> keys) implements CheckResult {

  /** What the search concluded for one key. */
  public enum Verdict {
    /** A linearization exists. */
    OK,
    /** None exists. */
    VIOLATION,
    /** The search bound was reached first. */
    UNKNOWN
  }

  /**
   * One key's verdict.
   *
   * @param key the key
   * @param verdict linearizable, not, or unknown
   * @param ops the operations placed by the search (FAIL and unobservable INFO ones are dropped first)
   * @param dropped the operations dropped
   * @param statesExplored distinct configurations the search visited
   * @param detail for a violation, the operation no linearization reaches past and the operations around it;
   *     for unknown, the bound; empty when OK
   */
  public record KeyResult(String key, Verdict verdict, int ops, int dropped, long statesExplored, String detail) {
  }

  public LinearizabilityResult {
    keys = List.copyOf(keys);
  }

  public long linearizable() {
    return count(Verdict.OK);
  }

  public long unknown() {
    return count(Verdict.UNKNOWN);
  }

  /** True when every key was decided (none hit the search bound). */
  public boolean conclusive() {
    return unknown() == 0;
  }

  @Override
  public int violationCount() {
    return (int) count(Verdict.VIOLATION);
  }

  @Override
  public List<String> violations() {
    return keys.stream().filter(k -> k.verdict() == Verdict.VIOLATION).limit(MAX_DESCRIBED)
        .map(k -> "register " + k.key() + ": not linearizable; " + k.detail()).toList();
  }

  /** The key's verdict, or null. */
  public KeyResult key(String key) {
    return keys.stream().filter(k -> k.key().equals(key)).findFirst().orElse(null);
  }

  @Override
  public String summary() {
    StringBuilder b = new StringBuilder("registers: ")
        .append(ok() ? (conclusive() ? "OK" : "OK so far (some keys unknown)") : "VIOLATED").append(", ")
        .append(keys.size()).append(" key(s): ").append(linearizable()).append(" linearizable, ")
        .append(violationCount()).append(" violation(s), ").append(unknown()).append(" unknown (search bound)");
    for (KeyResult k : keys) {
      b.append("\n  ").append(k.key()).append(": ").append(switch (k.verdict()) {
        case OK -> "ok";
        case VIOLATION -> "VIOLATION";
        case UNKNOWN -> "unknown (search bound)";
      }).append(", ").append(k.ops()).append(" op(s) (").append(k.dropped()).append(" dropped), ")
          .append(k.statesExplored()).append(" state(s) explored");
    }
    return b.append(Violations.format(violations(), violationCount())).toString();
  }

  private long count(Verdict verdict) {
    return keys.stream().filter(k -> k.verdict() == verdict).count();
  }

  @Override
  public String toString() {
    return summary();
  }
}
