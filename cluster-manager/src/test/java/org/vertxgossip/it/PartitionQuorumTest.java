package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.membership.MembershipConfig;
import org.vertxgossip.membership.Profile;

/**
 * Five member JVMs with {@code minimumMembers=3}, split 2/3 by iptables rules on the loopback addresses (root and
 * iptables needed; .ci/run installs it): the minority refuses locks and counter updates with an error that says
 * why, the majority goes on, and once the rules go the two sides merge into one view.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PartitionQuorumTest {

  private static final MembershipConfig LAN = Profile.LAN.config();
  private static final List<String> MINORITY = List.of("127.0.0.2", "127.0.0.3");
  private static final List<String> MAJORITY = List.of("127.0.0.4", "127.0.0.5", "127.0.0.6");
  private ClusterFixture fixture;
  private final IptablesChain partition = new IptablesChain("VGOSSIP_TEST");

  @AfterEach
  void tearDown() throws Exception {
    partition.remove();
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void minorityRefusesLocksAndCountersMajorityGoesOn() throws Exception {
    fixture = new ClusterFixture(5, "3");
    fixture.awaitReady();
    ExternalNode.awaitSize(fixture.nodes, 5, 30_000);
    split();
    long bound = LAN.failureDetectionBoundMs(5);
    List<ExternalNode> minority = new ArrayList<>(fixture.nodes.subList(0, 2));
    List<ExternalNode> majority = new ArrayList<>(fixture.nodes.subList(2, 5));
    ExternalNode.awaitSize(minority, 2, bound * 2);
    ExternalNode.awaitSize(majority, 3, bound * 2);
    for (ExternalNode n : minority) {
      String inc = n.ask("TRYINC split-counter", "INC_");
      assertTrue(inc.startsWith("INC_FAIL") && inc.contains("minimumMembers=3"), inc);
      String lock = n.ask("LOCK split-lock 1000", "LOCK");
      assertTrue(lock.startsWith("LOCK_FAIL") && lock.contains("minimumMembers=3"), lock);
    }
    ExternalNode m = majority.get(0);
    String inc = m.ask("TRYINC split-counter", "INC_");
    assertTrue(inc.startsWith("INC_OK"), inc);
    String lock = m.ask("LOCK split-lock 1000", "LOCK");
    assertTrue(lock.startsWith("LOCKED"), lock);
    System.out.println("partition 2/3 with minimumMembers=3: the minority refused; the majority answered " + inc
        + " and " + lock);
    partition.remove();
    long t0 = System.nanoTime();
    ExternalNode.awaitSize(fixture.nodes, 5, 90_000);
    System.out.printf("healed: one view of 5 after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  /** Drops every packet between the two groups, both ways. */
  private void split() throws Exception {
    partition.install();
    for (String a : MINORITY) {
      for (String b : MAJORITY) {
        partition.append("-s", a, "-d", b, "-j", "DROP");
        partition.append("-s", b, "-d", a, "-j", "DROP");
      }
    }
  }
}
