package org.vertxgossip.simulator.stores;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.vertxgossip.checker.Checker;
import org.vertxgossip.checker.History;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.membership.View;
import org.vertxgossip.replication.KeyedStores;
import org.vertxgossip.replication.StoreConfig;
import org.vertxgossip.replication.StoreOp;
import org.vertxgossip.replication.StoreRequest;

/**
 * A seeded Jepsen-style run of the real replication core: members in virtual time, clients recording a history,
 * and a nemesis that joins, leaves, kills, pauses (past the removal bound and shorter, and right as a view reaches
 * a member), cuts members off (two-way and one-way, shorter than the removal bound), kills an owner while another
 * member lags behind it, and drops frames, while an oracle delivers the views the membership would (in order, at
 * each member's own pace). Then the history is checked: counters, locks, registers. A failure is reproduced by its
 * seed.
 */
public final class StoreSimulation {

  /** What the clients touch. */
  public record Workload(int counters, int locks, int mapKeys) {
  }

  /**
   * @param seconds   virtual seconds of nemesis (clients run a few seconds longer, then everything heals)
   * @param broken    a deliberately broken cluster, to show the checker fails on it: "none", "no-rejoin-reset"
   *                  (a member removed while paused never sees the view that removed it and takes its re-admission
   *                  for a successor view, so it keeps and serves what it held) or "no-pause-check" (a resumed
   *                  member reads locally at once)
   */
  public record Options(long seed, int seconds, int members, int clientsPerNode, Workload workload, String broken,
                        int minimumMembers) {

    /** Odd seeds run without a quorum; even seeds with {@code minimumMembers} 3 and partitions in the nemesis. */
    public static Options of(long seed) {
      return new Options(seed, 30, 5, 2, new Workload(3, 2, 3), "none", seed % 2 == 0 ? 3 : 0);
    }

    public Options withBroken(String b) {
      return new Options(seed, seconds, members, clientsPerNode, workload, b, minimumMembers);
    }

    public Options withSeconds(int s) {
      return new Options(seed, s, members, clientsPerNode, workload, broken, minimumMembers);
    }
  }

  /** The outcome: the checker's report, the events the nemesis caused, and counts. */
  public record Result(long seed, Checker.Report report, List<String> events, int operations, long framesDropped,
                       Map<String, Long> finalValues, Map<String, Long> storeStats) {

    public boolean ok() {
      return report.ok();
    }
  }

  private static final long SECOND = 1_000_000;
  /** How long a silent member stays in the view: the membership's removal bound, as the oracle plays it. */
  private static final long REMOVAL_US = 3 * SECOND;

  private final Options options;
  private final EventQueue events = new EventQueue();
  private final Random random;
  private final SimNetwork network;
  private final History history = new History();
  private final Map<NodeId, StoreSimNode> nodes = new LinkedHashMap<>();
  private final List<StoreClient> clients = new ArrayList<>();
  private final Map<Integer, Long> lostAt = new HashMap<>();
  private final List<String> log = new ArrayList<>();
  private final StoreConfig config;
  private List<NodeId> view = new ArrayList<>();
  private long viewId;
  private final Map<NodeId, Long> lastViewAt = new HashMap<>();
  private int nextNumber = 1;
  private int nextProcess = 1;
  private boolean stopping;
  /** The minority side of a partition under way, or empty. */
  private final List<StoreSimNode> minority = new ArrayList<>();
  private long minorityViewId;
  /**
   * The views issued while a member was cut off: they do not reach it (a real member misses the view syncs); at
   * the heal it catches up on every one in order, as the membership's view pulls do.
   */
  private final Map<StoreSimNode, List<View>> heldViews = new HashMap<>();

  public StoreSimulation(Options options) {
    this.options = options;
    this.random = new Random(options.seed());
    this.network = new SimNetwork(events, new Random(random.nextLong()));
    long pauseMs = options.broken().equals("no-pause-check") ? Long.MAX_VALUE / 4 : 1_000;
    this.config = new StoreConfig(5_000, 30_000, 1 << 20, options.minimumMembers(), 3_600_000, pauseMs);
  }

  StoreSimNode node(NodeId id) {
    return nodes.get(id);
  }

  public static Result run(long seed) {
    return new StoreSimulation(Options.of(seed)).run();
  }

  public Result run() {
    for (int i = 0; i < options.members(); i++) {
      StoreSimNode n = addNode();
      view.add(n.id);
    }
    issueView();
    long t = 2 * SECOND;
    for (int i = 1; i <= 3; i++) {
      StoreSimNode host = byNumber(i);
      events.at(t, () -> startClients(host));
    }
    long end = (2 + options.seconds()) * SECOND;
    for (long at = 4 * SECOND; at < end - 2 * SECOND; at += 2 * SECOND + random.nextInt((int) (2 * SECOND))) {
      long when = at;
      events.at(when, this::nemesis);
    }
    events.runUntil(end);
    healEverything();
    events.runUntil(end + 6 * SECOND);
    stopping = true;
    clients.forEach(c -> c.stopped = true);
    events.runUntil(end + 16 * SECOND);
    clients.forEach(c -> c.closeOpen(events.now() * 1000));
    Map<String, Long> finals = readCounters(end + 16 * SECOND);
    Checker.Report report = Checker.checkAll(history, finals, lostAt);
    Map<String, Long> stats = new java.util.TreeMap<>();
    for (StoreSimNode n : nodes.values()) {
      n.stores.stats().toMap().forEach((k, v) -> stats.merge(k, v, Long::sum));
    }
    return new Result(options.seed(), report, log, history.size(), network.dropped, finals, stats);
  }

  private StoreSimNode addNode() {
    int number = nextNumber++;
    StoreSimNode n = new StoreSimNode(number, this, events, network, random.nextLong(), random.nextInt(5), config);
    n.alwaysSuccessor = options.broken().equals("no-rejoin-reset");
    nodes.put(n.id, n);
    network.add(n);
    return n;
  }

  private StoreSimNode byNumber(int number) {
    return nodes.get(new NodeId(0, number));
  }

  private void startClients(StoreSimNode host) {
    if (stopping || host.dead || host.paused || !view.contains(host.id)) {
      return; // paused or out of the view again: its next re-admission starts clients
    }
    for (int c = 0; c < options.clientsPerNode(); c++) {
      StoreClient client = new StoreClient(nextProcess++, host, events, history, random.nextLong(),
          options.workload());
      clients.add(client);
      client.start();
    }
  }

  /**
   * Clients of {@code host} lose whatever they hold at this instant (their node is about to be removed, or dies).
   * Those of a paused node go on for a moment once it resumes, as a real client would until it is told to stop:
   * what they acquire after this instant is checked like any other hold. Then they are retired (a process is lost
   * once), and new ones start when the node is back in the view.
   */
  private void loseClients(StoreSimNode host) {
    for (StoreClient c : clients) {
      if (c.node == host && !c.stopped) {
        lostAt.putIfAbsent(c.process, events.now() * 1000);
      }
    }
  }

  /** The next view: delivered to every member still running, each at its own pace, in order. */
  private void issueView() {
    View v = View.of(++viewId, view);
    log("view " + v.id() + " " + numbers(view));
    deliver(v, nodes.values().stream().filter(n -> !minority.contains(n)).toList());
  }

  private void deliver(View v, List<StoreSimNode> to) {
    for (StoreSimNode n : to) {
      if (n.dead || (n.alwaysSuccessor && n.paused && !view.contains(n.id))) {
        continue; // broken on purpose: a paused member never learns it was removed, and keeps what it held
      }
      if (network.isolated(n)) {
        heldViews.computeIfAbsent(n, k -> new ArrayList<>()).add(v);
        continue;
      }
      long at = Math.max(events.now() + 1_000 + random.nextInt(20_000), lastViewAt.getOrDefault(n.id, 0L) + 1);
      lastViewAt.put(n.id, at);
      events.at(at, () -> n.deliver(v));
    }
  }

  private void nemesis() {
    List<StoreSimNode> live = new ArrayList<>();
    for (NodeId id : view) {
      StoreSimNode n = nodes.get(id);
      if (!n.dead && !n.paused && !minority.contains(n)) {
        live.add(n);
      }
    }
    StoreSimNode victim = live.get(random.nextInt(live.size()));
    boolean hostsClients = victim.number <= 3;
    if (options.minimumMembers() > 0 && minority.isEmpty() && live.size() >= 5 && random.nextInt(4) == 0) {
      partition(live);
      return;
    }
    switch (random.nextInt(11)) {
      case 0 -> {
        StoreSimNode n = addNode();
        log("join " + n.number);
        events.after(50_000, () -> {
          view.add(n.id);
          issueView();
        });
      }
      case 1 -> {
        if (hostsClients || live.size() <= 3) {
          pauseShort(victim);
          return;
        }
        log("leave " + victim.number);
        view.remove(victim.id);
        issueView();
        events.after(500_000, victim::kill);
      }
      case 2 -> {
        if (victim.number <= 2 || live.size() <= 3) {
          if (minority.isEmpty()) {
            cut(victim, random.nextBoolean());
          } else {
            pauseShort(victim);
          }
          return;
        }
        log("kill " + victim.number);
        loseClients(victim);
        victim.kill();
        events.after(150_000 + random.nextInt(850_000), () -> {
          view.remove(victim.id);
          issueView();
        });
      }
      case 3 -> {
        if (live.size() <= 3) {
          pauseShort(victim);
          return;
        }
        pauseLong(victim);
      }
      case 4 -> pauseShort(victim);
      case 5, 6 -> {
        if (minority.isEmpty()) {
          cut(victim, random.nextBoolean());
        } else {
          pauseShort(victim); // a cut's heal would also heal the partition's links
        }
      }
      case 7 -> {
        // A member lags (cut off, not removed) while an owner dies: it may own the dead one's keys next, and
        // missed the writes the dead one answered without it.
        StoreSimNode target = another(live, victim, 2);
        if (target == null) {
          return;
        }
        cut(victim, false, 700_000 + random.nextInt(500_000));
        events.after(450_000, () -> {
          if (target.dead || target.paused) {
            return;
          }
          log("kill " + target.number + " while " + victim.number + " lags");
          loseClients(target);
          target.kill();
          events.after(100_000 + random.nextInt(200_000), () -> {
            view.remove(target.id);
            issueView();
          });
        });
      }
      case 8 -> {
        // A member stops right as a view reaches it, past the removal bound: the others' answers to its hand-over
        // queries wait in its socket and are its first input when it resumes, sent before the view that removed it.
        StoreSimNode target = another(live, victim, 3);
        if (target == null || network.isolated(victim)) {
          return;
        }
        log("leave " + target.number + "; " + victim.number + " stops as the view reaches it");
        view.remove(target.id);
        issueView();
        events.after(500_000, target::kill);
        events.at(lastViewAt.get(victim.id) + 50, () -> {
          if (!victim.dead && !victim.paused && view.contains(victim.id)) {
            pauseLong(victim);
          }
        });
      }
      case 9 -> {
        // A member cut off while two views pass: it catches up on both at the heal, while the others have moved
        // on without it (its writes refused, theirs waiting for it) and count it as a member throughout.
        StoreSimNode target = another(live, victim, 3);
        if (target == null) {
          return;
        }
        cut(victim, random.nextBoolean(), 1_200_000 + random.nextInt(600_000));
        events.after(100_000, () -> {
          StoreSimNode n = addNode();
          log("join " + n.number + " while " + victim.number + " is cut off");
          view.add(n.id);
          issueView();
        });
        events.after(500_000, () -> {
          if (target.dead || target.paused || !view.contains(target.id)) {
            return;
          }
          log("leave " + target.number + " while " + victim.number + " is cut off");
          view.remove(target.id);
          issueView();
          events.after(500_000, target::kill);
        });
      }
      default -> {
        log("loss 5% for 2 s");
        network.loss = 0.05;
        events.after(2 * SECOND, () -> network.loss = 0);
      }
    }
  }

  /**
   * A live member other than {@code victim} numbered above {@code above}, for a fault that strikes two members
   * while no partition is under way and more than three are live; otherwise null, and {@code victim} is paused
   * briefly instead.
   */
  private StoreSimNode another(List<StoreSimNode> live, StoreSimNode victim, int above) {
    List<StoreSimNode> targets = live.stream().filter(n -> n != victim && n.number > above).toList();
    if (!minority.isEmpty() || live.size() <= 3 || targets.isEmpty()) {
      pauseShort(victim);
      return null;
    }
    return targets.get(random.nextInt(targets.size()));
  }

  /**
   * Two live members are cut off from the rest for longer than the removal bound: the majority's view drops them,
   * and they form a view of their own (the same id, another lineage), below the quorum. At the heal they re-join
   * the majority's lineage.
   */
  private void partition(List<StoreSimNode> live) {
    List<StoreSimNode> shuffled = new ArrayList<>(live);
    java.util.Collections.shuffle(shuffled, random);
    minority.addAll(shuffled.subList(0, 2));
    List<StoreSimNode> majority = new ArrayList<>(shuffled.subList(2, shuffled.size()));
    long d = REMOVAL_US + SECOND + random.nextInt((int) (3 * SECOND));
    log("partition " + numbersOf(minority) + " | " + numbersOf(majority) + " for " + d / 1000 + " ms");
    for (StoreSimNode a : minority) {
      for (StoreSimNode b : nodes.values()) {
        if (!minority.contains(b)) {
          network.cutBetween(a, b, true);
        }
      }
    }
    events.after(REMOVAL_US, () -> {
      minority.forEach(this::loseClients);
      minority.forEach(m -> view.remove(m.id));
      issueView();
      List<NodeId> ids = minority.stream().map(m -> m.id).toList();
      View side = View.of(viewId, ids); // the minority's own lineage, same id
      log("minority view " + side.id() + " " + numbers(ids));
      deliver(side, new ArrayList<>(minority));
    });
    events.after(d, () -> {
      log("heal partition");
      for (StoreSimNode a : minority) {
        for (StoreSimNode b : nodes.values()) {
          network.cutBetween(a, b, false);
        }
        clients.forEach(c -> {
          if (c.node == a && lostAt.containsKey(c.process)) {
            c.stopped = true;
          }
        });
      }
      List<StoreSimNode> back = new ArrayList<>(minority);
      minority.clear();
      events.after(300_000, () -> back.forEach(this::readmit));
    });
  }

  private static String numbersOf(List<StoreSimNode> ns) {
    return ns.stream().map(n -> n.number).toList().toString();
  }

  private void pauseShort(StoreSimNode victim) {
    long d = 200_000 + random.nextInt(2_000_000);
    log("pause " + victim.number + " for " + d / 1000 + " ms");
    victim.paused = true;
    events.after(d, victim::resume);
  }

  private void pauseLong(StoreSimNode victim) {
    long d = REMOVAL_US + SECOND + random.nextInt((int) (4 * SECOND));
    log("pause " + victim.number + " for " + d / 1000 + " ms (removed meanwhile)");
    loseClients(victim);
    victim.paused = true;
    events.after(REMOVAL_US, () -> {
      view.remove(victim.id);
      issueView();
    });
    events.after(d, () -> {
      victim.resume();
      events.after(200_000, () -> clients.forEach(c -> {
        if (c.node == victim && lostAt.containsKey(c.process)) {
          c.stopped = true;
        }
      }));
      events.after(500_000, () -> readmit(victim));
    });
  }

  private void readmit(StoreSimNode n) {
    if (n.dead || view.contains(n.id)) {
      return;
    }
    log("re-admit " + n.number);
    view.add(n.id);
    issueView();
    boolean running = clients.stream().anyMatch(c -> c.node == n && !c.stopped);
    if (n.number <= 3 && !running) {
      events.after(2 * SECOND, () -> startClients(n));
    }
  }

  private void cut(StoreSimNode victim, boolean oneWay) {
    cut(victim, oneWay, 300_000 + random.nextInt(1_500_000));
  }

  private void cut(StoreSimNode victim, boolean oneWay, long d) {
    log("cut " + victim.number + (oneWay ? " one-way" : " two-way") + " for " + d / 1000 + " ms");
    network.isolate(victim, true, oneWay);
    events.after(d, () -> reconnect(victim));
  }

  /** A cut ends: links back, and the views issued meanwhile reach the member, in order. */
  private void reconnect(StoreSimNode n) {
    network.isolate(n, false, false);
    for (View missed : heldViews.getOrDefault(n, List.of())) {
      deliver(missed, List.of(n));
    }
    heldViews.remove(n);
  }

  /** Loss and single-member cuts end here; a partition under way ends by its own schedule, within seconds. */
  private void healEverything() {
    network.loss = 0;
    nodes.values().stream().filter(network::isolated).toList().forEach(this::reconnect);
  }

  private Map<String, Long> readCounters(long at) {
    Map<String, Long> finals = new LinkedHashMap<>();
    StoreSimNode reader = byNumber(1);
    for (int i = 0; i < options.workload().counters(); i++) {
      String key = "c" + i;
      reader.stores.submit(new StoreRequest(KeyedStores.COUNTERS, key.getBytes(StandardCharsets.UTF_8),
          StoreOp.COUNTER_GET, null, null, 0, 0, 0), 30_000, r -> {
            if (r.isOk()) {
              finals.put(key, r.number());
            }
          });
    }
    events.runUntil(at + 10 * SECOND);
    return finals;
  }

  private static String numbers(List<NodeId> ids) {
    List<Long> out = new ArrayList<>();
    ids.forEach(id -> out.add(id.lsb()));
    return out.toString();
  }

  private void log(String what) {
    log.add(String.format("%8.3f s  %s", events.now() / 1e6, what));
  }
}
