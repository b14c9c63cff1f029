package org.vertxgossip.checker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Test histories of one register. {@link #linearizable} runs a simulated atomic register: each operation takes
 * effect at one instant (its linearization point) inside its interval (for an INFO one, at any time after its
 * invocation, or never), so the history is linearizable by construction. {@link #bruteForce} is the definition
 * itself, for small histories: some order of the OK operations and some of the INFO ones that respects real
 * time and the register's semantics.
 */
final class RegisterHistories {

  private RegisterHistories() {
  }

  private static final class Planned {
    int process;
    Kind kind;
    long invoke;
    long complete;
    Outcome outcome;
    long point;
    boolean takesEffect;
    String value;
    String expected;
    String update;
    Boolean swapped;
  }

  /**
   * A linearizable history of {@code count} operations by {@code processes} clients on key {@code key}:
   * about 40 % writes of unique values, 45 % reads, 15 % cas; 90 % OK, {@code infoPercent} INFO, the rest FAIL.
   */
  static List<Op> linearizable(Random rnd, String key, int processes, int count, int infoPercent) {
    long[] cursor = new long[processes];
    for (int p = 0; p < processes; p++) {
      cursor[p] = rnd.nextInt(20);
    }
    List<Planned> plan = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int p = 0;
      for (int q = 1; q < processes; q++) {
        if (cursor[q] < cursor[p]) {
          p = q;
        }
      }
      Planned o = new Planned();
      o.process = p;
      int k = rnd.nextInt(100);
      o.kind = k < 40 ? Kind.WRITE : k < 85 ? Kind.READ : Kind.CAS;
      int out = rnd.nextInt(100);
      o.outcome = out < 100 - infoPercent - 4 ? Outcome.OK : out < 96 ? Outcome.INFO : Outcome.FAIL;
      o.invoke = cursor[p] + rnd.nextInt(5);
      long duration = 1 + rnd.nextInt(40);
      o.complete = o.invoke + duration;
      switch (o.outcome) {
        case OK -> {
          o.point = o.invoke + rnd.nextInt((int) duration + 1);
          o.takesEffect = true;
        }
        case INFO -> {
          o.point = o.invoke + rnd.nextInt((int) duration * 4 + 1);
          o.takesEffect = rnd.nextBoolean();
        }
        case FAIL -> o.takesEffect = false;
        default -> throw new AssertionError();
      }
      if (o.kind == Kind.WRITE) {
        o.value = "v" + i;
      }
      if (o.kind == Kind.CAS) {
        o.update = "v" + i;
      }
      cursor[p] = o.complete + rnd.nextInt(3);
      plan.add(o);
    }
    List<Planned> effective = new ArrayList<>(plan.stream().filter(o -> o.takesEffect).toList());
    effective.sort(Comparator.comparingLong(o -> o.point));
    List<String> written = new ArrayList<>();
    String state = null;
    for (Planned o : effective) {
      switch (o.kind) {
        case WRITE -> {
          state = o.value;
          written.add(o.value);
        }
        case READ -> o.value = state;
        case CAS -> {
          o.expected = state != null && (rnd.nextInt(100) < 60 || written.isEmpty()) ? state
              : written.isEmpty() ? "v-none" : written.get(rnd.nextInt(written.size()));
          o.swapped = o.expected.equals(state);
          if (o.swapped) {
            state = o.update;
            written.add(o.update);
          }
        }
        default -> throw new AssertionError();
      }
    }
    List<Op> ops = new ArrayList<>();
    for (Planned o : plan) {
      if (o.kind == Kind.CAS && o.expected == null) {
        o.expected = written.isEmpty() ? "v-none" : written.get(rnd.nextInt(written.size()));
      }
      ops.add(switch (o.kind) {
        case WRITE -> Op.write(o.process, key, o.invoke, o.complete, o.outcome, o.value);
        case READ -> Op.read(o.process, key, o.invoke, o.complete, o.outcome, o.value);
        case CAS -> Op.cas(o.process, key, o.invoke, o.complete, o.outcome, o.expected, o.update,
            o.outcome == Outcome.OK ? o.swapped : null);
        default -> throw new AssertionError();
      });
    }
    return ops;
  }

  /** A random, usually not linearizable, small history over values {a, b} (and nil). */
  static List<Op> arbitrary(Random rnd, String key, int processes, int count) {
    return arbitrary(rnd, key, processes, count, 20, new String[] {"a", "b"});
  }

  /** A random small history over {@code values} (and nil), about {@code infoPercent} of it INFO, 10 % FAIL. */
  static List<Op> arbitrary(Random rnd, String key, int processes, int count, int infoPercent, String[] values) {
    long[] cursor = new long[processes];
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int p = rnd.nextInt(processes);
      long invoke = cursor[p] + rnd.nextInt(4);
      long complete = invoke + rnd.nextInt(6);
      cursor[p] = complete + 1;
      int out = rnd.nextInt(100);
      Outcome outcome = out < 90 - infoPercent ? Outcome.OK : out < 90 ? Outcome.INFO : Outcome.FAIL;
      int k = rnd.nextInt(3);
      String v = values[rnd.nextInt(values.length)];
      ops.add(switch (k) {
        case 0 -> Op.write(p, key, invoke, complete, outcome, v);
        case 1 -> Op.read(p, key, invoke, complete, outcome, rnd.nextInt(3) == 0 ? null : v);
        default -> Op.cas(p, key, invoke, complete, outcome, v, values[rnd.nextInt(values.length)],
            outcome == Outcome.OK ? rnd.nextBoolean() : null);
      });
    }
    return ops;
  }

  /** Whether some order of all OK operations and any INFO ones respects real time and the register. */
  static boolean bruteForce(List<Op> ops) {
    List<Op> live = ops.stream().filter(op -> !op.isFail()).toList();
    return search(live, new boolean[live.size()], null);
  }

  private static boolean search(List<Op> ops, boolean[] done, String state) {
    boolean allOk = true;
    for (int i = 0; i < ops.size(); i++) {
      if (!done[i] && ops.get(i).isOk()) {
        allOk = false;
      }
    }
    if (allOk) {
      return true;
    }
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      if (done[i] || !minimal(ops, done, op) || !legal(state, op)) {
        continue;
      }
      done[i] = true;
      boolean found = search(ops, done, apply(state, op));
      done[i] = false;
      if (found) {
        return true;
      }
    }
    return false;
  }

  /** The register's semantics, plainly (an INFO operation has no result to contradict). */
  private static boolean legal(String state, Op op) {
    if (!op.isOk()) {
      return true;
    }
    return switch (op.kind()) {
      case WRITE -> true;
      case READ -> Objects.equals(state, op.value());
      case CAS -> op.swapped() == op.expected().equals(state);
      default -> throw new AssertionError(op);
    };
  }

  private static String apply(String state, Op op) {
    return switch (op.kind()) {
      case WRITE -> op.value();
      case READ -> state;
      case CAS -> op.expected().equals(state) ? op.update() : state;
      default -> throw new AssertionError(op);
    };
  }

  /** No unplaced OK operation completed before {@code c} was invoked (INFO ones never complete). */
  private static boolean minimal(List<Op> ops, boolean[] done, Op c) {
    for (int i = 0; i < ops.size(); i++) {
      if (!done[i] && ops.get(i).isOk() && ops.get(i).precedes(c)) {
        return false;
      }
    }
    return true;
  }

  /** The same history with one OK read's value replaced. */
  static List<Op> withRead(List<Op> ops, int index, String value) {
    Op r = ops.get(index);
    List<Op> copy = new ArrayList<>(ops);
    copy.set(index, Op.read(r.process(), r.key(), r.invoke(), r.complete(), Outcome.OK, value));
    return copy;
  }

  static List<Integer> okReads(List<Op> ops) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i).kind() == Kind.READ && ops.get(i).isOk()) {
        out.add(i);
      }
    }
    return out;
  }

  static List<String> writtenValues(List<Op> ops) {
    return ops.stream().filter(op -> op.kind() == Kind.WRITE || op.kind() == Kind.CAS)
        .map(op -> op.kind() == Kind.WRITE ? op.value() : op.update()).filter(Objects::nonNull).distinct().toList();
  }
}
