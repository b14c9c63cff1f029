package org.vertxgossip.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckerTest {

  private static final List<String> OUTPUT = List.of(
      "client 1 started",
      "H 1 inc hits 1000 2000 OK 1",
      "H 2 inc hits 1500 9000 INFO",
      "H 2 cget hits 9100 9200 OK 2",
      "H 1 acquire L 3000 3100 OK 1",
      "H 1 release L 3500 3600 OK 1",
      "H 2 acquire L 3200 3700 OK 2",
      "H 1 write m 4000 4100 OK a",
      "H 2 read m 4050 4060 OK nil",
      "H 1 cas m 4200 4300 OK a b true",
      "H 2 read m 4400 4500 OK b");

  @Test
  void aCorrectRunPassesAllThree() {
    Checker.Report report = Checker.checkAll(History.parse(OUTPUT), Map.of("hits", 2L), Map.of());
    assertTrue(report.ok(), report.text());
    assertTrue(report.conclusive());
    String text = report.text();
    assertTrue(text.startsWith("history check: OK\n"), text);
    assertTrue(text.contains("hits: acknowledged 1, failed 0, indeterminate 1, final 2, lost 0"), text);
    assertTrue(text.contains("L: acquisitions OK 2 / FAIL 0 / INFO 0, holds 2"), text);
    assertTrue(text.contains("m: ok, 4 op(s)"), text);
  }

  @Test
  void aViolationInAnyFailsTheReport() {
    Checker.Report lost = Checker.checkAll(History.parse(OUTPUT), Map.of("hits", 0L), Map.of());
    assertFalse(lost.ok());
    assertFalse(lost.counters().ok());
    assertTrue(lost.locks().ok());
    assertTrue(lost.text().contains("lost 1 acknowledged increment(s)"), lost.text());

    History stale = History.parse(OUTPUT).add(Op.read(3, "m", 5000, 5100, Outcome.OK, "a"));
    Checker.Report report = Checker.checkAll(stale, Map.of("hits", 2L), Map.of());
    assertFalse(report.ok());
    assertEquals(1, report.violationCount());
    assertTrue(report.text().contains("register m: not linearizable"), report.text());
  }
}
