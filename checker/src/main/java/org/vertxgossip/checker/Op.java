package org.vertxgossip.checker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One finished client operation: who issued it, on what, when it was invoked and completed, what the client
 * learnt, and its fields as they appear in the line format (see {@link Kind} for which a kind has). Validated on
 * construction, so a history built in-process is held to the same rules as one parsed from text.
 *
 * @param process the client that issued it (one operation at a time per client)
 * @param kind what it was
 * @param key the counter, lock or map key
 * @param invoke when it was invoked (System.nanoTime, or the simulator's virtual clock)
 * @param complete when the client saw its outcome or gave up; for an INFO operation this is printed but the
 *     checkers use {@link #effectiveComplete()} (+infinity)
 * @param outcome OK, FAIL or INFO
 * @param fields the kind's fields, as text ({@code nil} for an absent read value)
 */
public record Op(int process, Kind kind, String key, long invoke, long complete, Outcome outcome,
                 List<String> fields) {

  /** The line-format spelling of an absent value. */
  public static final String NIL = "nil";

  public Op {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(fields, "fields");
    fields = List.copyOf(fields);
    if (!isToken(key)) {
      throw new IllegalArgumentException("key must be non-empty with no whitespace: '" + key + "'");
    }
    if (complete < invoke) {
      throw new IllegalArgumentException("completes (" + complete + ") before it is invoked (" + invoke + ")");
    }
    int expected = kind.fieldCount(outcome);
    if (fields.size() != expected) {
      throw new IllegalArgumentException(kind.token() + " " + outcome + " takes " + expected + " field(s) "
          + fieldNames(kind, outcome) + ", got " + fields.size() + " " + fields);
    }
    for (String f : fields) {
      if (!isToken(f)) {
        throw new IllegalArgumentException("field must be non-empty with no whitespace: '" + f + "'");
      }
    }
    switch (kind) {
      case INC, CGET, ACQUIRE, RELEASE -> {
        if (!fields.isEmpty()) {
          parseLong(fields.get(0), kind);
        }
      }
      case WRITE -> requireValue(fields.get(0), "written value");
      case READ -> { }
      case CAS -> {
        requireValue(fields.get(0), "expected value");
        requireValue(fields.get(1), "new value");
        if (outcome == Outcome.OK && !fields.get(2).equals("true") && !fields.get(2).equals("false")) {
          throw new IllegalArgumentException("cas result must be true or false, got '" + fields.get(2) + "'");
        }
      }
      default -> throw new AssertionError(kind);
    }
  }

  /** An operation from its line-format fields. */
  public static Op of(int process, Kind kind, String key, long invoke, long complete, Outcome outcome,
                      String... fields) {
    return new Op(process, kind, key, invoke, complete, outcome, List.of(fields));
  }

  /** A counter incrementAndGet; {@code value} is the returned value when OK, null otherwise. */
  public static Op inc(int process, String key, long invoke, long complete, Outcome outcome, Long value) {
    return new Op(process, Kind.INC, key, invoke, complete, outcome, result(outcome, value));
  }

  /** A counter get; {@code value} is the value read when OK, null otherwise. */
  public static Op cget(int process, String key, long invoke, long complete, Outcome outcome, Long value) {
    return new Op(process, Kind.CGET, key, invoke, complete, outcome, result(outcome, value));
  }

  /** A lock acquisition; {@code token} is the fencing token when OK, null otherwise. */
  public static Op acquire(int process, String key, long invoke, long complete, Outcome outcome, Long token) {
    return new Op(process, Kind.ACQUIRE, key, invoke, complete, outcome, result(outcome, token));
  }

  /** A lock release of the hold with fencing token {@code token}. */
  public static Op release(int process, String key, long invoke, long complete, Outcome outcome, long token) {
    return new Op(process, Kind.RELEASE, key, invoke, complete, outcome, List.of(Long.toString(token)));
  }

  /** A map put of {@code value}. */
  public static Op write(int process, String key, long invoke, long complete, Outcome outcome, String value) {
    return new Op(process, Kind.WRITE, key, invoke, complete, outcome, List.of(value));
  }

  /** A map get; when OK {@code value} is what it returned (null: absent); ignored otherwise. */
  public static Op read(int process, String key, long invoke, long complete, Outcome outcome, String value) {
    return new Op(process, Kind.READ, key, invoke, complete, outcome,
        outcome == Outcome.OK ? List.of(value == null ? NIL : value) : List.of());
  }

  /** A map replaceIfPresent(key, expected, update); {@code swapped} is its result when OK, null otherwise. */
  public static Op cas(int process, String key, long invoke, long complete, Outcome outcome, String expected,
                       String update, Boolean swapped) {
    List<String> f = new ArrayList<>(List.of(expected, update));
    if (outcome == Outcome.OK) {
      f.add(Boolean.toString(Objects.requireNonNull(swapped, "an OK cas needs its result")));
    }
    return new Op(process, Kind.CAS, key, invoke, complete, outcome, f);
  }

  public boolean isOk() {
    return outcome == Outcome.OK;
  }

  public boolean isFail() {
    return outcome == Outcome.FAIL;
  }

  public boolean isInfo() {
    return outcome == Outcome.INFO;
  }

  /** The completion the checkers use: +infinity ({@link Long#MAX_VALUE}) for an INFO operation. */
  public long effectiveComplete() {
    return isInfo() ? Long.MAX_VALUE : complete;
  }

  /** True when this completed strictly before {@code other} was invoked (so it must take effect first). */
  public boolean precedes(Op other) {
    return effectiveComplete() < other.invoke;
  }

  /** The number field: an OK inc's or cget's value, an OK acquire's token, a release's token. */
  public long number() {
    if (!(kind == Kind.RELEASE || (isOk() && (kind == Kind.INC || kind == Kind.CGET || kind == Kind.ACQUIRE)))) {
      throw new IllegalStateException("no number in " + toLine());
    }
    return Long.parseLong(fields.get(0));
  }

  /** The value of a write, or of an OK read (null when it read {@code nil}). */
  public String value() {
    if (kind == Kind.WRITE) {
      return fields.get(0);
    }
    if (kind == Kind.READ && isOk()) {
      return fields.get(0).equals(NIL) ? null : fields.get(0);
    }
    throw new IllegalStateException("no value in " + toLine());
  }

  /** A cas's expected value. */
  public String expected() {
    requireKind(Kind.CAS);
    return fields.get(0);
  }

  /** A cas's new value. */
  public String update() {
    requireKind(Kind.CAS);
    return fields.get(1);
  }

  /** An OK cas's result. */
  public boolean swapped() {
    requireKind(Kind.CAS);
    if (!isOk()) {
      throw new IllegalStateException("no result in " + toLine());
    }
    return Boolean.parseBoolean(fields.get(2));
  }

  /** The line format: {@code H <process> <kind> <key> <invoke> <complete> <outcome> [fields...]}. */
  public String toLine() {
    StringBuilder b = new StringBuilder("H ").append(process).append(' ').append(kind.token()).append(' ')
        .append(key).append(' ').append(invoke).append(' ').append(complete).append(' ').append(outcome);
    for (String f : fields) {
      b.append(' ').append(f);
    }
    return b.toString();
  }

  /** For reports: times in milliseconds relative to {@code origin}, the INFO completion marked open. */
  public String describe(long origin) {
    StringBuilder b = new StringBuilder("p").append(process).append(' ').append(kind.token()).append(' ')
        .append(key);
    for (String f : fields) {
      b.append(' ').append(f);
    }
    b.append(' ').append(outcome).append(" [").append(millis(invoke - origin)).append(" .. ")
        .append(millis(complete - origin)).append(isInfo() ? "+, open]" : "]");
    return b.toString();
  }

  @Override
  public String toString() {
    return toLine();
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.3fms", nanos / 1e6);
  }

  private void requireKind(Kind k) {
    if (kind != k) {
      throw new IllegalStateException("not a " + k.token() + ": " + toLine());
    }
  }

  private static List<String> result(Outcome outcome, Long value) {
    if (outcome == Outcome.OK) {
      return List.of(Long.toString(Objects.requireNonNull(value, "an OK operation needs its result")));
    }
    return List.of();
  }

  private static void parseLong(String s, Kind kind) {
    try {
      Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(kind.token() + " needs an integer, got '" + s + "'");
    }
  }

  private static void requireValue(String s, String what) {
    if (s.equals(NIL)) {
      throw new IllegalArgumentException(what + " cannot be '" + NIL + "' (it spells an absent value)");
    }
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static String fieldNames(Kind kind, Outcome outcome) {
    String always = switch (kind) {
      case RELEASE -> "<token>";
      case WRITE -> "<value>";
      case CAS -> "<expected> <new>";
      default -> "";
    };
    String ok = outcome != Outcome.OK ? "" : switch (kind) {
      case INC, CGET -> "<value>";
      case ACQUIRE -> "<token>";
      case READ -> "<value|nil>";
      case CAS -> "<true|false>";
      default -> "";
    };
    String all = (always + " " + ok).trim();
    return all.isEmpty() ? "(none)" : "(" + all + ")";
  }
}
