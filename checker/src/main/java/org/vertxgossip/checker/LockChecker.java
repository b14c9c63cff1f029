package org.vertxgossip.checker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks mutual exclusion and fencing. A hold is the span in which a client may act as the lock's owner: it
 * begins when the client learns it holds the lock (its OK acquire completes) and ends when the client gives it
 * up (it invokes its next release of that lock), or when the client was lost (killed, paused, removed) if that
 * came first, since the lock may then rightly be granted to another; with neither it lasts to the end.
 * Measured that way no two holds of a lock may overlap, and fencing tokens must rise strictly in the order holds
 * begin (a resource guarded by them must be able to refuse every older holder), with no token granted twice.
 * INFO acquisitions are not holds: their client does not know it holds the lock and must not act on it.
 */
public final class LockChecker {

  private LockChecker() {
  }

  private record Hold(Op acquire, long begin, long end, String endedBy) {
    long token() {
      return acquire.number();
    }
  }

  /**
   * @param history the run; only {@code acquire} and {@code release} operations are looked at
   * @param lostAtNanos per process, when it was killed, paused or removed from the cluster (absent: never)
   */
  public static LockResult check(History history, Map<Integer, Long> lostAtNanos) {
    long origin = history.origin();
    Violations v = new Violations();
    List<LockResult.KeyCounts> counts = new ArrayList<>();
    for (Map.Entry<String, List<Op>> e : history.byKey(Kind.Family.LOCK).entrySet()) {
      counts.add(checkKey(e.getKey(), e.getValue(), lostAtNanos, origin, v));
    }
    return new LockResult(counts, v.count(), v.described());
  }

  private static LockResult.KeyCounts checkKey(String key, List<Op> ops, Map<Integer, Long> lostAtNanos,
                                               long origin, Violations v) {
    String c = "lock " + key + ": ";
    long ok = 0;
    long fail = 0;
    long info = 0;
    long mismatches = 0;
    Map<Integer, List<Op>> byProcess = new LinkedHashMap<>();
    for (Op op : ops) {
      byProcess.computeIfAbsent(op.process(), p -> new ArrayList<>()).add(op);
      if (op.kind() == Kind.ACQUIRE) {
        switch (op.outcome()) {
          case OK -> ok++;
          case FAIL -> fail++;
          case INFO -> info++;
          default -> throw new AssertionError(op);
        }
      }
    }

    List<Hold> holds = new ArrayList<>();
    for (Map.Entry<Integer, List<Op>> e : byProcess.entrySet()) {
      Long lostAt = lostAtNanos.get(e.getKey());
      List<Op> pending = new ArrayList<>();
      for (Op op : e.getValue()) {
        if (op.kind() == Kind.ACQUIRE && op.isOk()) {
          pending.add(op);
        } else if (op.kind() == Kind.RELEASE) {
          for (Op acquire : pending) {
            if (acquire.number() != op.number()) {
              mismatches++;
              v.add(c + op.describe(origin) + " names token " + op.number() + " but ends the hold of "
                  + acquire.describe(origin));
            }
            addHold(holds, hold(acquire, op.invoke(), "released by " + op.describe(origin), lostAt, origin));
          }
          pending.clear();
        }
      }
      for (Op acquire : pending) {
        addHold(holds, hold(acquire, Long.MAX_VALUE, "never released", lostAt, origin));
      }
    }
    holds.sort(Comparator.comparingLong(Hold::begin).thenComparingLong(Hold::token));

    long overlaps = 0;
    Hold longest = null;
    for (Hold h : holds) {
      if (longest != null && h.begin() < longest.end()) {
        overlaps++;
        v.add(c + "hold of " + h.acquire().describe(origin) + " began while the hold of "
            + longest.acquire().describe(origin) + " (" + longest.endedBy() + ") had not ended");
      }
      if (longest == null || h.end() > longest.end()) {
        longest = h;
      }
    }

    long order = 0;
    long duplicates = 0;
    Hold highest = null;
    Map<Long, Hold> granted = new HashMap<>();
    for (Hold h : holds) {
      Hold first = granted.putIfAbsent(h.token(), h);
      if (first != null) {
        duplicates++;
        v.add(c + "token " + h.token() + " granted twice: " + first.acquire().describe(origin) + " and "
            + h.acquire().describe(origin));
      } else if (highest != null && h.token() < highest.token()) {
        order++;
        v.add(c + "token " + h.token() + " of " + h.acquire().describe(origin) + " is below token "
            + highest.token() + " of the earlier hold " + highest.acquire().describe(origin));
      }
      if (highest == null || h.token() > highest.token()) {
        highest = h;
      }
    }
    long lost = holds.stream().filter(h -> h.endedBy().startsWith("lost")).count();
    long open = holds.stream().filter(h -> h.end() == Long.MAX_VALUE).count();
    return new LockResult.KeyCounts(key, ok, fail, info, holds.size(), lost, open, overlaps, order, duplicates,
        mismatches);
  }

  private static void addHold(List<Hold> holds, Hold h) {
    if (h != null) {
      holds.add(h);
    }
  }

  private static Hold hold(Op acquire, long releasedAt, String releasedBy, Long lostAt, long origin) {
    long begin = acquire.complete();
    if (lostAt != null && lostAt < begin && acquire.invoke() <= lostAt) {
      // Granted to a process already lost (its answer arrived after it was killed, paused or removed): the cluster
      // may have freed the lock before the process even saw the grant, so it holds nothing a live process must
      // respect (the fencing token is what protects a resource from it).
      return null;
    }
    if (lostAt != null && acquire.invoke() <= lostAt && lostAt >= begin && lostAt < releasedAt) {
      return new Hold(acquire, begin, lostAt, String.format(Locale.ROOT, "lost at %.3fms",
          (lostAt - origin) / 1e6));
    }
    return new Hold(acquire, begin, releasedAt, releasedBy);
  }
}
