package org.vertxgossip.benchmark;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The side-by-side benchmark: for each run and each manager in turn, a cluster of {@code --nodes} JVMs on
 * loopback (one {@link BenchNode} each) is started, left idle, then loaded from its second node, and stopped; a bare
 * Vert.x JVM and a seeded vertx-gossip founder give the floors. It prints every answer as it comes, then the table
 * of ranges and ratios. Figures, not assertions: nothing here passes or fails on a number.
 *
 * <p>Options: {@code --runs 3}, {@code --managers gossip,hazelcast,infinispan}, {@code --nodes 5},
 * {@code --seconds 5} (each measured load), {@code --warmup 3}, {@code --settle 10} (after start-up, before the
 * idle window), {@code --idle 10} (idle CPU window),
 * {@code --out path} (the table, also written there).
 */
public final class Benchmark {

  private static final long START_TIMEOUT_MS = 120_000;
  private static final int FANOUT_CONSUMERS = 10;
  private static final double MB = 1024 * 1024;

  static final Results.Row FOUNDER = new Results.Row("founder's start, to a running verticle", "ms", false);
  static final Results.Row JOINER = new Results.Row("joiner's start (median)", "ms", false);
  static final Results.Row RSS = new Results.Row("idle node: resident memory (median)", "MB", false);
  static final Results.Row HEAP = new Results.Row("idle node: heap after GC", "MB", false);
  static final Results.Row THREADS = new Results.Row("idle node: Java threads", "", false);
  static final Results.Row OS_THREADS = new Results.Row("idle node: threads the OS counts, JVM's own included (most)",
      "", false);
  static final Results.Row CPU = new Results.Row("idle node: CPU (mean)", "% of a core", false);
  static final Results.Row JARS = new Results.Row("jars beyond vertx-core, Netty, jackson-core", "MB", false);
  static final Results.Row SEQ_RATE = new Results.Row("event-bus requests, 1 in flight", "/s", true);
  static final Results.Row SEQ_P50 = new Results.Row("request/reply p50, 1 in flight", "µs", false);
  static final Results.Row SEQ_P99 = new Results.Row("request/reply p99, 1 in flight", "µs", false);
  static final Results.Row SEQ_MAX = new Results.Row("request/reply max, 1 in flight", "µs", false);
  static final Results.Row RATE = new Results.Row("event-bus requests, 256 in flight", "/s", true);
  static final Results.Row P99 = new Results.Row("request/reply p99, 256 in flight", "µs", false);
  static final Results.Row FANOUT = new Results.Row("publish to 10 consumers on other nodes, delivered to all",
      "msgs/s", true);
  static final Results.Row PUTS = new Results.Row("map puts, 256 in flight", "/s", true);
  static final Results.Row GETS = new Results.Row("map gets, 256 in flight", "/s", true);
  static final Results.Row INCREMENTS = new Results.Row("counter increments, sequential", "/s", true);
  static final Results.Row LOCKS = new Results.Row("lock acquire+release, sequential", "/s", true);
  static final Results.Row FAILED = new Results.Row("operations that failed, all loads", "", false);

  private final Options options;
  private final Results results = new Results();
  private final List<String> dependencies;
  private final String ownClasses;
  private final Path logs;
  private final List<NodeProcess> running = new ArrayList<>();
  private double failed;

  private Benchmark(Options options) throws IOException {
    this.options = options;
    this.ownClasses = new File(Benchmark.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .getPath();
    this.dependencies = readDependencies();
    this.logs = Path.of(System.getProperty("java.io.tmpdir"), "vertx-gossip-bench-" + ProcessHandle.current().pid());
  }

  public static void main(String[] args) throws Exception {
    System.out.println(runAndPrint(args));
  }

  /** Runs the benchmark, printing as it goes, and returns the table (also written to {@code --out}). */
  static String runAndPrint(String[] args) throws Exception {
    Benchmark b = new Benchmark(Options.parse(args));
    Thread stopper = new Thread(b::stopAll);
    Runtime.getRuntime().addShutdownHook(stopper);
    String table;
    try {
      table = b.run();
    } finally {
      b.stopAll();
      Runtime.getRuntime().removeShutdownHook(stopper);
    }
    if (b.options.out != null) {
      Files.writeString(Path.of(b.options.out), table);
    }
    return "\n" + table;
  }

  String run() throws Exception {
    System.out.printf("vertx-gossip benchmark, %s: %d run(s) of %s, %d nodes, %d s measured per load after %d s"
        + " of warm-up; Java %s, %d cores; node logs in %s%n", LocalDate.now(), options.runs, options.managers,
        options.nodes, options.seconds, options.warmUp, System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), logs);
    for (int run = 1; run <= options.runs; run++) {
      for (Manager m : options.managers) {
        if (m == Manager.BARE || m == Manager.GOSSIP_SEEDED) {
          single(run, m);
        } else {
          cluster(run, m);
        }
      }
    }
    List<Manager> shown = new ArrayList<>(options.managers);
    return "Figures of " + LocalDate.now() + ", " + options.runs + " run(s), " + options.nodes + " nodes on loopback,"
        + " each in a JVM of its own (ranges over the runs; ratios taken within each run):\n\n"
        + results.table(shown);
  }

  /** A bare Vert.x, or a seeded vertx-gossip founder: start-up and idle figures of one JVM. */
  private void single(int run, Manager m) throws Exception {
    String cluster = "bench-" + UUID.randomUUID();
    try (NodeProcess node = start(run, m, cluster, 0)) {
      long ms = node.awaitStarted(START_TIMEOUT_MS);
      report(run, m, FOUNDER, ms);
      idle(run, m, List.of(node));
    } finally {
      running.clear();
    }
  }

  private void cluster(int run, Manager m) throws Exception {
    String cluster = "bench-" + UUID.randomUUID();
    List<NodeProcess> nodes = new ArrayList<>();
    failed = 0;
    try {
      List<Long> joiners = new ArrayList<>();
      for (int i = 0; i < options.nodes; i++) {
        NodeProcess node = start(run, m, cluster, i);
        nodes.add(node);
        long ms = node.awaitStarted(START_TIMEOUT_MS);
        if (i == 0) {
          report(run, m, FOUNDER, ms);
        } else {
          joiners.add(ms);
        }
      }
      joiners.sort(null);
      report(run, m, JOINER, joiners.get(joiners.size() / 2));
      report(run, m, JARS, jarBytes(m) / MB);
      idle(run, m, nodes);

      NodeProcess a = nodes.get(0);
      NodeProcess b = nodes.get(1);
      long loadMs = (options.warmUp + options.seconds) * 1000L + 60_000;
      a.command("echo", 30_000);
      String seq = b.command(load("requests 1"), loadMs);
      report(run, m, SEQ_RATE, rate(seq));
      report(run, m, SEQ_P50, num(seq, "p50"));
      report(run, m, SEQ_P99, num(seq, "p99"));
      report(run, m, SEQ_MAX, num(seq, "max"));
      String par = b.command(load("requests 256"), loadMs);
      report(run, m, RATE, rate(par));
      report(run, m, P99, num(par, "p99"));

      List<NodeProcess> others = new ArrayList<>(nodes);
      others.remove(b);
      for (int i = 0; i < others.size(); i++) {
        int n = FANOUT_CONSUMERS / others.size() + (i < FANOUT_CONSUMERS % others.size() ? 1 : 0);
        others.get(i).command("fanout-consumers " + n + " " + (i * FANOUT_CONSUMERS), 30_000);
      }
      report(run, m, FANOUT, rate(b.command(load("publish " + FANOUT_CONSUMERS), loadMs + 30_000)));

      report(run, m, PUTS, rate(b.command(load("map-puts 256"), loadMs)));
      report(run, m, GETS, rate(b.command(load("map-gets 256"), loadMs)));
      report(run, m, INCREMENTS, rate(b.command(load("counter 1"), loadMs)));
      report(run, m, LOCKS, rate(b.command(load("lock"), loadMs)));
      report(run, m, FAILED, failed);
    } finally {
      for (NodeProcess n : nodes) {
        n.close();
      }
      running.clear();
    }
  }

  /**
   * Idle figures: the nodes settle (start-up's compilations end), then CPU is read over the idle window, then
   * memory and threads; the heap and Java threads are the last node's, after it collected twice.
   */
  private void idle(int run, Manager m, List<NodeProcess> nodes) throws Exception {
    Thread.sleep(options.settle * 1000L); // a benchmark's settling time, not a wait for a condition
    long[] cpu0 = new long[nodes.size()];
    for (int i = 0; i < nodes.size(); i++) {
      cpu0[i] = nodes.get(i).cpuMillis();
    }
    long t0 = System.nanoTime();
    Thread.sleep(options.idle * 1000L);
    double elapsedMs = (System.nanoTime() - t0) / 1e6;
    double cpu = 0;
    List<Long> rss = new ArrayList<>();
    long threads = 0;
    for (int i = 0; i < nodes.size(); i++) {
      NodeProcess n = nodes.get(i);
      cpu += (n.cpuMillis() - cpu0[i]) / elapsedMs * 100;
      rss.add(n.rssBytes());
      threads = Math.max(threads, n.threads());
    }
    rss.sort(null);
    report(run, m, CPU, cpu / nodes.size());
    report(run, m, RSS, rss.get(rss.size() / 2) / MB);
    report(run, m, OS_THREADS, threads);
    String gc = nodes.get(nodes.size() - 1).command("gc", 60_000);
    report(run, m, THREADS, num(gc, "javaThreads"));
    report(run, m, HEAP, num(gc, "used") / MB);
  }

  private String load(String command) {
    return command + " " + options.warmUp * 1000L + " " + options.seconds * 1000L;
  }

  private NodeProcess start(int run, Manager m, String cluster, int index) throws IOException {
    StringBuilder cp = new StringBuilder(ownClasses);
    for (String jar : dependencies) {
      if (Manager.common(jar) || m.owns(jar)) {
        cp.append(File.pathSeparator).append(jar);
      }
    }
    String name = m.name().toLowerCase(Locale.ROOT) + "-" + index;
    NodeProcess node = NodeProcess.start(name, m, cluster, cp.toString(),
        logs.resolve("run" + run + "-" + name + ".log"));
    running.add(node);
    return node;
  }

  private long jarBytes(Manager m) {
    long bytes = 0;
    for (String jar : dependencies) {
      if (m.owns(jar) && !Manager.common(jar)) {
        File f = new File(jar);
        bytes += f.isFile() ? f.length() : directoryBytes(f.toPath());
      }
    }
    return bytes;
  }

  private static long directoryBytes(Path dir) {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      return 0;
    }
  }

  private void report(int run, Manager m, Results.Row row, double value) {
    results.put(run, row, m, value);
    System.out.printf(Locale.ROOT, "run %d %-24s %-60s %,.2f%n", run, m.label(), row.label(), value);
  }

  /** The rate of a load's answer; its failures are added up for the {@link #FAILED} row. */
  private double rate(String answer) {
    if (answer.contains(" failed=")) {
      failed += num(answer, "failed");
    }
    return num(answer, "rate");
  }

  private static double num(String answer, String key) {
    return Double.parseDouble(Results.field(answer, key));
  }

  private void stopAll() {
    for (NodeProcess n : new ArrayList<>(running)) {
      n.close();
    }
  }

  /** The runtime dependencies' jars, written into the benchmark's own classes when it was built. */
  private static List<String> readDependencies() throws IOException {
    try (InputStream in = Benchmark.class.getResourceAsStream("/bench-classpath.txt")) {
      if (in == null) {
        throw new IOException("bench-classpath.txt is missing: build the benchmark with Maven");
      }
      String cp = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      return Arrays.asList(cp.split(File.pathSeparator));
    }
  }

  /** Command-line options. */
  static final class Options {
    int runs = 3;
    int nodes = 5;
    int seconds = 5;
    int warmUp = 3;
    int idle = 10;
    int settle = 10;
    String out;
    List<Manager> managers = List.of(Manager.GOSSIP, Manager.HAZELCAST, Manager.INFINISPAN, Manager.BARE,
        Manager.GOSSIP_SEEDED);

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option " + args[i] + " has no value");
        }
        String v = args[i + 1];
        switch (args[i]) {
          case "--runs" -> o.runs = Integer.parseInt(v);
          case "--nodes" -> o.nodes = Integer.parseInt(v);
          case "--seconds" -> o.seconds = Integer.parseInt(v);
          case "--warmup" -> o.warmUp = Integer.parseInt(v);
          case "--idle" -> o.idle = Integer.parseInt(v);
          case "--settle" -> o.settle = Integer.parseInt(v);
          case "--out" -> o.out = v;
          case "--managers" -> {
            List<Manager> ms = new ArrayList<>();
            for (String name : v.split(",")) {
              ms.add(Manager.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
            }
            o.managers = ms;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]
              + " (--runs, --nodes, --seconds, --warmup, --idle, --settle, --out, --managers)");
        }
      }
      if (o.nodes < 3) {
        throw new IllegalArgumentException("--nodes must be at least 3");
      }
      return o;
    }
  }
}
