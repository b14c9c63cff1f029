package org.vertxgossip.checker;

import java.util.List;

/**
 * A sequential specification for {@link LinearizabilityChecker}: what one object does when operations are
 * applied to it one at a time, plus what the model can prove about INFO operations to narrow the search. States
 * must be immutable values ({@code equals}/{@code hashCode}; null allowed), since the search memoises them.
 *
 * @param <S> the object's state
 */
public interface Model<S> {

  /** The state before any operation. */
  S initial();

  /** Whether {@code op}, applied in {@code state}, could have produced the outcome recorded in it. */
  boolean legal(S state, Op op);

  /** The state after {@code op} is applied in {@code state}; called only when {@link #legal} said yes. */
  S apply(S state, Op op);

  /**
   * The operations the search must place: FAIL operations never happened, so by default they are dropped. A
   * model may drop more when it can prove that does not change the verdict.
   */
  default List<Op> relevant(List<Op> ops) {
    return ops.stream().filter(op -> !op.isFail()).toList();
  }

  /**
   * For an INFO operation, a time by which, if it took effect at all, it may be assumed to have: the search
   * then treats its completion as that time and, reaching it unplaced, drops the operation instead of
   * backtracking. Only sound if any linearization can be turned into one meeting it; by default there is none
   * ({@link Long#MAX_VALUE}: the operation stays pending to the end).
   */
  default long infoDeadline(Op op) {
    return Long.MAX_VALUE;
  }

  /**
   * For an INFO operation with a deadline, what it may still do once the deadline has passed with it unplaced,
   * or null (nothing: it is dropped). The search then offers this operation instead, from the original's
   * invocation on, unless the original was placed. It must be an INFO operation; its own fallback and deadline
   * are not asked (it has none).
   */
  default Op infoFallback(Op op) {
    return null;
  }

  /**
   * Whether an INFO operation is worth placing only immediately before an operation that is illegal without it
   * and legal after it: the search then offers it only so, as one step with that operation. Only sound if any
   * linearization can be rearranged so; by default no operation is.
   */
  default boolean infoEnablerOnly(Op op) {
    return false;
  }

  /**
   * For an INFO operation, what it does: two INFO operations with equal effects (and deadlines) are
   * interchangeable, so the search uses them in invocation order only, not in every order. Never null; by
   * default its kind and fields.
   */
  default Object infoEffect(Op op) {
    return List.of(op.kind(), op.fields());
  }

  /** A state for reports. */
  default String format(S state) {
    return String.valueOf(state);
  }
}
