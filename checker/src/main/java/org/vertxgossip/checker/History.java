package org.vertxgossip.checker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The operations of one test run, in the order they were added. Built in-process with {@link #add} (the
 * simulator) or read from the lines client JVMs print with {@link #parse} (the multi-process tests); the
 * checkers take it whole and partition it by key themselves.
 */
public final class History {

  private final List<Op> ops = new ArrayList<>();

  public History() {
  }

  public History(Collection<Op> ops) {
    this.ops.addAll(ops);
  }

  /** Records a finished operation; safe to call from several threads. */
  public synchronized History add(Op op) {
    ops.add(Objects.requireNonNull(op, "op"));
    return this;
  }

  /** A snapshot of the operations, in the order added. */
  public synchronized List<Op> ops() {
    return List.copyOf(ops);
  }

  public synchronized int size() {
    return ops.size();
  }

  /** The operations of one family, grouped by key (keys in first-seen order), each list ordered by invocation. */
  public Map<String, List<Op>> byKey(Kind.Family family) {
    Map<String, List<Op>> out = new LinkedHashMap<>();
    for (Op op : ops()) {
      if (op.kind().family() == family) {
        out.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
      }
    }
    for (List<Op> l : out.values()) {
      l.sort(Comparator.comparingLong(Op::invoke).thenComparingLong(Op::complete));
    }
    return out;
  }

  /** The earliest invocation, the origin reports measure times from (0 when empty). */
  public long origin() {
    return ops().stream().mapToLong(Op::invoke).min().orElse(0);
  }

  /** The history in the line format, one line per operation. */
  public List<String> toLines() {
    return ops().stream().map(Op::toLine).toList();
  }

  /**
   * Reads the operations out of collected output: lines not starting with {@code "H "} are ignored (other log
   * output may be interleaved); an H-line that is malformed is rejected with a {@link HistoryFormatException}
   * naming it. Trailing whitespace (a carriage return) is tolerated.
   */
  public static History parse(Collection<String> lines) {
    History h = new History();
    int n = 0;
    for (String line : lines) {
      n++;
      if (line != null && line.startsWith("H ")) {
        h.add(parseLine(n, line));
      }
    }
    return h;
  }

  /** One H-line; {@code lineNumber} only labels the exception. */
  public static Op parseLine(int lineNumber, String line) {
    String[] t = line.strip().split(" +");
    if (t.length < 7) {
      throw new HistoryFormatException(lineNumber, line,
          "expected 'H <process> <kind> <key> <invokeNanos> <completeNanos> <outcome> [fields...]'");
    }
    int process;
    try {
      process = Integer.parseInt(t[1]);
    } catch (NumberFormatException e) {
      throw new HistoryFormatException(lineNumber, line, "process '" + t[1] + "' is not an int");
    }
    Kind kind = Kind.fromToken(t[2]);
    if (kind == null) {
      throw new HistoryFormatException(lineNumber, line, "unknown kind '" + t[2] + "'");
    }
    long invoke = parseNanos(lineNumber, line, t[4], "invokeNanos");
    long complete = parseNanos(lineNumber, line, t[5], "completeNanos");
    Outcome outcome;
    try {
      outcome = Outcome.valueOf(t[6]);
    } catch (IllegalArgumentException e) {
      throw new HistoryFormatException(lineNumber, line, "outcome '" + t[6] + "' is not OK, FAIL or INFO");
    }
    try {
      return new Op(process, kind, t[3], invoke, complete, outcome, List.of(t).subList(7, t.length));
    } catch (IllegalArgumentException e) {
      throw new HistoryFormatException(lineNumber, line, e.getMessage());
    }
  }

  private static long parseNanos(int lineNumber, String line, String s, String what) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new HistoryFormatException(lineNumber, line, what + " '" + s + "' is not a long");
    }
  }
}
