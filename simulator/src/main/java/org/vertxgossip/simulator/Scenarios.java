package org.vertxgossip.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.vertxgossip.membership.MembershipConfig;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.Profile;

/** The scenarios of the simulator. Each forms a cluster with the real core, disturbs it, and measures. */
final class Scenarios {

  static final List<String> ALL = List.of("crash", "kill", "dissemination", "loss", "pause", "partition", "bootstrap",
      "idle");

  private static final long S = 1_000_000L;

  /** Options shared by all scenarios. */
  static final class Options {
    MembershipConfig config = Profile.LAN.config();
    /** Crash and kill repetitions; 0 picks a default by size. */
    int runs;
    /** Loss scenario length in simulated seconds; 0 picks 1 h at N ≤ 100, 10 min above. */
    long lossSeconds;
    /** Pause scenario length in simulated seconds. */
    long pauseSeconds = 600;
    /** Keeps per-round dissemination curves in the result (for charts). */
    boolean curves;
    /** Spread of per-link base latencies in microseconds (0: every link alike). */
    long linkSpreadUs;
  }

  private Scenarios() {
  }

  static ScenarioResult run(String scenario, int n, long seed, Options o) {
    return switch (scenario) {
      case "crash" -> failure(scenario, n, seed, o, SimNode::crash);
      case "kill" -> failure(scenario, n, seed, o, SimNode::kill);
      case "dissemination" -> dissemination(n, seed, o);
      case "loss" -> loss(n, seed, o);
      case "pause" -> pause(n, seed, o);
      case "partition" -> partition(n, seed, o);
      case "bootstrap" -> bootstrap(n, seed, o);
      case "idle" -> idle(n, seed, o);
      default -> throw new IllegalArgumentException("unknown scenario '" + scenario + "' (expected one of " + ALL + ")");
    };
  }

  // ---- shared steps ---------------------------------------------------------------------------------------------

  /** Starts {@code n} nodes within {@code spreadMs}, node 0 first and the only seed. */
  static Simulation start(int n, long seed, MembershipConfig config, long spreadMs) {
    return start(n, seed, config, spreadMs, new NetworkModel());
  }

  static Simulation start(int n, long seed, MembershipConfig config, long spreadMs, NetworkModel network) {
    Simulation sim = new Simulation(seed, config, network);
    sim.addNodes(n, i -> config);
    List<NodeAddress> seeds = List.of(Simulation.addressOf(0));
    sim.nodes.get(0).start(seeds);
    for (int i = 1; i < n; i++) {
      SimNode node = sim.nodes.get(i);
      sim.at((long) (sim.random.nextDouble() * spreadMs * 1000), () -> node.start(seeds));
    }
    return sim;
  }

  static NetworkModel network(long linkSpreadUs) {
    NetworkModel network = new NetworkModel();
    network.linkSpreadUs = linkSpreadUs;
    return network;
  }

  static Simulation formed(int n, long seed, MembershipConfig config) {
    return formed(n, seed, config, new NetworkModel());
  }

  private static Simulation formed(int n, long seed, Options o) {
    return formed(n, seed, o.config, network(o.linkSpreadUs));
  }

  /** A formed, quiet cluster: one identical view of all n, and broadcast queues drained. */
  static Simulation formed(int n, long seed, MembershipConfig config, NetworkModel network) {
    Simulation sim = start(n, seed, config, 5_000, network);
    List<Integer> all = indices(sim);
    if (!sim.runUntil(() -> ViewAgreement.allFinal(sim, all, n), 100, 600 * S)) {
      throw new IllegalStateException("cluster of " + n + " did not form in 600 simulated seconds");
    }
    sim.runUntil(() -> quiet(sim), 500, sim.nowUs() + 120 * S);
    sim.runUntil(sim.nowUs() + 5 * S);
    return sim;
  }

  private static boolean quiet(Simulation sim) {
    for (SimNode node : sim.nodes) {
      if (node.isUp() && node.membership.broadcastQueueSize() > 0) {
        return false;
      }
    }
    return true;
  }

  static List<Integer> indices(Simulation sim) {
    List<Integer> out = new ArrayList<>();
    for (SimNode node : sim.nodes) {
      if (node.isUp()) {
        out.add(node.index);
      }
    }
    return out;
  }

  private static long bytes(Simulation sim) {
    long b = 0;
    for (SimNode node : sim.nodes) {
      b += node.bytesSent + node.bytesReceived;
    }
    return b;
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double rank = p * (sorted.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = (int) Math.ceil(rank);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
  }

  private static int defaultRuns(int n) {
    return n <= 100 ? 50 : n <= 1000 ? 20 : 10;
  }

  /** Gossip rounds until {@code fraction} of the watched nodes have a time, counted from {@code t0}. */
  private static Integer roundsUntil(long[] times, List<Integer> group, long t0, double fraction, long roundUs) {
    double[] sorted = group.stream().mapToDouble(i -> times[i] < 0 ? Double.POSITIVE_INFINITY : times[i]).sorted()
        .toArray();
    int need = (int) Math.ceil(fraction * sorted.length) - 1;
    double t = sorted[Math.max(0, need)];
    if (Double.isInfinite(t)) {
      return null;
    }
    return (int) Math.ceil((t - t0) / roundUs);
  }

  // ---- crash and kill -----------------------------------------------------------------------------------------

  /**
   * Repeatedly takes one random member down and times how long it stays in the delivered view of the others: the
   * p50/p99 over runs of the time until it is gone from every view.
   */
  private static ScenarioResult failure(String name, int n, long seed, Options o, Consumer<SimNode> fail) {
    return failure(formed(n, seed, o), name, n, seed, o, fail);
  }

  private static ScenarioResult failure(Simulation sim, String name, int n, long seed, Options o,
                                        Consumer<SimNode> fail) {
    int runs = o.runs > 0 ? o.runs : defaultRuns(n);
    double[] detect = new double[runs];
    List<Integer> firstView = new ArrayList<>();
    long startUs = sim.nowUs();
    long bytes0 = bytes(sim);
    for (int r = 0; r < runs; r++) {
      List<Integer> up = indices(sim);
      SimNode victim = sim.nodes.get(up.get(sim.random.nextInt(up.size())));
      sim.recorder.impaired.add(victim.id);
      long t0 = sim.nowUs();
      fail.accept(victim);
      sim.recorder.watchGone(victim.id);
      List<Integer> survivors = indices(sim);
      long[] gone = sim.recorder.goneAt;
      sim.runUntil(() -> survivors.stream().allMatch(i -> gone[i] >= 0), 50, t0 + 300 * S);
      long last = survivors.stream().mapToLong(i -> gone[i] < 0 ? Long.MAX_VALUE : gone[i]).max().orElse(t0);
      detect[r] = last == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : (last - t0) / 1e6;
      long first = survivors.stream().mapToLong(i -> gone[i]).filter(t -> t >= 0).min().orElse(t0);
      Integer rounds = roundsUntil(gone, survivors, first, 0.999, o.config.gossipIntervalMs * 1000);
      if (rounds != null) {
        firstView.add(rounds);
      }
      sim.runUntil(sim.nowUs() + 10 * S);
    }
    double[] sorted = detect.clone();
    Arrays.sort(sorted);
    double seconds = (sim.nowUs() - startUs) / 1e6;
    ScenarioResult res = new ScenarioResult(name, n, seed);
    res.put("detect_p50_s", percentile(sorted, 0.5));
    res.put("detect_p99_s", percentile(sorted, 0.99));
    res.put("rounds_999", firstView.isEmpty() ? null : firstView.stream().sorted().toList().get(firstView.size() / 2));
    res.put("false_dead", sim.recorder.falseDead());
    res.put("bytes_per_node_s", (bytes(sim) - bytes0) / (double) n / seconds);
    res.put("same_view_sequence", ViewAgreement.same(sim.recorder, indices(sim), startUs, Long.MAX_VALUE));
    res.put("runs", runs);
    res.put("detect_max_s", sorted[sorted.length - 1]);
    res.put("detect_s", Arrays.stream(detect).boxed().map(d -> Math.round(d * 1000) / 1000.0).toList());
    return res;
  }

  /**
   * For very large clusters, whose formation dominates the run: forms one cluster and runs the scenarios on it in
   * an order where each leaves it fit for the next (idle, then dissemination with anti-entropy on, then kill, then
   * crash, each of which removes its victims). The figures are those of the separate scenarios, except that
   * dissemination is measured with push-pull only.
   */
  static List<ScenarioResult> onOneCluster(List<String> scenarios, int n, long seed, Options o) {
    List<String> order = List.of("idle", "dissemination", "kill", "crash");
    for (String s : scenarios) {
      if (!order.contains(s)) {
        throw new IllegalArgumentException("--shared-cluster runs only " + order + ", not " + s);
      }
    }
    Simulation sim = formed(n, seed, o);
    List<ScenarioResult> out = new ArrayList<>();
    for (String s : order) {
      if (!scenarios.contains(s)) {
        continue;
      }
      switch (s) {
        case "idle" -> out.add(idle(sim, n, seed, o));
        case "dissemination" -> out.add(disseminationResult(n, seed, o, null, spread(sim, n, o.config, true)));
        case "kill" -> out.add(failure(sim, "kill", n, seed, o, SimNode::kill));
        default -> out.add(failure(sim, "crash", n, seed, o, SimNode::crash));
      }
    }
    return out;
  }

  // ---- dissemination ------------------------------------------------------------------------------------------

  /** One metadata update spreads; measured with gossip alone (push) and with anti-entropy too (push-pull). */
  private static ScenarioResult dissemination(int n, long seed, Options o) {
    return disseminationResult(n, seed, o, spread(n, seed, o, false), spread(n, seed, o, true));
  }

  /** The figures of one or two spreads; {@code push} (gossip alone) may be null. */
  private static ScenarioResult disseminationResult(int n, long seed, Options o, Spread push, Spread pushPull) {
    ScenarioResult res = new ScenarioResult("dissemination", n, seed);
    int fanout = o.config.gossipNodes;
    res.put("rounds_999", pushPull.rounds999);
    res.put("bytes_per_node_s", pushPull.bytesPerNodeS);
    res.put("false_dead", pushPull.falseDead + (push == null ? 0 : push.falseDead));
    res.put("same_view_sequence", pushPull.sameViews && (push == null || push.sameViews));
    if (push != null) {
      putSpread(res, "push", push);
    }
    putSpread(res, "pushpull", pushPull);
    res.put("theory_rounds_999", Math.log(n) / Math.log(fanout + 1) + Math.log(n) / fanout);
    List<Double> fitted = push != null ? push.lacking : pushPull.lacking;
    res.put("lambda_fit", tailRate(fitted));
    res.put("lambda_model", tailRate(model(n, o.config, fitted.size())));
    if (o.curves) {
      if (push != null) {
        res.put("push_lacking", push.lacking);
      }
      res.put("pushpull_lacking", pushPull.lacking);
      res.put("model_lacking", model(n, o.config, fitted.size()));
    }
    return res;
  }

  private static void putSpread(ScenarioResult res, String prefix, Spread s) {
    res.put(prefix + "_rounds_999", s.rounds999);
    res.put(prefix + "_rounds_100", s.rounds100);
    res.put(prefix + "_packets_per_node_999", s.packets999);
    res.put(prefix + "_packets_per_node_100", s.packets100);
  }

  private record Spread(Integer rounds999, Integer rounds100, Double packets999, Double packets100,
                        List<Double> lacking, double bytesPerNodeS, int falseDead, boolean sameViews) {
  }

  private static Spread spread(int n, long seed, Options o, boolean pushPull) {
    MembershipConfig config = pushPull ? o.config : noPushPull(o.config);
    return spread(formed(n, seed, config, network(o.linkSpreadUs)), n, config, pushPull);
  }

  /** Samples of the spread per gossip round: fine enough to show the curve's shape. */
  static final int SAMPLES_PER_ROUND = 10;

  private static Spread spread(Simulation sim, int n, MembershipConfig config, boolean pushPull) {
    List<Integer> all = indices(sim);
    SimNode origin = sim.nodes.get(all.get(sim.random.nextInt(all.size())));
    long t0 = sim.nowUs();
    long packets0 = sim.recorder.packetsSent;
    long bytes0 = bytes(sim);
    int inc = origin.membership.member(origin.id).incarnation() + 1;
    sim.recorder.watchNews(origin.id, inc);
    sim.recorder.newsAt[origin.index] = t0;
    origin.membership.updateMetadata(new byte[] {1});
    long roundUs = config.gossipIntervalMs * 1000;
    long sampleUs = roundUs / SAMPLES_PER_ROUND;
    long[] at = sim.recorder.newsAt;
    List<Double> lacking = new ArrayList<>();
    Double packets999 = null;
    Double packets100 = null;
    long limit = t0 + 600 * S;
    long doneAt = Long.MAX_VALUE;
    for (long t = t0; t <= limit && t <= doneAt; t += sampleUs) {
      sim.runUntil(t);
      long have = all.stream().filter(i -> at[i] >= 0).count();
      lacking.add((n - have) / (double) n);
      if (packets999 == null && have >= Math.ceil(0.999 * n)) {
        packets999 = (sim.recorder.packetsSent - packets0) / (double) n;
      }
      if (have == n && packets100 == null) {
        packets100 = (sim.recorder.packetsSent - packets0) / (double) n;
        doneAt = t + 2 * roundUs; // a little flat tail for the chart
      }
      if (!pushPull && t - t0 > 60 * S) {
        break; // without anti-entropy what gossip missed stays missed
      }
    }
    double seconds = Math.max(1e-6, (sim.nowUs() - t0) / 1e6);
    return new Spread(roundsUntil(at, all, t0, 0.999, roundUs), roundsUntil(at, all, t0, 1.0, roundUs),
        packets999, packets100, lacking, (bytes(sim) - bytes0) / (double) n / seconds, sim.recorder.falseDead(),
        ViewAgreement.same(sim.recorder, all, 0, Long.MAX_VALUE));
  }

  /** Datagrams a member sends per gossip round: the gossip fanout, plus its pings and acks (one each a probe). */
  static double sendRate(MembershipConfig c) {
    return c.gossipNodes + 2.0 * c.gossipIntervalMs / c.probeIntervalMs;
  }

  static List<Double> model(int n, MembershipConfig c, int samples) {
    return MeanField.lacking(n, sendRate(c), c.retransmitLimit(n), SAMPLES_PER_ROUND, samples);
  }

  private static MembershipConfig noPushPull(MembershipConfig base) {
    MembershipConfig.Builder b = base.toBuilder();
    b.pushPullIntervalMs = 0;
    return b.build();
  }

  /**
   * The rate λ (per gossip round) of P(t) ≈ C·e^{−λt}, fitted by least squares over the tail (P between 50 % and
   * 0.01 %) of a curve sampled {@link #SAMPLES_PER_ROUND} times a round.
   */
  static double tailRate(List<Double> lacking) {
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    int k = 0;
    for (int t = 0; t < lacking.size(); t++) {
      double p = lacking.get(t);
      if (p < 0.5 && p > 1e-4) {
        double y = Math.log(p);
        sx += t;
        sy += y;
        sxx += (double) t * t;
        sxy += t * y;
        k++;
      }
    }
    if (k < 2) {
      return Double.NaN;
    }
    return -(k * sxy - sx * sy) / (k * sxx - sx * sx) * SAMPLES_PER_ROUND;
  }

  // ---- loss and pause -----------------------------------------------------------------------------------------

  private static ScenarioResult loss(int n, long seed, Options o) {
    Simulation sim = formed(n, seed, o);
    long seconds = o.lossSeconds > 0 ? o.lossSeconds : (n <= 100 ? 3600 : 600);
    long t0 = sim.nowUs();
    long bytes0 = bytes(sim);
    sim.network.loss = 0.10;
    sim.runUntil(t0 + seconds * S);
    ScenarioResult res = new ScenarioResult("loss", n, seed);
    res.put("false_dead", sim.recorder.falseDead());
    res.put("bytes_per_node_s", (bytes(sim) - bytes0) / (double) n / seconds);
    res.put("same_view_sequence", ViewAgreement.same(sim.recorder, indices(sim), 0, Long.MAX_VALUE));
    res.put("loss_rate", 0.10);
    res.put("simulated_s", seconds);
    res.put("suspicions", sum(sim, "suspicions"));
    res.put("refutations", sum(sim, "refutations"));
    res.put("final_view_size", sim.nodes.get(0).membership.view().size());
    return res;
  }

  private static ScenarioResult pause(int n, long seed, Options o) {
    Simulation sim = formed(n, seed, o);
    List<Integer> up = indices(sim);
    // A member other than the coordinator, so that the healthy members' views keep flowing.
    SimNode victim = sim.nodes.get(up.get(1 + sim.random.nextInt(up.size() - 1)));
    sim.recorder.impaired.add(victim.id);
    long t0 = sim.nowUs();
    long bytes0 = bytes(sim);
    long end = t0 + o.pauseSeconds * S;
    int pauses = 0;
    while (sim.nowUs() < end) {
      victim.pause();
      pauses++;
      sim.runUntil(sim.nowUs() + (long) ((2 + 8 * sim.random.nextDouble()) * S));
      victim.resume();
      sim.runUntil(sim.nowUs() + (long) ((10 + 20 * sim.random.nextDouble()) * S));
    }
    sim.runUntil(sim.nowUs() + 60 * S);
    List<Integer> healthy = new ArrayList<>(indices(sim));
    healthy.remove(Integer.valueOf(victim.index));
    double seconds = (sim.nowUs() - t0) / 1e6;
    ScenarioResult res = new ScenarioResult("pause", n, seed);
    res.put("false_dead", sim.recorder.falseDead());
    res.put("bytes_per_node_s", (bytes(sim) - bytes0) / (double) n / seconds);
    res.put("same_view_sequence", ViewAgreement.same(sim.recorder, healthy, 0, Long.MAX_VALUE));
    res.put("pauses", pauses);
    res.put("paused_member_refutations", victim.membership.stats().refutations);
    res.put("paused_member_in_final_view", ViewAgreement.allFinal(sim, indices(sim), n));
    return res;
  }

  private static long sum(Simulation sim, String counter) {
    long total = 0;
    for (SimNode node : sim.nodes) {
      total += node.membership.stats().toMap().get(counter);
    }
    return total;
  }

  // ---- partition, bootstrap, idle -----------------------------------------------------------------------------

  private static ScenarioResult partition(int n, long seed, Options o) {
    Simulation sim = formed(n, seed, o);
    List<Integer> sideA = new ArrayList<>();
    List<Integer> sideB = new ArrayList<>();
    int[] group = new int[n];
    for (int i = 0; i < n; i++) {
      group[i] = i < n / 2 ? 0 : 1;
      (group[i] == 0 ? sideA : sideB).add(i);
    }
    long split = sim.nowUs();
    long bytes0 = bytes(sim);
    sim.network.group = group;
    sim.runUntil(split + 120 * S);
    boolean sidesSplit = ViewAgreement.allFinal(sim, sideA, sideA.size()) && ViewAgreement.allFinal(sim, sideB,
        sideB.size());
    long heal = sim.nowUs();
    sim.network.heal(sim.nowUs());
    List<Integer> all = indices(sim);
    boolean healed = sim.runUntil(() -> ViewAgreement.allFinal(sim, all, n), 100, heal + 600 * S);
    long healedAt = sim.nowUs();
    sim.runUntil(sim.nowUs() + 10 * S);
    boolean same = ViewAgreement.same(sim.recorder, sideA, split, heal)
        && ViewAgreement.same(sim.recorder, sideB, split, heal)
        && ViewAgreement.same(sim.recorder, all, firstCommonViewTime(sim, all, n, heal), Long.MAX_VALUE);
    ScenarioResult res = new ScenarioResult("partition", n, seed);
    res.put("heal_s", healed ? (healedAt - heal) / 1e6 : null);
    res.put("false_dead", sim.recorder.falseDead());
    res.put("bytes_per_node_s", (bytes(sim) - bytes0) / (double) n / ((sim.nowUs() - split) / 1e6));
    res.put("same_view_sequence", same);
    res.put("sides_split_cleanly", sidesSplit);
    return res;
  }

  /** The latest time, after {@code fromUs}, at which some node delivered its first view of all {@code n} members. */
  private static long firstCommonViewTime(Simulation sim, List<Integer> group, int n, long fromUs) {
    long latest = fromUs;
    for (int idx : group) {
      LongSeq[] s = sim.recorder.views.get(idx);
      for (int i = 0; i < s[0].size(); i++) {
        if (s[2].get(i) >= fromUs && s[3].get(i) == n) {
          latest = Math.max(latest, s[2].get(i));
          break;
        }
      }
    }
    return latest;
  }

  private static ScenarioResult bootstrap(int n, long seed, Options o) {
    Simulation sim = start(n, seed, o.config, 10_000, network(o.linkSpreadUs));
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    boolean formed = sim.runUntil(() -> ViewAgreement.allFinal(sim, all, n), 50, 600 * S);
    long formedAt = sim.nowUs();
    long bytes = bytes(sim);
    sim.runUntil(sim.nowUs() + 10 * S);
    ScenarioResult res = new ScenarioResult("bootstrap", n, seed);
    res.put("heal_s", formed ? formedAt / 1e6 : null);
    res.put("converge_s", formed ? formedAt / 1e6 : null);
    res.put("false_dead", sim.recorder.falseDead());
    res.put("bytes_per_node_s", bytes / (double) n / Math.max(1e-6, formedAt / 1e6));
    res.put("same_view_sequence", ViewAgreement.same(sim.recorder, all, 0, Long.MAX_VALUE));
    res.put("views_issued", sum(sim, "viewsIssued"));
    return res;
  }

  private static ScenarioResult idle(int n, long seed, Options o) {
    return idle(formed(n, seed, o), n, seed, o);
  }

  private static ScenarioResult idle(Simulation sim, int n, long seed, Options o) {
    long window = Math.max(120, 2 * o.config.pushPullIntervalMs(n) / 1000);
    long t0 = sim.nowUs();
    long bytes0 = bytes(sim);
    long packets0 = sim.recorder.packetsSent;
    sim.runUntil(t0 + window * S);
    ScenarioResult res = new ScenarioResult("idle", n, seed);
    res.put("bytes_per_node_s", (bytes(sim) - bytes0) / (double) n / window);
    res.put("false_dead", sim.recorder.falseDead());
    res.put("same_view_sequence", ViewAgreement.same(sim.recorder, indices(sim), 0, Long.MAX_VALUE));
    res.put("packets_per_node_s", (sim.recorder.packetsSent - packets0) / (double) n / window);
    res.put("window_s", window);
    return res;
  }
}
