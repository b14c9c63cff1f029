package org.vertxgossip.benchmark;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of every run, by row, manager and run, and the table printed from them: each manager's range over
 * the runs, and vertx-gossip's ratio to each incumbent taken within each run (both measured minutes apart on the
 * same machine), as a range.
 */
final class Results {

  /** A row of the table. {@code higherIsBetter} only labels the row; nothing is judged here. */
  record Row(String label, String unit, boolean higherIsBetter) {
  }

  private final Map<Row, Map<Manager, Map<Integer, Double>>> values = new LinkedHashMap<>();

  void put(int run, Row row, Manager manager, double value) {
    values.computeIfAbsent(row, r -> new EnumMap<>(Manager.class))
        .computeIfAbsent(manager, m -> new LinkedHashMap<>()).put(run, value);
  }

  /** The value of {@code key=} in an answer line such as {@code requests count=10 rate=5}. */
  static String field(String line, String key) {
    for (String part : line.split(" ")) {
      if (part.startsWith(key + "=")) {
        return part.substring(key.length() + 1);
      }
    }
    throw new IllegalArgumentException("no " + key + " in: " + line);
  }

  String table(List<Manager> managers) {
    List<String[]> rows = new ArrayList<>();
    List<String> head = new ArrayList<>(List.of("figure", "better"));
    for (Manager m : managers) {
      head.add(m.label());
    }
    for (Manager m : managers) {
      if (m != Manager.GOSSIP && m != Manager.GOSSIP_SEEDED && managers.contains(Manager.GOSSIP)) {
        head.add("gossip ÷ " + m.label());
      }
    }
    rows.add(head.toArray(new String[0]));
    for (Map.Entry<Row, Map<Manager, Map<Integer, Double>>> e : values.entrySet()) {
      Row row = e.getKey();
      List<String> cells = new ArrayList<>();
      cells.add(row.label() + (row.unit().isEmpty() ? "" : " (" + row.unit() + ")"));
      cells.add(row.higherIsBetter() ? "higher" : "lower");
      for (Manager m : managers) {
        Map<Integer, Double> byRun = e.getValue().get(m);
        cells.add(byRun == null ? "" : range(byRun.values(), false));
      }
      Map<Integer, Double> gossip = e.getValue().get(Manager.GOSSIP);
      for (Manager m : managers) {
        if (m == Manager.GOSSIP || m == Manager.GOSSIP_SEEDED || !managers.contains(Manager.GOSSIP)) {
          continue;
        }
        Map<Integer, Double> other = e.getValue().get(m);
        List<Double> ratios = new ArrayList<>();
        if (gossip != null && other != null) {
          for (Map.Entry<Integer, Double> g : gossip.entrySet()) {
            Double o = other.get(g.getKey());
            if (o != null && o != 0) {
              ratios.add(g.getValue() / o);
            }
          }
        }
        cells.add(ratios.isEmpty() ? "" : range(ratios, true));
      }
      rows.add(cells.toArray(new String[0]));
    }
    return markdown(rows);
  }

  private static String range(Iterable<Double> values, boolean ratio) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    String a = format(min, ratio);
    String b = format(max, ratio);
    return a.equals(b) ? a : a + "–" + b;
  }

  private static String format(double v, boolean ratio) {
    if (ratio) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    if (Math.abs(v) >= 100 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,d", Math.round(v));
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String markdown(List<String[]> rows) {
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      sb.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
      if (r == 0) {
        sb.append("|").append("---|".repeat(rows.get(0).length)).append('\n');
      }
    }
    return sb.toString();
  }
}
