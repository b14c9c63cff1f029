package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
  private static final String CHAIN = "VGOSSIP_TEST";
  private static final List<String> MINORITY = List.of("127.0.0.2", "127.0.0.3");
  private static final List<String> MAJORITY = List.of("127.0.0.4", "127.0.0.5", "127.0.0.6");
  private ClusterFixture fixture;
  private boolean chainInstalled;

  @AfterEach
  void tearDown() throws Exception {
    heal();
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void minorityRefusesLocksAndCountersMajorityGoesOn() throws Exception {
    fixture = new ClusterFixture(5, "3");
    fixture.awaitReady();
    for (ExternalNode n : fixture.nodes) {
      awaitSize(n, 5, 30_000);
    }
    split();
    long bound = LAN.failureDetectionBoundMs(5);
    List<ExternalNode> minority = new ArrayList<>(fixture.nodes.subList(0, 2));
    List<ExternalNode> majority = new ArrayList<>(fixture.nodes.subList(2, 5));
    for (ExternalNode n : minority) {
      awaitSize(n, 2, bound * 2);
    }
    for (ExternalNode n : majority) {
      awaitSize(n, 3, bound * 2);
    }
    for (ExternalNode n : minority) {
      String inc = ask(n, "TRYINC split-counter", "INC_");
      assertTrue(inc.startsWith("INC_FAIL") && inc.contains("minimumMembers=3"), inc);
      String lock = ask(n, "LOCK split-lock 1000", "LOCK");
      assertTrue(lock.startsWith("LOCK_FAIL") && lock.contains("minimumMembers=3"), lock);
    }
    ExternalNode m = majority.get(0);
    String inc = ask(m, "TRYINC split-counter", "INC_");
    assertTrue(inc.startsWith("INC_OK"), inc);
    String lock = ask(m, "LOCK split-lock 1000", "LOCK");
    assertTrue(lock.startsWith("LOCKED"), lock);
    System.out.println("partition 2/3 with minimumMembers=3: the minority refused; the majority answered " + inc
        + " and " + lock);
    heal();
    long t0 = System.nanoTime();
    for (ExternalNode n : fixture.nodes) {
      awaitSize(n, 5, 90_000);
    }
    System.out.printf("healed: one view of 5 after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  private static String ask(ExternalNode n, String command, String answerPrefix) throws Exception {
    int mark = n.lineCount();
    n.command(command);
    String answer = n.awaitLine(mark, l -> l.startsWith(answerPrefix), 30_000);
    assertNotNull(answer, n.host + " answered " + command);
    return answer;
  }

  private static void awaitSize(ExternalNode n, int size, long timeoutMs) throws InterruptedException {
    ClusterFixture.awaitTrue(() -> {
      try {
        return ("SIZE " + size).equals(ask(n, "SIZE", "SIZE"));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, timeoutMs, n.host + " sees " + size + " members");
  }

  /** Drops every packet between the two groups, both ways. */
  private void split() throws Exception {
    iptables("-N", CHAIN);
    chainInstalled = true;
    iptables("-I", "INPUT", "-j", CHAIN);
    for (String a : MINORITY) {
      for (String b : MAJORITY) {
        iptables("-A", CHAIN, "-s", a, "-d", b, "-j", "DROP");
        iptables("-A", CHAIN, "-s", b, "-d", a, "-j", "DROP");
      }
    }
  }

  private void heal() throws Exception {
    if (!chainInstalled) {
      return;
    }
    chainInstalled = false;
    iptables("-D", "INPUT", "-j", CHAIN);
    iptables("-F", CHAIN);
    iptables("-X", CHAIN);
  }

  private static void iptables(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("iptables");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
