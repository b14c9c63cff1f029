package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vertxgossip.checker.Checker;
import org.vertxgossip.checker.History;
import org.vertxgossip.checker.Op;
import org.vertxgossip.membership.MembershipConfig;
import org.vertxgossip.membership.Profile;

/**
 * A Jepsen-style history test: member JVMs on 127.0.0.x run client loops (counter increments and reads, lock
 * acquire/hold/release, map writes, reads and compare-and-sets on a few keys, one operation at a time per loop)
 * and print every finished operation as a history line, while a nemesis on a fixed schedule makes members join,
 * leave gracefully, die (SIGKILL), pause past their removal (SIGSTOP/SIGCONT) and get cut off by iptables, both
 * ways and incoming only, for less than the removal bound. At the end everything is healed, the counters are read
 * through every member, and module vertx-gossip-checker judges the history: counters (no acknowledged increment
 * lost or counted twice, values in real-time order), locks (mutual exclusion, growing fencing tokens) and each map
 * key as a linearizable register.
 *
 * <p>History line: {@code H <process> <kind> <key> <invokeNanos> <completeNanos> <OK|FAIL|INFO> [fields…]} with
 * kinds {@code inc} (value returned), {@code cget} (value), {@code acquire} (fencing token), {@code release}
 * (token), {@code write} (value), {@code read} (value or {@code nil}), {@code cas} (expected, new, true|false).
 * Process ids are unique over the test: the loops of a member that is killed, or paused or cut off past its
 * removal, are retired at that moment ({@code lostAt}: locks they held end there) and new loops with new ids start
 * once the member is back or replaced. A killed loop's operation in flight is recorded as {@code INFO}, completing
 * at the end of the test.
 *
 * <p>Needs root, iptables and kill (as the other multi-process tests). In the build it runs two rounds of the
 * schedule (about 2 minutes). Soak: {@code -Dchurn.seconds=600} (rounds until then) and/or {@code -Dchurn.rounds=N};
 * {@code -Dchurn.seed=S} repeats a schedule's choices; {@code -Dchurn.counters}, {@code -Dchurn.thinkMs} and
 * {@code -Dchurn.gapMs} change the load and the pace. The history is written to
 * {@code target/churn-history-<seed>.txt}.
 */
class ChurnHistoryTest {

  private static final MembershipConfig LAN = Profile.LAN.config();
  /**
   * Its own gossip port, and iptables rules that match only it: another build's multi-process tests on the same
   * loopback addresses (ClusterFixture's port) are neither cut off nor collide with these members.
   */
  private static final int PORT = ClusterFixture.PORT + 4;
  private static final int INITIAL_MEMBERS = 5;
  private static final int CLIENT_HOSTS = 3;
  private static final int LOOPS_PER_HOST = 2;
  private static final int MINIMUM_MEMBERS = 3;
  private static final int LOCKS = 2;
  private static final int KEYS = 3;
  private static final long CUT_MS = 2_000;
  private static final long MIN_PAUSE_MS = 8_000;
  private static final long VIEW_TIMEOUT_MS = 60_000;

  private final String cluster = "churn-" + UUID.randomUUID();
  private final IptablesChain chain = new IptablesChain("VGOSSIP_CHURN");
  /** Every JVM this test started, in order: for the tear-down and for the history. */
  private final List<Member> everyone = new ArrayList<>();
  private final Map<Integer, Proc> procs = new LinkedHashMap<>();
  private final List<Event> events = new ArrayList<>();
  private final AtomicBoolean timedOut = new AtomicBoolean();
  private Random random;
  private long gapMs;
  private long thinkMs;
  private int counters;
  /** Where each event ended: view changes after it and before the next event's start were not the nemesis's. */
  private int[] afterLastEvent;
  private long unplannedRemovals;
  private int nextHost = 2;
  private int nextProcess = 1;
  private long t0;

  private enum State { UP, PAUSED, GONE }

  private static final class Member {
    final ExternalNode node;
    final boolean clientHost;
    State state = State.UP;
    String id;

    Member(ExternalNode node, boolean clientHost) {
      this.node = node;
      this.clientHost = clientHost;
    }

    @Override
    public String toString() {
      return node.host + (clientHost ? "(clients)" : "");
    }
  }

  /** One client loop. */
  private static final class Proc {
    final int id;
    final Member host;
    Long lostAt;
    boolean killed;

    Proc(int id, Member host) {
      this.id = id;
      this.host = host;
    }
  }

  private record Event(String kind, String target, long start, long end, String detail) {
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      chain.remove();
      chain.removeLeftover();
    } finally {
      for (Member m : everyone) {
        m.node.close(); // SIGKILL: works on a stopped process too
      }
    }
  }

  @Test
  void countersLocksAndRegistersHoldUnderChurn() throws Exception {
    long seed = Long.getLong("churn.seed", new Random().nextLong() & 0xFFFFFFFFL);
    long soakSeconds = Long.getLong("churn.seconds", 0);
    int rounds = Integer.getInteger("churn.rounds", soakSeconds > 0 ? Integer.MAX_VALUE : 2);
    gapMs = Long.getLong("churn.gapMs", 3_000);
    thinkMs = Long.getLong("churn.thinkMs", 5);
    counters = Integer.getInteger("churn.counters", 8);
    random = new Random(seed);
    System.out.printf("ChurnHistoryTest: seed %d (-Dchurn.seed=%d repeats the choices), rounds %s, soak %d s%n",
        seed, seed, rounds == Integer.MAX_VALUE ? "until the time is up" : rounds, soakSeconds);
    // The test bounds itself: past this the test thread is interrupted, and the tear-down cleans up.
    long budgetMs = soakSeconds > 0 ? soakSeconds * 1000 + 300_000 : (long) Math.min(rounds, 1000) * 120_000 + 120_000;
    Thread testThread = Thread.currentThread();
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(budgetMs);
        timedOut.set(true);
        testThread.interrupt();
      } catch (InterruptedException done) {
        // the test ended in time
      }
    }, "churn-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    try {
      run(seed, soakSeconds, rounds);
    } catch (InterruptedException e) {
      throw new AssertionError(timedOut.get() ? "the test's budget of " + budgetMs / 1000 + " s ran out"
          : "interrupted", e);
    } finally {
      watchdog.interrupt();
    }
  }

  private void run(long seed, long soakSeconds, int rounds) throws Exception {
    chain.removeLeftover();
    t0 = System.nanoTime();
    for (int i = 0; i < INITIAL_MEMBERS; i++) {
      launch(i < CLIENT_HOSTS, "127.0.0.2:" + PORT + ",127.0.0.3:" + PORT);
    }
    for (Member m : up()) {
      awaitReady(m);
    }
    awaitOneView("the initial view of " + INITIAL_MEMBERS, VIEW_TIMEOUT_MS);
    for (Member m : up()) {
      if (m.clientHost) {
        startLoops(m);
      }
    }
    event("start", up().toString(), t0, "one view of " + up().size() + "; " + procs.size() + " client loops");

    long soakEnd = System.nanoTime() + soakSeconds * 1_000_000_000L;
    int round = 0;
    while (round < rounds && (soakSeconds == 0 || System.nanoTime() - soakEnd < 0)) {
      round++;
      System.out.printf("---- round %d ----%n", round);
      schedule();
    }

    // ---- the end: heal, stop the loops, one view, final values ----
    chain.remove();
    for (Member m : everyone) {
      if (m.state == State.PAUSED) {
        m.node.signal("CONT");
        m.state = State.UP;
      }
    }
    long stopAt = System.nanoTime();
    for (Member m : up()) {
      if (m.clientHost) {
        m.node.command("STOPWORK");
      }
    }
    for (Proc p : procs.values()) {
      if (!p.killed) {
        awaitTrue(() -> p.host.node.count(0, ("WORKDONE " + p.id)::equals) > 0, 60_000,
            "client loop " + p.id + " on " + p.host + " stops");
      }
    }
    awaitOneView("one view at the end", VIEW_TIMEOUT_MS);
    long endNanos = System.nanoTime();
    Map<String, Long> finals = new TreeMap<>();
    for (int c = 0; c < counters; c++) {
      String name = "c" + c;
      Set<Long> seen = new LinkedHashSet<>();
      for (Member m : up()) {
        String answer = m.node.ask("CGET " + name, "CGET");
        assertTrue(answer.startsWith("CGET " + name + " "), m + ": " + answer);
        seen.add(Long.parseLong(answer.substring(answer.lastIndexOf(' ') + 1)));
      }
      assertEquals(1, seen.size(), "counter " + name + " read through each member: " + seen);
      finals.put(name, seen.iterator().next());
    }
    begin();
    event("end", up().toString(), stopAt, "healed, loops stopped, one view of " + up().size());

    // ---- the history ----
    List<String> history = new ArrayList<>();
    for (Member m : everyone) {
      history.addAll(m.node.linesFrom(0, l -> l.startsWith("H ")));
    }
    int synthesized = 0;
    for (Proc p : procs.values()) {
      if (p.killed) {
        List<String> unfinished = unfinished(p);
        synthesized += unfinished.size();
        for (String i : unfinished) {
          String[] f = i.split(" ");
          history.add("H " + f[1] + " " + f[2] + " " + f[3] + " " + f[4] + " " + endNanos + " INFO"
              + (f.length > 5 ? " " + String.join(" ", Arrays.copyOfRange(f, 5, f.length)) : ""));
        }
      }
    }
    Map<Integer, Long> lostAt = new TreeMap<>();
    procs.values().stream().filter(p -> p.lostAt != null).forEach(p -> lostAt.put(p.id, p.lostAt));
    Path file = Path.of("target", "churn-history-" + seed + ".txt");
    Files.createDirectories(file.getParent());
    Files.write(file, history, StandardCharsets.UTF_8);

    History parsed = History.parse(history);
    Checker.Report report = Checker.checkAll(parsed, finals, lostAt);
    List<Op> ops = parsed.ops();
    System.out.print(summary(seed, ops, finals, lostAt, synthesized, file));
    System.out.println(report.text());

    // ---- what is asserted: the nemesis did its work, the clients did theirs, the checkers' verdicts ----
    for (String kind : List.of("join", "leave", "kill", "pause", "cut-both-ways", "cut-incoming", "kill-clients",
        "pause-clients")) {
      assertTrue(events.stream().anyMatch(e -> e.kind.equals(kind)), "nemesis event " + kind + " happened");
    }
    for (String kind : List.of("inc", "acquire", "write", "read")) {
      assertTrue(ops.stream().anyMatch(o -> o.kind().token().equals(kind) && o.isOk()), "some " + kind
          + " acknowledged");
    }
    assertTrue(report.ok(), () -> "the history fails its checks (seed " + seed + ", history in " + file + "):\n"
        + report.text() + "\n" + timeline());
  }

  // ---- the schedule ------------------------------------------------------------------------------------------------

  /** One round: the order is fixed; the seed picks the victims. At least three members stay up throughout. */
  private void schedule() throws Exception {
    join();
    gap();
    cut(true);
    gap();
    leave();
    gap();
    pauseMember(true);
    gap();
    join();
    gap();
    cut(false);
    gap();
    kill(false);
    gap();
    kill(true);
    gap();
    pauseMember(false);
    gap();
  }

  /** The gap between two events: a fixed interval of the schedule, not a wait for a condition. */
  private void gap() throws InterruptedException {
    Thread.sleep(gapMs);
  }

  private void join() throws Exception {
    begin();
    long start = System.nanoTime();
    Member m = launch(false, seedsOfUp());
    awaitReady(m);
    awaitOneView("the joiner " + m + " in every view", VIEW_TIMEOUT_MS);
    event("join", m.toString(), start, "in every view after " + ms(start) + " ms; view of " + up().size()
        + "; owns " + owned(m));
  }

  private void leave() throws Exception {
    ensureSpare();
    begin();
    Member m = pick(false);
    String owned = owned(m);
    long start = System.nanoTime();
    int mark = m.node.lineCount();
    m.node.command("LEAVE");
    awaitTrue(() -> m.node.count(mark, "LEFT"::equals) > 0, 30_000, m + " leaves");
    m.state = State.GONE;
    awaitOneView(m + " gone from every view after leaving", VIEW_TIMEOUT_MS);
    m.node.close();
    event("leave", m.toString(), start, "owned " + owned + "; left and gone from every view after " + ms(start)
        + " ms");
  }

  private void kill(boolean clientHost) throws Exception {
    ensureSpare();
    begin();
    Member m = pick(clientHost);
    String owned = owned(m);
    long start = System.nanoTime();
    m.node.signal("KILL");
    m.state = State.GONE;
    // Its holds end once the signal is delivered (kill(1) has returned), not before: an operation it invoked in
    // the meantime is its own.
    List<Integer> lost = retire(m, System.nanoTime(), true);
    awaitOneView(m + " gone from every view after SIGKILL", VIEW_TIMEOUT_MS);
    String detail = "owned " + owned + "; removed from every view after " + ms(start) + " ms";
    if (clientHost) {
      detail += "; loops " + lost + " lost (lostAt)";
      Member replacement = launch(true, seedsOfUp());
      awaitReady(replacement);
      awaitOneView("the replacement " + replacement + " in every view", VIEW_TIMEOUT_MS);
      List<Integer> started = startLoops(replacement);
      detail += "; replaced by " + replacement.node.host + " with loops " + started;
    }
    event(clientHost ? "kill-clients" : "kill", m.toString(), start, detail);
  }

  /** SIGSTOP until every other member removed it (and at least {@link #MIN_PAUSE_MS}), SIGCONT, rejoin. */
  private void pauseMember(boolean clientHost) throws Exception {
    ensureSpare();
    begin();
    Member m = pick(clientHost);
    String owned = owned(m);
    long start = System.nanoTime();
    m.node.signal("STOP");
    m.state = State.PAUSED;
    // Its loops are retired from now on (kill(1) has returned: the process is stopped); the command is read once
    // it runs again, after its operation in flight.
    List<Integer> lost = retire(m, System.nanoTime(), false);
    awaitOneView(m + " removed from every other view while paused", LAN.failureDetectionBoundMs(up().size() + 1)
        + 15_000);
    long removedMs = ms(start);
    long left = MIN_PAUSE_MS - removedMs;
    if (left > 0) {
      Thread.sleep(left); // the pause's length is part of the schedule
    }
    long pausedMs = ms(start);
    long cont = System.nanoTime();
    m.node.signal("CONT");
    m.state = State.UP;
    awaitOneView(m + " back in every view after SIGCONT", VIEW_TIMEOUT_MS);
    String detail = "owned " + owned + "; removed from every other view after " + removedMs + " ms; SIGCONT after "
        + pausedMs + " ms; rejoined every view " + ms(cont) + " ms later, owns " + owned(m);
    if (clientHost) {
      detail += "; loops " + lost + " retired (lostAt), new loops " + startLoops(m);
    }
    event(clientHost ? "pause-clients" : "pause", m.toString(), start, detail);
  }

  /** Drops every packet from and to a member ({@code bothWays}) or only those to it, for {@link #CUT_MS}. */
  private void cut(boolean bothWays) throws Exception {
    begin();
    List<Member> candidates = up();
    Member m = candidates.get(random.nextInt(candidates.size()));
    String owned = owned(m);
    int[] marks = marks();
    long start = System.nanoTime();
    chain.install();
    // The members' gossip traffic (UDP and TCP, to or from the gossip port) from and to it, or only to it.
    for (String protocol : List.of("udp", "tcp")) {
      for (String port : List.of("--sport", "--dport")) {
        if (bothWays) {
          chain.append("-s", m.node.host, "-p", protocol, port, Integer.toString(PORT), "-j", "DROP");
        }
        chain.append("!", "-s", m.node.host, "-d", m.node.host, "-p", protocol, port, Integer.toString(PORT), "-j",
            "DROP");
      }
    }
    Thread.sleep(CUT_MS); // the cut's length is part of the schedule
    chain.remove();
    long healed = System.nanoTime();
    awaitOneView("one view after the cut of " + m, VIEW_TIMEOUT_MS);
    long changes = viewChangesSince(marks);
    String detail = "owns " + owned + "; " + (bothWays ? "both ways" : "incoming only") + " for "
        + (healed - start) / 1_000_000 + " ms; one view " + ms(healed) + " ms after the heal; view changes seen "
        + changes;
    if (changes > 0 && m.clientHost) {
      // It was removed meanwhile: its holds ended then, as after a pause; its loops start anew.
      detail += "; loops " + retire(m, start, false) + " retired (lostAt), new loops " + startLoops(m);
    }
    event(bothWays ? "cut-both-ways" : "cut-incoming", m.toString(), start, detail);
  }

  /** Before taking a member away: a spare joins if fewer than four are up, so that three stay. */
  private void ensureSpare() throws Exception {
    while (up().size() < MINIMUM_MEMBERS + 1 || up().stream().noneMatch(m -> !m.clientHost)) {
      join();
    }
  }

  /** Counts the removals members logged since the last event ended: ones the nemesis did not cause. */
  private void begin() {
    if (afterLastEvent == null) {
      return;
    }
    for (int i = 0; i < afterLastEvent.length; i++) {
      unplannedRemovals += everyone.get(i).node.count(afterLastEvent[i],
          l -> l.contains(": view ") && (l.contains(" (failed)") || l.contains(" (removed)")));
    }
    afterLastEvent = null;
  }

  /** The counters {@code m} owns, by the view of another member that is up (by its own if it is alone). */
  private String owned(Member m) throws IOException, InterruptedException {
    Member asked = up().stream().filter(o -> o != m).findFirst().orElse(m);
    StringBuilder q = new StringBuilder("OWNERS");
    for (int c = 0; c < counters; c++) {
      q.append(" c").append(c);
    }
    List<String> mine = new ArrayList<>();
    for (String pair : asked.node.ask(q.toString(), "OWNERS").split(" ")) {
      if (pair.endsWith("=" + m.id)) {
        mine.add(pair.substring(0, pair.indexOf('=')));
      }
    }
    return mine.toString();
  }

  private Member pick(boolean clientHost) {
    List<Member> candidates = up().stream().filter(m -> m.clientHost == clientHost).toList();
    return candidates.get(random.nextInt(candidates.size()));
  }

  // ---- members and loops -------------------------------------------------------------------------------------------

  private Member launch(boolean clientHost, String seeds) throws IOException {
    String host;
    if (nextHost <= 250) {
      host = "127.0.0." + nextHost++;
    } else {
      // A long soak: the address of the member that went away longest ago (its process is gone).
      Member oldest = everyone.stream().filter(o -> o.state == State.GONE && !o.node.isAlive()
          && everyone.stream().noneMatch(x -> x != o && x.node.host.equals(o.node.host) && x.state != State.GONE))
          .findFirst().orElseThrow(() -> new IllegalStateException("out of loopback addresses"));
      host = oldest.node.host;
    }
    Member m = new Member(new ExternalNode(host, PORT, seeds, cluster, Integer.toString(MINIMUM_MEMBERS)),
        clientHost);
    everyone.add(m);
    return m;
  }

  private static void awaitReady(Member m) throws InterruptedException {
    if (m.node.awaitLine(0, l -> l.startsWith("READY"), 60_000) == null) {
      throw new AssertionError(m + " never got ready: " + m.node.problems());
    }
    m.id = m.node.nodeId;
  }

  private List<Integer> startLoops(Member m) throws IOException {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < LOOPS_PER_HOST; i++) {
      Proc p = new Proc(nextProcess++, m);
      procs.put(p.id, p);
      ids.add(p.id);
      m.node.command("WORK " + p.id + " 1000000 " + counters + " " + LOCKS + " " + KEYS + " " + thinkMs);
    }
    return ids;
  }

  /** The member's running loops lose their locks at {@code at}; they stop (or died, if {@code killed}). */
  private List<Integer> retire(Member m, long at, boolean killed) throws IOException {
    List<Integer> ids = new ArrayList<>();
    for (Proc p : procs.values()) {
      if (p.host == m && p.lostAt == null && !p.killed) {
        p.lostAt = at;
        ids.add(p.id);
      }
      if (p.host == m && killed && p.host.node.count(0, ("WORKDONE " + p.id)::equals) == 0) {
        p.killed = true;
      }
    }
    if (!killed && !ids.isEmpty()) {
      m.node.command("STOPWORK " + ids.stream().map(String::valueOf).collect(Collectors.joining(" ")));
    }
    return ids;
  }

  /** Invocations of a killed loop with no history line: its operation in flight (at most one). */
  private static List<String> unfinished(Proc p) {
    Set<String> finished = new HashSet<>();
    String prefix = " " + p.id + " ";
    for (String h : p.host.node.linesFrom(0, l -> l.startsWith("H" + prefix))) {
      String[] f = h.split(" ");
      finished.add(f[2] + " " + f[3] + " " + f[4]);
    }
    List<String> out = new ArrayList<>();
    for (String i : p.host.node.linesFrom(0, l -> l.startsWith("I" + prefix))) {
      String[] f = i.split(" ");
      if (!finished.contains(f[2] + " " + f[3] + " " + f[4])) {
        out.add(i);
      }
    }
    return out;
  }

  private List<Member> up() {
    return everyone.stream().filter(m -> m.state == State.UP).toList();
  }

  private String seedsOfUp() {
    return up().stream().limit(3).map(m -> m.node.host + ":" + PORT).collect(Collectors.joining(","));
  }

  // ---- views -------------------------------------------------------------------------------------------------------

  /** Every member that is up sees exactly the members that are up. */
  private void awaitOneView(String what, long timeoutMs) throws Exception {
    Set<String> want = up().stream().map(m -> m.id).collect(Collectors.toSet());
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      Map<String, Set<String>> views = new LinkedHashMap<>();
      for (Member m : up()) {
        views.put(m.node.host, nodes(m));
      }
      if (views.values().stream().allMatch(want::equals)) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        StringBuilder problems = new StringBuilder();
        up().forEach(m -> problems.append(m.node.problems()));
        throw new AssertionError(what + ": not within " + timeoutMs + " ms; want " + want + ", views " + views
            + "; warnings:" + problems);
      }
      Thread.sleep(100);
    }
  }

  private static Set<String> nodes(Member m) throws IOException, InterruptedException {
    String answer = m.node.ask("NODES", "NODES");
    String list = answer.length() > 6 ? answer.substring(6).trim() : "";
    return list.isEmpty() ? Set.of() : new HashSet<>(Arrays.asList(list.split(",")));
  }

  private int[] marks() {
    int[] marks = new int[everyone.size()];
    for (int i = 0; i < marks.length; i++) {
      marks[i] = everyone.get(i).node.lineCount();
    }
    return marks;
  }

  /** The view changes ({@code VIEW n} lines) the members printed since {@code marks}. */
  private long viewChangesSince(int[] marks) {
    long n = 0;
    for (int i = 0; i < marks.length; i++) {
      n += everyone.get(i).node.count(marks[i], l -> l.startsWith("VIEW "));
    }
    return n;
  }

  private static void awaitTrue(BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
    ClusterFixture.awaitTrue(condition, timeoutMs, what);
  }

  // ---- report ------------------------------------------------------------------------------------------------------

  private void event(String kind, String target, long start, String detail) {
    afterLastEvent = marks();
    Event e = new Event(kind, target, start, System.nanoTime(), detail);
    events.add(e);
    System.out.printf("  %7.1f s  %-14s %-22s %s%n", (start - t0) / 1e9, kind, target, detail);
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  /** The nemesis's events, for a failure's message: where in the run a violation fell. */
  private String timeline() {
    StringBuilder s = new StringBuilder(String.format("nemesis (t0 = %d ns):%n", t0));
    for (Event e : events) {
      s.append(String.format("  %7.1f-%6.1f s  %-14s %-22s %s%n", (e.start - t0) / 1e9, (e.end - t0) / 1e9, e.kind,
          e.target, e.detail));
    }
    return s.toString();
  }

  private String summary(long seed, List<Op> ops, Map<String, Long> finals, Map<Integer, Long> lostAt,
      int synthesized, Path file) {
    StringBuilder s = new StringBuilder();
    s.append(String.format("%n==== ChurnHistoryTest summary (seed %d) ====%n", seed));
    s.append(String.format("%d operations by %d client loops in %.1f s (%d in flight at a kill, recorded INFO);"
        + " history in %s%n", ops.size(), procs.size(), (System.nanoTime() - t0) / 1e9, synthesized, file));
    Map<String, Map<String, Long>> byKind = new TreeMap<>();
    for (Op o : ops) {
      byKind.computeIfAbsent(o.kind().token(), k -> new TreeMap<>()).merge(o.outcome().name(), 1L, Long::sum);
    }
    s.append("operations by kind and outcome:\n");
    byKind.forEach((k, m) -> s.append(String.format("  %-8s %s%n", k, m)));
    s.append("counters (final value read through every member, all equal):\n");
    finals.forEach((k, v) -> {
      long acked = ops.stream().filter(o -> o.kind().token().equals("inc") && o.key().equals(k) && o.isOk()).count();
      long unknown = ops.stream().filter(o -> o.kind().token().equals("inc") && o.key().equals(k) && o.isInfo())
          .count();
      s.append(String.format("  %-4s final %6d, acknowledged increments %6d, unknown %3d%s%n", k, v, acked, unknown,
          v < acked ? "  -> " + (acked - v) + " acknowledged increments lost" : ""));
    });
    s.append(String.format("locks: %d grants of %d locks; loops whose holds ended at a kill, pause or cut (lostAt):"
        + " %s%n", ops.stream().filter(o -> o.kind().token().equals("acquire") && o.isOk()).count(), LOCKS,
        lostAt.keySet()));
    s.append(String.format("registers: %d keys, %d writes, %d reads, %d compare-and-sets%n", KEYS,
        ops.stream().filter(o -> o.kind().token().equals("write")).count(),
        ops.stream().filter(o -> o.kind().token().equals("read")).count(),
        ops.stream().filter(o -> o.kind().token().equals("cas")).count()));
    Map<String, Long> errors = new TreeMap<>();
    for (Member m : everyone) {
      for (String e : m.node.linesFrom(0, l -> l.startsWith("E "))) {
        String[] f = e.split(" ", 5);
        errors.merge(f[2] + ": " + (f.length > 4 ? f[4] : ""), 1L, Long::sum);
      }
    }
    s.append("client errors (FAIL and INFO), by kind and message:\n");
    errors.forEach((k, n) -> s.append(String.format("  %6d  %s%n", n, k)));
    s.append(String.format("removals the members logged between the nemesis's events: %d; ", unplannedRemovals));
    s.append(timeline());
    return s.toString();
  }
}
