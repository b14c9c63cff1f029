package org.vertxgossip.checker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Decides whether each map key's history is linearizable: that its operations could have taken effect one at a
 * time, each at an instant between its invocation and its completion, in an order a register allows. A history
 * is linearizable iff each object's is, so keys are checked apart. OK operations took effect; FAIL ones did not
 * (they are dropped); INFO ones may have, at any time after their invocation, or never. The search
 * ({@link LinearizabilitySearch}: Wing and Gong with Lowe's memoisation, as in Porcupine) is bounded; a key that
 * needs more configurations than the bound is reported unknown, neither passed nor failed.
 */
public final class LinearizabilityChecker {

  /** The default bound on the configurations explored per key. */
  public static final long DEFAULT_MAX_STATES = 1_000_000;

  /** Operations shown around the point a violation was found. */
  private static final int WINDOW = 16;

  private LinearizabilityChecker() {
  }

  /** {@link #checkRegisters(History, long)} with {@link #DEFAULT_MAX_STATES}. */
  public static LinearizabilityResult checkRegisters(History history) {
    return checkRegisters(history, DEFAULT_MAX_STATES);
  }

  /** Checks every map key's {@code write}, {@code read} and {@code cas} operations against {@link RegisterModel}. */
  public static LinearizabilityResult checkRegisters(History history, long maxStatesPerKey) {
    long origin = history.origin();
    List<LinearizabilityResult.KeyResult> keys = new ArrayList<>();
    for (Map.Entry<String, List<Op>> e : history.byKey(Kind.Family.REGISTER).entrySet()) {
      keys.add(checkRegister(e.getKey(), e.getValue(), maxStatesPerKey, origin));
    }
    return new LinearizabilityResult(keys);
  }

  /** Checks one map key's operations against {@link RegisterModel}; {@code origin} is where report times start. */
  public static LinearizabilityResult.KeyResult checkRegister(String key, List<Op> ops, long maxStates,
                                                              long origin) {
    return check(key, ops, RegisterModel.of(ops), maxStates, origin);
  }

  /**
   * Checks one object's operations against any model.
   *
   * @param key the object's name, for the report
   * @param ops its operations, any order
   * @param model its sequential specification
   * @param maxStates the bound on distinct configurations explored
   * @param origin the time reports measure from
   */
  public static <S> LinearizabilityResult.KeyResult check(String key, List<Op> ops, Model<S> model,
                                                           long maxStates, long origin) {
    List<Op> kept = new ArrayList<>(model.relevant(ops));
    kept.sort(Comparator.comparingLong(Op::invoke).thenComparingLong(Op::effectiveComplete));
    int dropped = ops.size() - kept.size();
    LinearizabilitySearch.Outcome out = new LinearizabilitySearch<>(kept, model, maxStates).run();
    String detail = switch (out.verdict()) {
      case OK -> "";
      case UNKNOWN -> "search bound of " + maxStates + " states exceeded";
      case VIOLATION -> explain(kept, out, origin);
    };
    return new LinearizabilityResult.KeyResult(key, out.verdict(), kept.size(), dropped, out.states(), detail);
  }

  /** The failing point: the operation the deepest partial linearization could not get past, and its neighbours. */
  private static String explain(List<Op> ops, LinearizabilitySearch.Outcome out, long origin) {
    Op f = ops.get(out.failingOp());
    List<Op> before = new ArrayList<>();
    List<Op> concurrent = new ArrayList<>();
    for (Op op : ops) {
      if (op == f) {
        continue;
      }
      if (op.precedes(f)) {
        before.add(op);
      } else if (!f.precedes(op)) {
        concurrent.add(op);
      }
    }
    before.sort(Comparator.comparingLong(Op::complete).reversed());
    concurrent.sort(Comparator.comparingLong(op -> Math.abs(op.invoke() - f.invoke())));
    List<Op> window = new ArrayList<>(concurrent.subList(0, Math.min(concurrent.size(), WINDOW - 5)));
    window.addAll(before.subList(0, Math.min(before.size(), WINDOW - 1 - window.size())));
    window.add(f);
    window.sort(Comparator.comparingLong(Op::invoke).thenComparingLong(Op::effectiveComplete));
    StringBuilder b = new StringBuilder("the longest partial linearization gets through ").append(out.bestDepth())
        .append(" of ").append(ops.size()).append(" operations");
    if (!out.placedBefore().isEmpty()) {
      b.append(" (last placed:");
      for (int id : out.placedBefore()) {
        b.append(' ').append(ops.get(id).describe(origin)).append(';');
      }
      b.setLength(b.length() - 1);
      b.append(')');
    }
    b.append(", leaving the value ").append(out.stateThere()).append(", and cannot place ")
        .append(f.describe(origin)).append(" before it completes. Operations around it:");
    for (Op op : window) {
      b.append("\n  ").append(op == f ? "> " : "  ").append(op.describe(origin));
    }
    return b.toString();
  }
}
