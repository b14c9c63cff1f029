package org.vertxgossip.checker;

import java.util.Locale;

/**
 * The operations a history records, with the token each has in the line format and the fields it carries: the
 * ones known at invocation (present whatever the outcome) and the ones only an acknowledged operation has.
 */
public enum Kind {
  /** Counter incrementAndGet (delta 1); OK: the returned value. */
  INC(Family.COUNTER, 0, 1),
  /** Counter get; OK: the value. */
  CGET(Family.COUNTER, 0, 1),
  /** Lock acquisition; OK: the fencing token. */
  ACQUIRE(Family.LOCK, 0, 1),
  /** Lock release; always: the token of the hold released. */
  RELEASE(Family.LOCK, 1, 0),
  /** Map put; always: the value written. */
  WRITE(Family.REGISTER, 1, 0),
  /** Map get; OK: the value read, or {@code nil} when absent. */
  READ(Family.REGISTER, 0, 1),
  /** Map replaceIfPresent(key, expected, new); always: expected and new; OK: {@code true} or {@code false}. */
  CAS(Family.REGISTER, 2, 1);

  /** Which checker a kind belongs to; keys of different families are distinct objects even when spelt alike. */
  public enum Family { COUNTER, LOCK, REGISTER }

  private final Family family;
  private final int invocationFields;
  private final int resultFields;

  Kind(Family family, int invocationFields, int resultFields) {
    this.family = family;
    this.invocationFields = invocationFields;
    this.resultFields = resultFields;
  }

  public Family family() {
    return family;
  }

  /** The number of fields an operation of this kind has with the given outcome. */
  public int fieldCount(Outcome outcome) {
    return invocationFields + (outcome == Outcome.OK ? resultFields : 0);
  }

  /** The token in the line format: {@code inc}, {@code cget}, ... */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind a line-format token names, or null. */
  public static Kind fromToken(String token) {
    for (Kind k : values()) {
      if (k.token().equals(token)) {
        return k;
      }
    }
    return null;
  }
}
