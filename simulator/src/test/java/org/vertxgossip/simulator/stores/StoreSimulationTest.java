package org.vertxgossip.simulator.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The churn simulation of the replication core in the build: a few dozen seeds must pass the history checker, the
 * same seed must give the same history, and the checker must catch deliberately broken clusters.
 */
class StoreSimulationTest {

  private static final int SEEDS = 24;

  @Test
  void everySeedPassesTheChecker() {
    List<String> failures = new ArrayList<>();
    long operations = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      StoreSimulation.Result r = StoreSimulation.run(seed);
      operations += r.operations();
      assertTrue(r.report().counters().acknowledged() > 0, "seed " + seed + " counted something");
      if (!r.ok()) {
        failures.add("seed " + seed + ":\n" + r.report().text() + "\n" + String.join("\n", r.events()));
      }
    }
    System.out.println("stores simulation: " + SEEDS + " seeds, " + operations + " operations checked, "
        + failures.size() + " failed");
    assertEquals(List.of(), failures);
  }

  @Test
  void aSeedReproducesItsRun() {
    StoreSimulation.Result a = StoreSimulation.run(7);
    StoreSimulation.Result b = StoreSimulation.run(7);
    assertEquals(a.events(), b.events());
    assertEquals(a.operations(), b.operations());
    assertEquals(a.finalValues(), b.finalValues());
  }

  @Test
  void theCheckerCatchesAClusterWhoseReadmittedMembersKeepWhatTheyHeld() {
    assertTrue(anyFails("no-rejoin-reset"), "some seed must fail when re-admitted members keep stale state");
  }

  @Test
  void theCheckerCatchesAClusterWhoseResumedMembersReadLocally() {
    assertTrue(anyFails("no-pause-check"), "some seed must fail when paused members read locally on resume");
  }

  /**
   * Whether some seed of the first 300 fails on the broken cluster; the search stops at the first. A resumed member
   * reading locally breaks a history in about 3 % of seeds (a read must fall into the moment after the pause), so
   * a short search would hinge on where the failing seeds happen to lie.
   */
  private static boolean anyFails(String broken) {
    for (long seed = 1; seed <= 300; seed++) {
      if (!new StoreSimulation(StoreSimulation.Options.of(seed).withBroken(broken)).run().ok()) {
        return true;
      }
    }
    return false;
  }
}
