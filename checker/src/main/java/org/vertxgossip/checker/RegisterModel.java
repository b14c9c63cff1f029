package org.vertxgossip.checker;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One map entry as a register: absent ({@code null}, printed {@code nil}) at first; {@code write} sets it,
 * {@code read} returns it, {@code cas} (replaceIfPresent) sets it to the new value only when it equals the
 * expected one and reports whether it did. An INFO operation has no recorded result, so wherever it is placed
 * it is legal (a cas then applies only if the value matches).
 *
 * <p>Built per key from that key's operations, because what they observe keeps the search small. A value is
 * observed when an OK read returned it or a cas expected it. Every unobserved value behaves alike (no read
 * returns it, no cas matches it, every cas refusal holds in it), so the model keeps them as one state. The rest
 * rests on one argument: an INFO operation placed where nothing after it (up to the next write) could tell
 * whether it took effect can be removed from the linearization, together with the INFO cas after it that were
 * no-ops there; and one that only makes the value differ can be moved to just before the first operation that
 * needs that.
 * <ul>
 *   <li>An INFO write or cas of an observed value v has a deadline: the latest completion among the operations
 *       observing v. Placed after all of those, it is as good as one setting an unobserved value, its
 *       fallback.</li>
 *   <li>An INFO write of an unobserved value only makes an OK cas refusal (a cas that reported false) legal;
 *       an INFO cas from e to an unobserved value, only one expecting e. The search offers them only just
 *       before such a refusal that needs them, and drops them when there is none.</li>
 * </ul>
 * FAIL operations and INFO reads are dropped too; as dropping an INFO cas removes what it observed, this is
 * repeated until nothing more goes.
 */
public final class RegisterModel implements Model<String> {

  /** The one state every unobserved value is kept as; it has a space, which no recorded value has. */
  static final String UNOBSERVED = "(unobserved value)";

  private final List<Op> source;
  private final List<Op> kept;
  /** Per observed value, the latest completion of an operation observing it (MAX_VALUE: an INFO one). */
  private final Map<String, Long> observedUntil = new HashMap<>();
  /** The values some OK cas expected and was refused (reported false). */
  private final Set<String> refusedExpecting = new HashSet<>();
  /** A value no operation observes, for the fallback operations. */
  private final String unobservedToken;

  private RegisterModel(List<Op> ops) {
    this.source = ops;
    List<Op> live = ops.stream().filter(op -> !op.isFail() && !(op.isInfo() && op.kind() == Kind.READ)).toList();
    for (Op op : live) {
      if (op.kind() == Kind.CAS && op.isOk() && !op.swapped()) {
        refusedExpecting.add(op.expected());
      }
    }
    while (true) {
      observedUntil.clear();
      for (Op op : live) {
        if (op.kind() == Kind.READ && op.value() != null) {
          observedUntil.merge(op.value(), op.complete(), Math::max);
        } else if (op.kind() == Kind.CAS) {
          observedUntil.merge(op.expected(), op.effectiveComplete(), Math::max);
        }
      }
      List<Op> next = live.stream().filter(op -> !op.isInfo() || !infoEnablerOnly(op) || enables(op)).toList();
      if (next.size() == live.size()) {
        break;
      }
      live = next;
    }
    kept = live;
    String token = "~unobserved";
    while (observedUntil.containsKey(token)) {
      token += "~";
    }
    unobservedToken = token;
  }

  /** The model for one key, from that key's operations (the ones {@link #relevant} will be given). */
  public static RegisterModel of(List<Op> ops) {
    return new RegisterModel(ops);
  }

  @Override
  public String initial() {
    return null;
  }

  @Override
  public boolean legal(String state, Op op) {
    return switch (op.kind()) {
      case WRITE -> true;
      case READ -> !op.isOk() || Objects.equals(state, op.value());
      case CAS -> !op.isOk() || op.swapped() == op.expected().equals(state);
      default -> throw new IllegalArgumentException("not a register operation: " + op);
    };
  }

  @Override
  public String apply(String state, Op op) {
    return switch (op.kind()) {
      case WRITE -> canonical(op.value());
      case READ -> state;
      case CAS -> op.expected().equals(state) ? canonical(op.update()) : state;
      default -> throw new IllegalArgumentException("not a register operation: " + op);
    };
  }

  private boolean observed(String value) {
    return observedUntil.containsKey(value);
  }

  private String canonical(String value) {
    return observed(value) ? value : UNOBSERVED;
  }

  /** The value an INFO write or cas would set, or null for a read. */
  private static String written(Op op) {
    return switch (op.kind()) {
      case WRITE -> op.value();
      case CAS -> op.update();
      default -> null;
    };
  }

  /** The operations the model was built from, less FAIL ones, INFO reads and INFO writes nothing could need. */
  @Override
  public List<Op> relevant(List<Op> ops) {
    if (ops != source && !ops.equals(source)) {
      throw new IllegalArgumentException("a RegisterModel checks the operations it was built from");
    }
    return kept;
  }

  /** See the class comment: for an observed value, the latest completion of an operation observing it. */
  @Override
  public long infoDeadline(Op op) {
    String value = written(op);
    return value != null && observed(value) ? observedUntil.get(value) : Long.MAX_VALUE;
  }

  /** Whether an INFO operation that sets an unobserved value could make some refusal legal. */
  private boolean enables(Op op) {
    return op.kind() == Kind.WRITE ? !refusedExpecting.isEmpty() : refusedExpecting.contains(op.expected());
  }

  @Override
  public boolean infoEnablerOnly(Op op) {
    String value = written(op);
    return value != null && !observed(value);
  }

  @Override
  public Op infoFallback(Op op) {
    if (infoEnablerOnly(op) || infoDeadline(op) == Long.MAX_VALUE) {
      return null;
    }
    Op fallback = op.kind() == Kind.WRITE
        ? Op.write(op.process(), op.key(), op.invoke(), op.complete(), Outcome.INFO, unobservedToken)
        : Op.cas(op.process(), op.key(), op.invoke(), op.complete(), Outcome.INFO, op.expected(), unobservedToken,
            null);
    return enables(fallback) ? fallback : null;
  }

  @Override
  public Object infoEffect(Op op) {
    return switch (op.kind()) {
      case WRITE -> List.of(Kind.WRITE, canonical(op.value()));
      case CAS -> List.of(Kind.CAS, op.expected(), canonical(op.update()));
      default -> Model.super.infoEffect(op);
    };
  }

  @Override
  public String format(String state) {
    return state == null ? Op.NIL : state;
  }
}
