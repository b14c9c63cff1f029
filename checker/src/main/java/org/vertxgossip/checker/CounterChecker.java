package org.vertxgossip.checker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks counters that start at 0 and only grow by 1 per increment. A counter's history is linearizable only
 * if its values agree with how many increments could have happened and with real time; these checks are those
 * consequences, each cheap (O(n log n)) and each naming the operations that break it:
 * <ul>
 *   <li>the final value lies in [A, A + I] (A acknowledged, I indeterminate increments): below A an
 *       acknowledged increment was lost, above A + I one was applied that no client issued or a FAIL took
 *       effect;</li>
 *   <li>no two OK increments return the same value, and each lies in [1, final];</li>
 *   <li>real-time order: an operation invoked after an OK increment or get completed sees a larger value (an
 *       increment) or one at least as large (a get);</li>
 *   <li>no value from the future: an OK increment or get returns at most the number of increments (OK or INFO)
 *       invoked before it completed.</li>
 * </ul>
 */
public final class CounterChecker {

  private CounterChecker() {
  }

  /**
   * @param history the run; only {@code inc} and {@code cget} operations are looked at
   * @param finalValues each counter's value read once the run was over; a counter missing here skips the
   *     checks that need it (its upper bound is then A + I)
   */
  public static CounterResult check(History history, Map<String, Long> finalValues) {
    Map<String, List<Op>> byKey = new LinkedHashMap<>(history.byKey(Kind.Family.COUNTER));
    Set<String> keys = new LinkedHashSet<>(byKey.keySet());
    keys.addAll(new TreeMap<>(finalValues).keySet());
    long origin = history.origin();
    Violations v = new Violations();
    List<CounterResult.KeyCounts> counts = new ArrayList<>();
    for (String key : keys) {
      counts.add(checkKey(key, byKey.getOrDefault(key, List.of()), finalValues.get(key), origin, v));
    }
    return new CounterResult(counts, v.count(), v.described());
  }

  private static CounterResult.KeyCounts checkKey(String key, List<Op> ops, Long fin, long origin, Violations v) {
    long acked = 0;
    long failed = 0;
    long info = 0;
    List<Op> okIncs = new ArrayList<>();
    List<Op> okReads = new ArrayList<>();
    List<Long> liveInvokes = new ArrayList<>();
    for (Op op : ops) {
      if (op.kind() == Kind.INC) {
        switch (op.outcome()) {
          case OK -> {
            acked++;
            okIncs.add(op);
          }
          case FAIL -> failed++;
          case INFO -> info++;
          default -> throw new AssertionError(op);
        }
        if (!op.isFail()) {
          liveInvokes.add(op.invoke());
        }
      } else if (op.isOk()) {
        okReads.add(op);
      }
    }
    String c = "counter " + key + ": ";
    long lost = 0;
    if (fin != null) {
      if (fin < acked) {
        lost = acked - fin;
        v.add(c + "lost " + lost + " acknowledged increment(s): " + acked + " acknowledged, final value " + fin);
      } else if (fin > acked + info) {
        v.add(c + "final value " + fin + " exceeds " + acked + " acknowledged + " + info
            + " indeterminate increments (an increment took effect that no client issued, or a FAIL took effect)");
      }
    }

    long duplicates = 0;
    Map<Long, List<Op>> byValue = new TreeMap<>();
    for (Op op : okIncs) {
      byValue.computeIfAbsent(op.number(), x -> new ArrayList<>()).add(op);
    }
    for (Map.Entry<Long, List<Op>> e : byValue.entrySet()) {
      if (e.getValue().size() > 1) {
        duplicates += e.getValue().size() - 1;
        v.add(c + "value " + e.getKey() + " returned by " + e.getValue().size() + " increments: "
            + describe(e.getValue(), origin));
      }
    }

    long upper = fin != null ? fin : acked + info;
    String bound = fin != null ? "the final value " + fin : acked + " acknowledged + " + info + " indeterminate";
    long outOfRange = 0;
    for (Op op : okIncs) {
      if (op.number() < 1 || op.number() > upper) {
        outOfRange++;
        v.add(c + op.describe(origin) + " returned a value outside [1, " + bound + "]");
      }
    }
    for (Op op : okReads) {
      if (op.number() < 0 || op.number() > upper) {
        outOfRange++;
        v.add(c + op.describe(origin) + " read a value outside [0, " + bound + "]");
      }
    }

    List<Op> observed = new ArrayList<>(okIncs);
    observed.addAll(okReads);
    long order = realTimeOrder(c, observed, origin, v) + noValueFromFuture(c, observed, liveInvokes, origin, v);
    return new CounterResult.KeyCounts(key, acked, failed, info, fin, lost, duplicates, outOfRange, order);
  }

  /** Sweeps the OK operations by invocation against those completed before, keeping the largest value seen. */
  private static long realTimeOrder(String c, List<Op> observed, long origin, Violations v) {
    List<Op> byComplete = new ArrayList<>(observed);
    byComplete.sort(Comparator.comparingLong(Op::complete));
    List<Op> byInvoke = new ArrayList<>(observed);
    byInvoke.sort(Comparator.comparingLong(Op::invoke));
    long violations = 0;
    int j = 0;
    Op max = null;
    for (Op t : byInvoke) {
      while (j < byComplete.size() && byComplete.get(j).complete() < t.invoke()) {
        Op e = byComplete.get(j++);
        if (max == null || e.number() > max.number()) {
          max = e;
        }
      }
      if (max == null) {
        continue;
      }
      boolean inc = t.kind() == Kind.INC;
      if (inc ? t.number() <= max.number() : t.number() < max.number()) {
        violations++;
        v.add(c + t.describe(origin) + " was invoked after " + max.describe(origin) + " completed, yet "
            + (inc ? "returned a value not above it" : "read a smaller value"));
      }
    }
    return violations;
  }

  /** An OK operation can see at most as many increments as had been invoked (and not refused) by its end. */
  private static long noValueFromFuture(String c, List<Op> observed, List<Long> liveInvokes, long origin,
                                        Violations v) {
    long[] invokes = liveInvokes.stream().mapToLong(Long::longValue).sorted().toArray();
    long violations = 0;
    for (Op t : observed) {
      int possible = upperBound(invokes, t.complete());
      if (t.number() > possible) {
        violations++;
        v.add(c + t.describe(origin) + " saw " + t.number() + " but only " + possible
            + " non-failed increment(s) had been invoked by its completion");
      }
    }
    return violations;
  }

  /** The number of elements of sorted {@code a} that are at most {@code x}. */
  private static int upperBound(long[] a, long x) {
    int i = Arrays.binarySearch(a, x);
    if (i < 0) {
      return -i - 1;
    }
    while (i < a.length && a[i] == x) {
      i++;
    }
    return i;
  }

  static String describe(List<Op> ops, long origin) {
    StringBuilder b = new StringBuilder();
    for (Op op : ops) {
      b.append(b.length() == 0 ? "" : "; ").append(op.describe(origin));
    }
    return b.toString();
  }
}
