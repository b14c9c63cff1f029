package org.vertxgossip.checker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The search behind {@link LinearizabilityChecker}: Wing and Gong's, with Lowe's memoisation, over Lowe's (and
 * Porcupine's) doubly linked list of call and return entries in time order.
 *
 * <p>The walk starts at the head. At a call it tries to place that operation now: legal in the current state,
 * and the resulting configuration (the set of operations resolved, the state) not explored before. If so it
 * lifts the call and its return out of the list, pushes the step and starts again from the head. Reaching a
 * return means that operation was not placed before it completed: the search pops the last step, restores its
 * entries and tries what is left at that entry (see below), then the calls after it. It succeeds once every
 * operation with a finite completion is placed.
 *
 * <p>INFO operations may take effect at any time after their invocation, or never; the ones never placed count
 * as never having taken effect, so they have no return unless the model gives them a deadline. Reaching the
 * return of an unplaced one at its deadline, the search resolves it without effect (a step like any other,
 * undone on backtracking) instead of backtracking; if the model gives it a fallback, that operation (a "twin",
 * from the same invocation) becomes available then, and is excluded if the original is placed instead. An
 * "enabler" (see {@link Model#infoEnablerOnly}) is offered only together with a call that is illegal without
 * it: these are the further alternatives at a call. INFO operations with equal effects and deadlines are
 * interchangeable, so of those available only the earliest invoked is offered: k of them cost k + 1
 * configurations rather than 2^k.
 *
 * @param <S> the model's state
 */
final class LinearizabilitySearch<S> {

  /** What the search concluded, how much it explored, and where it got furthest. */
  record Outcome(LinearizabilityResult.Verdict verdict, long states, int bestDepth, int failingOp,
                 String stateThere, List<Integer> placedBefore) {
  }

  /** A list entry: an operation's call or return. */
  private static final class Entry {
    final int id;
    final boolean call;
    final long time;
    Entry match;
    Entry prev;
    Entry next;

    Entry(int id, boolean call, long time) {
      this.id = id;
      this.call = call;
      this.time = time;
    }
  }

  /** Step kinds: an operation placed (alternative 0) or placed after an enabler (1..), or one resolved. */
  private static final int RESOLVED = -2;
  private static final int SHOWN_BEFORE = 3;
  private static final int NONE = -1;

  private final Model<S> model;
  private final long maxStates;
  /** The operations (the first {@code original} are the caller's, sorted by invocation), then the twins. */
  private final List<Op> ops = new ArrayList<>();
  private final int original;
  private final long[] returns;
  private final boolean[] enabler;
  private final int[] twin;
  private final int[] parent;
  private final int[] group;
  private final int[] rank;
  private final int[][] members;
  /** The groups of enablers, the alternatives after the first at a call. */
  private final int[] enablerGroups;
  private final int[] firstCandidate;
  private final boolean[] dirty;
  private final Entry[] calls;
  private final long[] words;
  private final LinearizationCache cache = new LinearizationCache();

  private long setHash;
  private S state;

  LinearizabilitySearch(List<Op> sortedOps, Model<S> model, long maxStates) {
    this.model = model;
    this.maxStates = maxStates;
    this.original = sortedOps.size();
    ops.addAll(sortedOps);
    List<Integer> parents = new ArrayList<>();
    for (int i = 0; i < original; i++) {
      Op op = ops.get(i);
      if (op.isInfo() && !model.infoEnablerOnly(op) && model.infoDeadline(op) != Long.MAX_VALUE) {
        Op fallback = model.infoFallback(op);
        if (fallback != null) {
          if (!fallback.isInfo()) {
            throw new IllegalArgumentException("a fallback must be an INFO operation: " + fallback);
          }
          ops.add(fallback);
          parents.add(i);
        }
      }
    }
    int n = ops.size();
    returns = new long[n];
    enabler = new boolean[n];
    twin = new int[n];
    parent = new int[n];
    Arrays.fill(twin, NONE);
    Arrays.fill(parent, NONE);
    for (int t = 0; t < parents.size(); t++) {
      twin[parents.get(t)] = original + t;
      parent[original + t] = parents.get(t);
    }
    for (int i = 0; i < n; i++) {
      Op op = ops.get(i);
      enabler[i] = op.isInfo() && model.infoEnablerOnly(op);
      boolean deadline = op.isInfo() && !enabler[i] && parent[i] == NONE;
      returns[i] = !op.isInfo() ? op.complete()
          : deadline ? Math.max(op.invoke(), model.infoDeadline(op)) : Long.MAX_VALUE;
    }

    group = new int[n];
    rank = new int[n];
    Arrays.fill(group, NONE);
    Map<List<Object>, List<Integer>> byEffect = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      if (ops.get(i).isInfo()) {
        byEffect.computeIfAbsent(List.of(model.infoEffect(ops.get(i)), returns[i], enabler[i]),
            x -> new ArrayList<>()).add(i);
      }
    }
    List<int[]> groups = new ArrayList<>();
    List<Integer> enablers = new ArrayList<>();
    for (List<Integer> g : byEffect.values()) {
      if (g.size() < 2 && !enabler[g.get(0)]) {
        continue;
      }
      g.sort(Comparator.<Integer>comparingLong(i -> ops.get(i).invoke()).thenComparingInt(i -> i));
      int[] m = g.stream().mapToInt(Integer::intValue).toArray();
      for (int r = 0; r < m.length; r++) {
        group[m[r]] = groups.size();
        rank[m[r]] = r;
      }
      if (enabler[m[0]]) {
        enablers.add(groups.size());
      }
      groups.add(m);
    }
    members = groups.toArray(new int[0][]);
    enablerGroups = enablers.stream().mapToInt(Integer::intValue).toArray();
    firstCandidate = new int[members.length];
    dirty = new boolean[members.length];
    Arrays.fill(dirty, true);
    calls = new Entry[n];
    words = new long[(n + 63) / 64];
  }

  Outcome run() {
    Entry head = buildList();
    int n = ops.size();
    Entry[] stack = new Entry[n];
    Object[] stackStates = new Object[n];
    int[] stackAlts = new int[n];
    int[] stackEnablers = new int[n];
    int depth = 0;
    int remaining = (int) ops.stream().filter(op -> !op.isInfo()).count();
    state = model.initial();
    int bestDepth = -1;
    int bestOp = -1;
    S bestState = state;
    List<Integer> bestBefore = List.of();

    Entry entry = head.next;
    int alt = 0;
    while (remaining > 0) {
      int id = entry.id;
      Op op = ops.get(id);
      int taken = NONE;
      int used = NONE;
      S before = state;
      if (entry.call) {
        for (int a = alt; a <= enablerGroups.length && taken == NONE; a++) {
          if (a == 0) {
            if (!enabler[id] && offered(id) && model.legal(state, op) && step(id, NONE, model.apply(state, op), true)) {
              taken = 0;
            }
          } else if (!op.isInfo() && !enabler[id] && offered(id) && !model.legal(state, op)) {
            int w = candidate(enablerGroups[a - 1], entry);
            if (w != NONE && model.legal(state, ops.get(w))) {
              S enabled = model.apply(state, ops.get(w));
              if (model.legal(enabled, op) && step(id, w, model.apply(enabled, op), true)) {
                taken = a;
                used = w;
              }
            }
          } else {
            break;
          }
        }
      } else if (op.isInfo() && offered(id) && step(id, NONE, state, false)) {
        taken = RESOLVED;
      }
      if (taken != NONE) {
        if (cache.size() > maxStates) {
          return new Outcome(LinearizabilityResult.Verdict.UNKNOWN, cache.size(), bestDepth, bestOp,
              model.format(bestState), bestBefore);
        }
        stack[depth] = calls[id];
        stackStates[depth] = before;
        stackAlts[depth] = taken;
        stackEnablers[depth++] = used;
        if (used != NONE) {
          lift(calls[used]);
        }
        lift(calls[id]);
        if (taken != RESOLVED && twin[id] != NONE) {
          lift(calls[twin[id]]);
        }
        if (!op.isInfo()) {
          remaining--;
        }
        entry = head.next;
        alt = 0;
        continue;
      }
      if (entry.call) {
        entry = entry.next;
        alt = 0;
        continue;
      }
      // The return of an operation not placed (nor resolvable): undo steps until one leaves something to try.
      if (depth > bestDepth) {
        bestDepth = depth;
        bestOp = id;
        bestState = state;
        List<Integer> last = new ArrayList<>();
        for (int d = depth - 1; d >= 0 && last.size() < SHOWN_BEFORE; d--) {
          if (stackAlts[d] != RESOLVED && stack[d].id < original) {
            last.add(0, stack[d].id);
          }
        }
        bestBefore = last;
      }
      while (true) {
        if (depth == 0) {
          return new Outcome(LinearizabilityResult.Verdict.VIOLATION, cache.size(), bestDepth, bestOp,
              model.format(bestState), bestBefore);
        }
        Entry top = stack[--depth];
        @SuppressWarnings("unchecked")
        S previous = (S) stackStates[depth];
        stack[depth] = null;
        stackStates[depth] = null;
        int t = top.id;
        int kind = stackAlts[depth];
        int w = stackEnablers[depth];
        if (kind != RESOLVED && twin[t] != NONE) {
          unlift(calls[twin[t]]);
        }
        unlift(top);
        if (w != NONE) {
          unlift(calls[w]);
        }
        unstep(t, kind != RESOLVED, w, previous);
        if (!ops.get(t).isInfo()) {
          remaining++;
        }
        if (kind != RESOLVED) {
          entry = top;
          alt = kind + 1;
          break;
        }
        // Undoing a resolution puts the search back at that return, where nothing is left to try.
      }
    }
    return new Outcome(LinearizabilityResult.Verdict.OK, cache.size(), bestDepth, bestOp,
        model.format(bestState), bestBefore);
  }

  /**
   * Places (or, if not {@code placed}, resolves without effect) operation {@code id}, with enabler {@code w}
   * before it unless NONE, reaching state {@code next}, if that configuration is new; placing an operation
   * with a twin excludes the twin. False leaves all as it was.
   */
  private boolean step(int id, int w, S next, boolean placed) {
    long h = setHash ^ zobrist(id);
    set(id);
    if (w != NONE) {
      h ^= zobrist(w);
      set(w);
    }
    boolean exclude = twin[id] != NONE && !isSet(twin[id]) && placed;
    if (exclude) {
      h ^= zobrist(twin[id]);
      set(twin[id]);
    }
    if (cache.add(mix(h ^ (hashOf(next) * 0x9E3779B97F4A7C15L)), words, next)) {
      setHash = h;
      state = next;
      return true;
    }
    clear(id);
    if (w != NONE) {
      clear(w);
    }
    if (exclude) {
      clear(twin[id]);
    }
    return false;
  }

  private void unstep(int id, boolean placed, int w, S previous) {
    clear(id);
    setHash ^= zobrist(id);
    if (w != NONE) {
      clear(w);
      setHash ^= zobrist(w);
    }
    if (placed && twin[id] != NONE) {
      clear(twin[id]);
      setHash ^= zobrist(twin[id]);
    }
    state = previous;
  }

  /**
   * The enabler of group {@code g} that may go just before {@code at}: the group's first candidate, if its call
   * comes before the first return still in the list (so placing it now respects real time).
   */
  private int candidate(int g, Entry at) {
    int first = first(g);
    if (first == Integer.MAX_VALUE) {
      return NONE;
    }
    int w = members[g][first];
    Entry e = at;
    while (e != null && e.call) {
      e = e.next;
    }
    return e == null || ops.get(w).invoke() <= e.time ? w : NONE;
  }

  /** Whether the search may place or resolve operation {@code id} now. */
  private boolean offered(int id) {
    if (parent[id] != NONE && !isSet(parent[id])) {
      return false;
    }
    return group[id] == NONE || first(group[id]) == rank[id];
  }

  /** The rank of the earliest-invoked member of group {@code g} available and unresolved (MAX_VALUE: none). */
  private int first(int g) {
    if (dirty[g]) {
      firstCandidate[g] = Integer.MAX_VALUE;
      for (int m : members[g]) {
        if (!isSet(m) && (parent[m] == NONE || isSet(parent[m]))) {
          firstCandidate[g] = rank[m];
          break;
        }
      }
      dirty[g] = false;
    }
    return firstCandidate[g];
  }

  private boolean isSet(int id) {
    return (words[id >>> 6] & (1L << id)) != 0;
  }

  private void set(int id) {
    words[id >>> 6] |= 1L << id;
    touch(id);
  }

  private void clear(int id) {
    words[id >>> 6] &= ~(1L << id);
    touch(id);
  }

  /** A change to an operation's bit changes which member of its group (or its twin's) comes first. */
  private void touch(int id) {
    if (group[id] != NONE) {
      dirty[group[id]] = true;
    }
    if (twin[id] != NONE && group[twin[id]] != NONE) {
      dirty[group[twin[id]]] = true;
    }
  }

  /** The entries in time order behind a sentinel head (see {@link #order} for equal times). */
  private Entry buildList() {
    int n = ops.size();
    Entry[] entries = new Entry[n * 2];
    for (int i = 0; i < n; i++) {
      Entry call = new Entry(i, true, ops.get(i).invoke());
      Entry ret = new Entry(i, false, returns[i]);
      call.match = ret;
      ret.match = call;
      calls[i] = call;
      entries[2 * i] = call;
      entries[2 * i + 1] = ret;
    }
    Arrays.sort(entries, Comparator.<Entry>comparingLong(e -> e.time).thenComparingInt(this::order)
        .thenComparingInt(e -> e.id));
    Entry head = new Entry(-1, false, Long.MIN_VALUE);
    Entry last = head;
    for (Entry e : entries) {
      last.next = e;
      e.prev = last;
      last = e;
    }
    return head;
  }

  /**
   * At equal times: calls first (operations that touch are concurrent), then completions, then INFO deadlines,
   * so that every operation completing by a deadline is placed before the search resolves the INFO operation
   * at it (its fallback must come after all of them).
   */
  private int order(Entry e) {
    return e.call ? 0 : ops.get(e.id).isInfo() ? 2 : 1;
  }

  /** Removes a call and its return from the list; they keep their links so {@link #unlift} can restore them. */
  private static void lift(Entry call) {
    call.prev.next = call.next;
    call.next.prev = call.prev;
    Entry ret = call.match;
    ret.prev.next = ret.next;
    if (ret.next != null) {
      ret.next.prev = ret.prev;
    }
  }

  private static void unlift(Entry call) {
    Entry ret = call.match;
    ret.prev.next = ret;
    if (ret.next != null) {
      ret.next.prev = ret;
    }
    call.prev.next = call;
    call.next.prev = call;
  }

  private static long hashOf(Object state) {
    return state == null ? 0x5bd1e995L : state.hashCode();
  }

  private static long zobrist(int id) {
    return mix(id + 0x632BE59BD9B4E019L);
  }

  /** SplitMix64's finaliser. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
