package org.vertxgossip.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vertxgossip.membership.MemberState;
import org.vertxgossip.membership.MembershipConfig;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.membership.Profile;
import org.vertxgossip.membership.View;

/** Whole-cluster behaviour of the real core in the simulator: hand-over, leave, rejoin, one-way cuts, determinism. */
class BehaviourTest {

  private static final long S = 1_000_000L;
  private final MembershipConfig lan = Profile.LAN.config();

  private static List<Integer> up(Simulation sim) {
    return Scenarios.indices(sim);
  }

  private static SimNode coordinator(Simulation sim) {
    View v = sim.nodes.get(up(sim).get(0)).membership.view();
    return sim.node(v.coordinator());
  }

  @Test
  void whenTheCoordinatorCrashesTheNextOldestTakesOverAndEveryoneAgrees() {
    Simulation sim = Scenarios.formed(50, 3, lan);
    SimNode old = coordinator(sim);
    NodeId successor = sim.nodes.get(up(sim).get(0)).membership.view().members().get(1);
    long t0 = sim.nowUs();
    old.crash();
    sim.recorder.impaired.add(old.id);
    List<Integer> rest = up(sim);
    assertTrue(sim.runUntil(() -> ViewAgreement.allFinal(sim, rest, 49), 100, t0 + 60 * S));
    View v = sim.nodes.get(rest.get(0)).membership.view();
    assertEquals(successor, v.coordinator());
    assertFalse(v.members().contains(old.id));
    assertTrue(sim.node(successor).membership.isCoordinator());
    assertTrue(ViewAgreement.same(sim.recorder, rest, 0, Long.MAX_VALUE));
    assertEquals(0, sim.recorder.falseDead());
  }

  @Test
  void aGracefulLeaveIsSeenEverywhereAtOnceAndNeverUndone() {
    Simulation sim = Scenarios.formed(50, 4, lan);
    SimNode leaver = sim.nodes.get(17);
    long t0 = sim.nowUs();
    leaver.leave();
    sim.recorder.impaired.add(leaver.id);
    sim.runUntil(t0 + 2 * S);
    assertEquals(SimNode.Status.LEFT, leaver.status, "leave completed within its 2 s bound");
    List<Integer> rest = up(sim);
    assertTrue(ViewAgreement.allFinal(sim, rest, 49), "all 49 agree on a view without the leaver within 2 s");
    sim.runUntil(t0 + 120 * S);
    for (int i : rest) {
      assertEquals(MemberState.LEFT, sim.nodes.get(i).membership.member(leaver.id).state());
      assertFalse(sim.nodes.get(i).membership.view().members().contains(leaver.id));
    }
    assertEquals(0, sim.recorder.falseDead());
  }

  @Test
  void theCoordinatorLeavingHandsOverWithoutAGap() {
    Simulation sim = Scenarios.formed(30, 5, lan);
    SimNode old = coordinator(sim);
    old.leave();
    List<Integer> rest = new ArrayList<>(up(sim));
    rest.remove(Integer.valueOf(old.index));
    assertTrue(sim.runUntil(() -> ViewAgreement.allFinal(sim, rest, 29), 50, sim.nowUs() + 5 * S));
    assertTrue(ViewAgreement.same(sim.recorder, rest, 0, Long.MAX_VALUE));
  }

  @Test
  void aMemberPausedPastItsRemovalRejoinsWithANewIncarnation() {
    Simulation sim = Scenarios.formed(40, 6, lan);
    SimNode sleeper = sim.nodes.get(11);
    int before = sleeper.membership.member(sleeper.id).incarnation();
    sim.recorder.impaired.add(sleeper.id);
    sleeper.pause();
    List<Integer> others = new ArrayList<>(up(sim));
    assertTrue(sim.runUntil(() -> ViewAgreement.allFinal(sim, others, 39), 100, sim.nowUs() + 60 * S),
        "removed while paused");
    sleeper.resume();
    List<Integer> all = up(sim);
    assertTrue(sim.runUntil(() -> ViewAgreement.allFinal(sim, all, 40), 100, sim.nowUs() + 60 * S),
        "back in every view");
    assertTrue(sleeper.membership.member(sleeper.id).incarnation() > before);
    assertTrue(ViewAgreement.same(sim.recorder, others, 0, Long.MAX_VALUE));
    assertEquals(0, sim.recorder.falseDead());
  }

  @Test
  void aOneWayCutIsResolvedWithoutLosingTheHealthyMajority() {
    // Over many seeds: the cut node's idea of the coordinator can be stale when it is removed (it suspected
    // everyone it could not hear back from), so its rejoin must follow the redirect it is sent.
    List<Long> failed = new ArrayList<>();
    for (long seed = 1; seed <= 24; seed++) {
      if (!oneWayCutHeals(seed)) {
        failed.add(seed);
      }
    }
    assertEquals(List.of(), failed, "seeds whose one-way cut did not end in one view of all 30");
  }

  private boolean oneWayCutHeals(long seed) {
    Simulation sim = Scenarios.formed(30, seed, lan);
    int[] group = new int[30];
    group[29] = 1;
    sim.network.group = group;
    sim.network.oneWayFromGroup0 = true;
    sim.runUntil(sim.nowUs() + 60 * S);
    List<Integer> majority = new ArrayList<>(up(sim));
    majority.remove(Integer.valueOf(29));
    assertTrue(ViewAgreement.allFinal(sim, majority, 29), "the node that cannot send is removed by the others");
    sim.network.heal(sim.nowUs());
    List<Integer> all = up(sim);
    return sim.runUntil(() -> ViewAgreement.allFinal(sim, all, 30), 100, sim.nowUs() + 120 * S);
  }

  @Test
  void seedsStartedTogetherFoundOneViewEvenWhenTheirStartsStall() {
    // Three seeds and two other nodes start within 800 ms; each seed may stall (a JVM still loading, a loop held up
    // at start-up) for up to 1.9 s, within the 2 s discovery window, before or just after its first dials. A second
    // founder would make a second lineage, whose merge later drops one side's shared data.
    assertEquals(List.of(), runsWithOtherThanOneFounder(500, 1_900), "runs in which other than one node founded");
    // Beyond the bound (a stall longer than the window is as silent as a dead host) a second founder can arise;
    // how often is a figure, not a guarantee.
    System.out.println("founding with stalls of up to 4 s, beyond the 2 s window: "
        + runsWithOtherThanOneFounder(200, 4_000).size() + " of 200 runs had other than one founder");
  }

  /** Seeds among 1..{@code runs} whose start (stalls up to {@code maxStallMs}) had other than one founder. */
  static List<String> runsWithOtherThanOneFounder(int runs, long maxStallMs) {
    List<String> failed = new ArrayList<>();
    for (long seed = 1; seed <= runs; seed++) {
      int founders = foundersOfAStalledStart(seed, maxStallMs);
      if (founders != 1) {
        failed.add("seed " + seed + ": " + founders + " founders");
      }
    }
    return failed;
  }

  /** How many nodes founded a view (delivered a view 1) in one stalled start of 5 nodes, 3 of them seeds. */
  private static int foundersOfAStalledStart(long seed, long maxStallMs) {
    MembershipConfig lan = Profile.LAN.config();
    Simulation sim = new Simulation(seed, lan, new NetworkModel());
    sim.addNodes(5, i -> lan);
    List<NodeAddress> seeds = List.of(Simulation.addressOf(0), Simulation.addressOf(1), Simulation.addressOf(2));
    for (SimNode node : sim.nodes) {
      long startUs = (long) (sim.random.nextDouble() * 800 * 1000);
      boolean stalls = node.index < 3 && sim.random.nextBoolean();
      long stallAfterUs = sim.random.nextBoolean() ? 0 : (long) (sim.random.nextDouble() * 300 * 1000);
      long stallUs = (long) (sim.random.nextDouble() * maxStallMs * 1000);
      sim.at(startUs, () -> {
        node.start(seeds);
        if (stalls) {
          sim.after(stallAfterUs, () -> {
            node.pause();
            sim.after(stallUs, node::resume);
          });
        }
      });
    }
    List<Integer> all = List.of(0, 1, 2, 3, 4);
    assertTrue(sim.runUntil(() -> ViewAgreement.allFinal(sim, all, 5), 100, 120 * S),
        "seed " + seed + ": one view of all 5 within 120 s");
    Set<Long> founded = new HashSet<>();
    for (LongSeq[] views : sim.recorder.views) {
      for (int i = 0; i < views[0].size(); i++) {
        if (views[0].get(i) == 1) {
          founded.add(views[1].get(i));
        }
      }
    }
    return founded.size();
  }

  @Test
  void slowLinksRaiseSuspicionsThatTheSlowMemberRefutes() {
    // Node 7's links take 150 ms each way: a round trip (300 ms) fits the 500 ms probe timeout.
    Simulation fine = linksOfNode7(150_000);
    assertEquals(0, fine.nodes.get(7).membership.stats().refutations, "no probe of it fails");
    assertTrue(ViewAgreement.allFinal(fine, up(fine), 20));
    // At 700 ms each way every probe of it fails, but it is alive: it hears each accusation and refutes it.
    Simulation slow = linksOfNode7(700_000);
    assertTrue(slow.nodes.get(7).membership.stats().refutations > 0, "it is suspected");
    assertTrue(ViewAgreement.allFinal(slow, up(slow), 20), "yet it keeps its place in every view");
    assertEquals(0, slow.recorder.falseDead());
  }

  /** A formed cluster of 20 in which node 7's links in both directions get {@code us} of base latency. */
  private Simulation linksOfNode7(long us) {
    Simulation sim = Scenarios.formed(20, 10, lan);
    for (int i = 0; i < 20; i++) {
      if (i != 7) {
        sim.network.setLinkLatency(7, i, us);
        sim.network.setLinkLatency(i, 7, us);
      }
    }
    sim.runUntil(sim.nowUs() + 300 * S);
    return sim;
  }

  @Test
  void perLinkLatenciesAreStableAndWithinTheirSpread() {
    NetworkModel net = new NetworkModel();
    net.linkSpreadUs = 1000;
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int a = 0; a < 30; a++) {
      for (int b = 0; b < 30; b++) {
        long base = net.baseUs(a, b);
        assertTrue(base >= net.latencyUs && base <= net.latencyUs + 1000);
        assertEquals(base, net.baseUs(a, b));
        seen.add(base);
      }
    }
    assertTrue(seen.size() > 100, "links differ from one another");
  }

  @Test
  void theSameSeedGivesTheSameRunAndAnotherSeedAnotherOne() {
    Scenarios.Options o = new Scenarios.Options();
    o.runs = 3;
    String a = Scenarios.run("kill", 60, 42, o).toJson().replaceAll(",\"wall_s\".*", "");
    String b = Scenarios.run("kill", 60, 42, o).toJson().replaceAll(",\"wall_s\".*", "");
    String c = Scenarios.run("kill", 60, 43, o).toJson().replaceAll(",\"wall_s\".*", "");
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  @Test
  void packetsNeverExceedTheDatagramBudget() {
    Simulation sim = Scenarios.start(200, 9, lan, 3_000);
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(i);
    }
    assertTrue(sim.runUntil(() -> ViewAgreement.allFinal(sim, all, 200), 100, 120 * S));
    for (SimNode n : sim.nodes) {
      assertEquals(0, n.membership.stats().oversize);
      assertEquals(0, n.membership.stats().malformed);
      assertTrue(n.maxPacket <= lan.maxPacketSize, "largest datagram " + n.maxPacket);
    }
  }
}
