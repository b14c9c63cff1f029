package org.vertxgossip.simulator.stores;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.vertxgossip.checker.History;
import org.vertxgossip.checker.Op;
import org.vertxgossip.checker.Outcome;
import org.vertxgossip.replication.KeyedStores;
import org.vertxgossip.replication.StoreOp;
import org.vertxgossip.replication.StoreRequest;
import org.vertxgossip.replication.StoreResult;

/**
 * One client process on a simulated member: one operation at a time (counter increments and reads, lock
 * acquire-hold-release cycles, map writes, reads and replaceIfPresent), each recorded in the history with its
 * invocation and completion times. Reads are local when the core allows it, through the owner otherwise, exactly
 * as the shared-data API does.
 */
final class StoreClient {

  static final String MAP = "jepsen";
  private static final long TIMEOUT_MS = 10_000;

  final int process;
  final StoreSimNode node;
  private final EventQueue events;
  private final History history;
  private final Random random;
  private final StoreSimulation.Workload workload;
  private final Map<String, String> lastSeen = new HashMap<>();
  private int n;
  boolean stopped;
  /** The operation under way: its invocation time and how to record it as unknown if it never completes. */
  private long openSince = -1;
  private Consumer<Long> openAsInfo;

  StoreClient(int process, StoreSimNode node, EventQueue events, History history, long seed,
              StoreSimulation.Workload workload) {
    this.process = process;
    this.node = node;
    this.events = events;
    this.history = history;
    this.random = new Random(seed);
    this.workload = workload;
  }

  void start() {
    next();
  }

  private void next() {
    if (stopped || node.dead) {
      return;
    }
    events.after(1_000 + random.nextInt(10_000), () -> node.run(this::issue));
  }

  /** The operation under way, recorded as unknown (INFO) at {@code end}: its client died or gave up. */
  void closeOpen(long end) {
    if (openSince >= 0 && openAsInfo != null) {
      openAsInfo.accept(end);
      openSince = -1;
    }
  }

  private void issue() {
    if (stopped || node.dead) {
      return;
    }
    int dice = random.nextInt(100);
    if (dice < 35) {
      String key = "c" + random.nextInt(workload.counters());
      submit(new StoreRequest(KeyedStores.COUNTERS, bytes(key), StoreOp.COUNTER_ADD_AND_GET, null, null, 0, 1, 0),
          (t, r) -> Op.inc(process, key, t, nanos(), outcome(r), r.isOk() ? r.number() : null),
          t -> Op.inc(process, key, t, nanos(), Outcome.INFO, null));
    } else if (dice < 45) {
      String key = "c" + random.nextInt(workload.counters());
      submit(new StoreRequest(KeyedStores.COUNTERS, bytes(key), StoreOp.COUNTER_GET, null, null, 0, 0, 0),
          (t, r) -> Op.cget(process, key, t, nanos(), outcome(r), r.isOk() ? r.number() : null),
          t -> Op.cget(process, key, t, nanos(), Outcome.INFO, null));
    } else if (dice < 60) {
      String key = "k" + random.nextInt(workload.mapKeys());
      String value = "p" + process + "-" + (++n);
      submit(new StoreRequest(MAP, bytes(key), StoreOp.PUT, bytes(value), null, 0, 0, 0),
          (t, r) -> Op.write(process, key, t, nanos(), outcome(r), value),
          t -> Op.write(process, key, t, nanos(), Outcome.INFO, value));
    } else if (dice < 75) {
      read("k" + random.nextInt(workload.mapKeys()));
    } else if (dice < 82) {
      String key = "k" + random.nextInt(workload.mapKeys());
      String expected = lastSeen.get(key);
      if (expected == null) {
        read(key);
        return;
      }
      String value = "p" + process + "-" + (++n);
      submit(new StoreRequest(MAP, bytes(key), StoreOp.REPLACE_IF_PRESENT, bytes(expected), bytes(value), 0, 0, 0),
          (t, r) -> Op.cas(process, key, t, nanos(), outcome(r), expected, value,
              r.isOk() ? r.number() == 1 : null),
          t -> Op.cas(process, key, t, nanos(), Outcome.INFO, expected, value, null));
    } else {
      lockCycle("l" + random.nextInt(workload.locks()));
    }
  }

  private void read(String key) {
    long t = nanos();
    byte[] local = node.stores.localRead(MAP, bytes(key));
    if (local != KeyedStores.NOT_LOCAL) {
      String v = local == null ? null : new String(local, StandardCharsets.UTF_8);
      if (v != null) {
        lastSeen.put(key, v);
      }
      history.add(Op.read(process, key, t, t, Outcome.OK, v));
      next();
      return;
    }
    submit(StoreRequest.of(MAP, bytes(key), StoreOp.GET), (t0, r) -> {
      String v = r.isOk() && r.value() != null ? new String(r.value(), StandardCharsets.UTF_8) : null;
      if (v != null) {
        lastSeen.put(key, v);
      }
      return Op.read(process, key, t0, nanos(), outcome(r), v);
    }, t0 -> Op.read(process, key, t0, nanos(), Outcome.INFO, null));
  }

  private void lockCycle(String key) {
    long t = nanos();
    openSince = t;
    openAsInfo = end -> history.add(Op.acquire(process, key, t, Math.max(t, end), Outcome.INFO, null));
    node.stores.submit(new StoreRequest(KeyedStores.LOCKS, bytes(key), StoreOp.LOCK_ACQUIRE, null, null, 5_000, 0, 0),
        TIMEOUT_MS, r -> {
          openSince = -1;
          history.add(Op.acquire(process, key, t, nanos(), outcome(r), r.isOk() ? r.number() : null));
          if (!r.isOk()) {
            next();
            return;
          }
          long token = r.number();
          events.after(1_000 + random.nextInt(20_000), () -> node.run(() -> release(key, token)));
        });
  }

  private void release(String key, long token) {
    long t = nanos();
    openSince = t;
    openAsInfo = end -> history.add(Op.release(process, key, t, Math.max(t, end), Outcome.INFO, token));
    node.stores.submit(new StoreRequest(KeyedStores.LOCKS, bytes(key), StoreOp.LOCK_RELEASE, null, null, 0, token, 0),
        Long.MAX_VALUE, r -> {
          openSince = -1;
          history.add(Op.release(process, key, t, nanos(), r.isOk() ? Outcome.OK : Outcome.INFO, token));
          next();
        });
  }

  private interface Done {
    Op op(long invoke, StoreResult result);
  }

  private void submit(StoreRequest q, Done done, java.util.function.LongFunction<Op> asInfo) {
    long t = nanos();
    openSince = t;
    openAsInfo = end -> history.add(asInfo.apply(t));
    node.stores.submit(q, TIMEOUT_MS, r -> {
      openSince = -1;
      history.add(done.op(t, r));
      next();
    });
  }

  /** The history's clock: virtual nanoseconds. */
  private long nanos() {
    return events.now() * 1000;
  }

  private static Outcome outcome(StoreResult r) {
    return switch (r.status()) {
      case OK -> Outcome.OK;
      case NO_QUORUM -> Outcome.FAIL;
      default -> Outcome.INFO;
    };
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
