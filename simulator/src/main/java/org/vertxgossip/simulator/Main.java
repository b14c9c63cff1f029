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
    Map<String, double[][]> detection = new LinkedHashMap<>();
    for (String scenario : scenarios) {
      List<double[]> p50 = new ArrayList<>();
      List<double[]> p99 = new ArrayList<>();
      for (int n : sizes) {
        long started = System.nanoTime();
        ScenarioResult r = Scenarios.run(scenario, n, seed, options);
        r.put("wall_s", (System.nanoTime() - started) / 1e9);
        if (json) {
          Map<String, Object> printable = new LinkedHashMap<>(r.fields);
          printable.entrySet().removeIf(e -> e.getKey().endsWith("_lacking"));
          ScenarioResult copy = new ScenarioResult(scenario, n, seed);
          copy.fields.putAll(printable);
          out.println(copy.toJson());
        } else {
          out.println(r.tableRow());
          out.print(r.details());
        }
        out.flush();
        if (charts != null && scenario.equals("dissemination")) {
          charts.mkdirs();
          Map<String, List<Double>> curves = new LinkedHashMap<>();
          curves.put("push (gossip only), measured", castList(r.get("push_lacking")));
          curves.put("push-pull, measured", castList(r.get("pushpull_lacking")));
          curves.put("mean-field model", castList(r.get("model_lacking")));
          Charts.dissemination(new File(charts, "dissemination-" + n + ".png"), n, curves);
        }
        if (scenario.equals("crash") || scenario.equals("kill")) {
          p50.add(new double[] {n, r.number("detect_p50_s")});
          p99.add(new double[] {n, r.number("detect_p99_s")});
        }
      }
      if (!p50.isEmpty()) {
        detection.put(scenario + " p50", p50.toArray(new double[0][]));
        detection.put(scenario + " p99", p99.toArray(new double[0][]));
      }
    }
    if (charts != null && !detection.isEmpty() && sizes.size() > 1) {
      charts.mkdirs();
      Charts.detection(new File(charts, "detection-vs-n.png"), detection);
    }
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
    out.println("scenarios: " + String.join(", ", Scenarios.ALL));
  }
}
