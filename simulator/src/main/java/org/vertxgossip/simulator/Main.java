package org.vertxgossip.simulator;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vertxgossip.membership.Profile;

/**
 * {@code java -jar vertx-gossip-simulator.jar --scenario NAME|all --nodes N[,N…] --seed S [--json] [--runs R]
 * [--charts DIR] [--profile lan|wan|local]}: runs the real membership core in virtual time and prints one JSON
 * object per scenario (with --json) or a table.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    List<String> scenarios = List.of("all");
    List<Integer> sizes = List.of(1000);
    long seed = 1;
    boolean json = false;
    File charts = null;
    boolean sharedCluster = false;
    Scenarios.Options options = new Scenarios.Options();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--scenario" -> scenarios = List.of(value(args, ++i).split(","));
          case "--nodes" -> {
            sizes = new ArrayList<>();
            for (String s : value(args, ++i).split(",")) {
              sizes.add(Integer.parseInt(s.trim()));
            }
          }
          case "--seed" -> seed = Long.parseLong(value(args, ++i));
          case "--runs" -> options.runs = Integer.parseInt(value(args, ++i));
          case "--loss-seconds" -> options.lossSeconds = Long.parseLong(value(args, ++i));
          case "--pause-seconds" -> options.pauseSeconds = Long.parseLong(value(args, ++i));
          case "--profile" -> options.config = Profile.parse(value(args, ++i)).config();
          case "--charts" -> charts = new File(value(args, ++i));
          case "--json" -> json = true;
          case "--shared-cluster" -> sharedCluster = true;
          case "--link-spread-us" -> options.linkSpreadUs = Long.parseLong(value(args, ++i));
          case "--help", "-h" -> {
            usage(out);
            return;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (scenarios.contains("all")) {
        scenarios = Scenarios.ALL;
      }
      for (String s : scenarios) {
        if (!Scenarios.ALL.contains(s)) {
          throw new IllegalArgumentException("unknown scenario '" + s + "' (expected one of " + Scenarios.ALL + ")");
        }
      }
      if (sharedCluster && !List.of("idle", "dissemination", "kill", "crash").containsAll(scenarios)) {
        throw new IllegalArgumentException("--shared-cluster runs only idle, dissemination, kill and crash");
      }
      for (int n : sizes) {
        if (n < 4 || n > 100_000) {
          throw new IllegalArgumentException("--nodes must be between 4 and 100000");
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      usage(System.err);
      System.exit(2);
      return;
    }
    options.curves = charts != null;
    if (!json) {
      out.println(ScenarioResult.tableHeader());
    }
    Map<String, List<double[]>> detection = new LinkedHashMap<>();
    for (int n : sizes) {
      List<ScenarioResult> results = new ArrayList<>();
      if (sharedCluster) {
        long started = System.nanoTime();
        results.addAll(Scenarios.onOneCluster(scenarios, n, seed, options));
        double wall = (System.nanoTime() - started) / 1e9;
        for (ScenarioResult r : results) {
          r.put("wall_s", wall);
          print(out, r, json);
        }
      } else {
        for (String scenario : scenarios) {
          long started = System.nanoTime();
          ScenarioResult r = Scenarios.run(scenario, n, seed, options);
          r.put("wall_s", (System.nanoTime() - started) / 1e9);
          print(out, r, json);
          results.add(r);
        }
      }
      for (ScenarioResult r : results) {
        String scenario = (String) r.get("scenario");
        if (charts != null && scenario.equals("dissemination")) {
          charts.mkdirs();
          Map<String, List<Double>> curves = new LinkedHashMap<>();
          if (r.get("push_lacking") != null) {
            curves.put("push (gossip only), measured", castList(r.get("push_lacking")));
          }
          curves.put("push-pull, measured", castList(r.get("pushpull_lacking")));
          curves.put("mean-field model", castList(r.get("model_lacking")));
          Charts.dissemination(new File(charts, "dissemination-" + n + ".png"), n, curves);
        }
        if (scenario.equals("crash") || scenario.equals("kill")) {
          detection.computeIfAbsent(scenario + " p50", k -> new ArrayList<>()).add(new double[] {n,
              r.number("detect_p50_s")});
          detection.computeIfAbsent(scenario + " p99", k -> new ArrayList<>()).add(new double[] {n,
              r.number("detect_p99_s")});
        }
      }
    }
    if (charts != null && !detection.isEmpty() && sizes.size() > 1) {
      charts.mkdirs();
      Map<String, double[][]> series = new LinkedHashMap<>();
      detection.forEach((k, v) -> series.put(k, v.toArray(new double[0][])));
      Charts.detection(new File(charts, "detection-vs-n.png"), series);
    }
  }

  private static void print(PrintStream out, ScenarioResult r, boolean json) {
    if (json) {
      ScenarioResult copy = new ScenarioResult((String) r.get("scenario"), (Integer) r.get("nodes"),
          (Long) r.get("seed"));
      r.fields.forEach((k, v) -> {
        if (!k.endsWith("_lacking")) {
          copy.fields.put(k, v);
        }
      });
      out.println(copy.toJson());
    } else {
      out.println(r.tableRow());
      out.print(r.details());
    }
    out.flush();
  }

  @SuppressWarnings("unchecked")
  private static List<Double> castList(Object o) {
    return (List<Double>) o;
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static void usage(PrintStream out) {
    out.println("usage: java -jar vertx-gossip-simulator.jar --scenario NAME|all --nodes N[,N...] --seed S [--json]");
    out.println("       [--runs R] [--loss-seconds S] [--pause-seconds S] [--profile lan|wan|local] [--charts DIR]");
    out.println("       [--shared-cluster]   form one cluster per size and run idle, dissemination, kill, crash on it");
    out.println("       [--link-spread-us U] give each directed link its own base latency, up to U µs above 250");
    out.println("scenarios: " + String.join(", ", Scenarios.ALL));
  }
}
