package org.vertxgossip.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The foundation issue's targets, asserted in virtual time with fixed seeds. The simulator is deterministic, so
 * these figures are the same on every machine; only the wall time of the run depends on the machine.
 */
class TargetsTest {

  private static final int N = 1000;

  private static ScenarioResult run(String scenario, int n) {
    Scenarios.Options o = new Scenarios.Options();
    o.runs = 10;
    return Scenarios.run(scenario, n, 1, o);
  }

  /** No healthy member was removed, and the members that stayed connected delivered the same views. */
  private static void assertHealthy(ScenarioResult r) {
    assertEquals(0, r.get("false_dead"), r.toJson());
    assertEquals(true, r.get("same_view_sequence"), r.toJson());
  }

  @Test
  void crashedHostIsGoneFromEveryViewWithinTenSecondsAtTheMedian() {
    ScenarioResult r = run("crash", N);
    assertTrue(r.number("detect_p50_s") <= 10, r.toJson());
    assertTrue(r.number("detect_p99_s") <= 15, r.toJson());
    assertHealthy(r);
  }

  @Test
  void killedProcessIsGoneFromEveryViewWithinThreeSecondsAtTheMedian() {
    ScenarioResult r = run("kill", N);
    assertTrue(r.number("detect_p50_s") <= 3, r.toJson());
    assertHealthy(r);
  }

  @Test
  void newsReachesNinetyNineNinePercentWithinEightRounds() {
    ScenarioResult r = run("dissemination", N);
    assertNotNull(r.get("rounds_999"), r.toJson());
    assertTrue(r.number("rounds_999") <= 8, r.toJson());
    assertTrue(r.number("push_rounds_999") <= 8, r.toJson());
    assertNotNull(r.get("pushpull_rounds_100"), "push-pull reaches everyone: " + r.toJson());
    assertEquals(true, r.get("same_view_sequence"), r.toJson());
  }

  @Test
  void tenPercentLossForAnHourRemovesNobody() {
    ScenarioResult r = run("loss", 100);
    assertEquals(3600L, r.get("simulated_s"));
    assertEquals(0, r.get("false_dead"), r.toJson());
    assertEquals(100, r.get("final_view_size"), r.toJson());
    assertEquals(true, r.get("same_view_sequence"), r.toJson());
    assertTrue(((Number) r.get("suspicions")).longValue() > 0, "the loss was real: suspicions were raised");
  }

  @Test
  void aMemberPausedAgainAndAgainCostsNoHealthyMemberItsPlace() {
    ScenarioResult r = run("pause", N);
    assertHealthy(r);
    assertEquals(true, r.get("paused_member_in_final_view"), r.toJson());
  }

  @Test
  void aHalvesPartitionHealsIntoOneViewWithinAMinute() {
    ScenarioResult r = run("partition", N);
    assertEquals(true, r.get("sides_split_cleanly"), r.toJson());
    assertNotNull(r.get("heal_s"), r.toJson());
    assertTrue(r.number("heal_s") <= 60, r.toJson());
    assertHealthy(r);
  }

  @Test
  void aThousandNodesStartingWithinTenSecondsAgreeWithinAMinute() {
    ScenarioResult r = run("bootstrap", N);
    assertNotNull(r.get("heal_s"), r.toJson());
    assertTrue(r.number("heal_s") <= 60, r.toJson());
    assertEquals(true, r.get("same_view_sequence"), r.toJson());
  }

  @Test
  void anIdleMemberSendsAndReceivesLessThanTwoKilobytesASecond() {
    ScenarioResult r = run("idle", N);
    assertTrue(r.number("bytes_per_node_s") <= 2048, r.toJson());
    assertEquals(0, r.get("false_dead"), r.toJson());
  }
}
