package org.vertxgossip.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The build's short run of the benchmark (the whole one is a command of its own, see the README): three
 * vertx-gossip JVMs, a seeded founder and a bare Vert.x, one second per load. It checks that every figure is
 * produced and that no operation failed, not what the figures are.
 */
class BenchmarkSmokeTest {

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void everyFigureIsMeasuredAndNoOperationFails() throws Exception {
    String table = Benchmark.runAndPrint(new String[] {"--runs", "1", "--nodes", "3", "--seconds", "1",
        "--warmup", "1", "--settle", "1", "--idle", "1", "--managers", "gossip,bare,gossip_seeded"});
    Map<String, String[]> rows = new HashMap<>();
    for (String line : table.split("\n")) {
      if (line.startsWith("| ")) {
        String[] cells = line.substring(2, line.length() - 2).split(" \\| ", -1);
        rows.put(cells[0], cells);
      }
    }
    for (Results.Row row : List.of(Benchmark.FOUNDER, Benchmark.JOINER, Benchmark.RSS, Benchmark.HEAP,
        Benchmark.THREADS, Benchmark.OS_THREADS, Benchmark.CPU, Benchmark.JARS, Benchmark.SEQ_RATE,
        Benchmark.SEQ_P50, Benchmark.SEQ_P99, Benchmark.SEQ_MAX, Benchmark.RATE, Benchmark.P99, Benchmark.FANOUT,
        Benchmark.PUTS, Benchmark.GETS, Benchmark.INCREMENTS, Benchmark.LOCKS, Benchmark.FAILED)) {
      String label = row.label() + (row.unit().isEmpty() ? "" : " (" + row.unit() + ")");
      String[] cells = rows.get(label);
      assertTrue(cells != null && !cells[2].isEmpty(), "no vertx-gossip figure for " + label + " in\n" + table);
    }
    for (Results.Row row : List.of(Benchmark.SEQ_RATE, Benchmark.RATE, Benchmark.FANOUT, Benchmark.PUTS,
        Benchmark.GETS, Benchmark.INCREMENTS, Benchmark.LOCKS)) {
      String gossip = rows.get(row.label() + " (" + row.unit() + ")")[2];
      assertTrue(Double.parseDouble(gossip.replace(",", "")) > 0, row.label() + ": " + gossip);
    }
    assertEquals("0", rows.get(Benchmark.FAILED.label())[2], "operations failed:\n" + table);
    String[] founder = rows.get(Benchmark.FOUNDER.label() + " (ms)");
    assertTrue(!founder[3].isEmpty() && !founder[4].isEmpty(), "the bare and seeded founders' starts: " + table);
  }
}
