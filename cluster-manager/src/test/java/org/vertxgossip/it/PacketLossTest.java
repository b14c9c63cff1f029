package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Five member JVMs on loopback addresses while iptables drops 10 % of every packet between them, UDP and TCP
 * (root and iptables needed; .ci/run installs it). No healthy member may be removed: every view stays as it was,
 * and counter operations keep completing.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PacketLossTest {

  private static final String MEMBERS = "127.0.0.2-127.0.0.6";
  private static final long LOSS_MS = 60_000;
  private static final long OPERATION_EVERY_MS = 2_000;
  private ClusterFixture fixture;
  private final IptablesChain loss = new IptablesChain("VGOSSIP_LOSS");

  @AfterEach
  void tearDown() throws Exception {
    loss.remove();
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void tenPercentLossRemovesNobodyAndOperationsComplete() throws Exception {
    fixture = new ClusterFixture(5);
    fixture.awaitReady();
    for (ExternalNode n : fixture.nodes) {
      ClusterFixture.awaitTrue(() -> ask(n, "SIZE", "SIZE").equals("SIZE 5"), 30_000, n.host + " sees 5");
    }
    int[] marks = new int[5];
    for (int i = 0; i < 5; i++) {
      marks[i] = fixture.nodes.get(i).lineCount();
    }
    startLoss();
    long end = System.currentTimeMillis() + LOSS_MS;
    int operations = 0;
    while (System.currentTimeMillis() < end) {
      ExternalNode n = fixture.nodes.get(operations % 5);
      String answer = ask(n, "TRYINC lossy-counter", "INC_");
      assertTrue(answer.startsWith("INC_OK"), n.host + ": " + answer);
      operations++;
      assertEquals("INC_OK " + operations, answer, "each increment counted once");
      Thread.sleep(OPERATION_EVERY_MS); // pacing of the operations, not a wait for a condition
    }
    loss.remove();
    for (int i = 0; i < 5; i++) {
      ExternalNode n = fixture.nodes.get(i);
      assertEquals(List.of(), n.linesFrom(marks[i], l -> l.startsWith("VIEW")), n.host + ": no view change");
      assertEquals("SIZE 5", ask(n, "SIZE", "SIZE"));
    }
    System.out.printf("10 %% loss for %d s: no view change on 5 members; %d increments, each counted once%n",
        LOSS_MS / 1000, operations);
  }

  private static String ask(ExternalNode n, String command, String answerPrefix) {
    try {
      return n.ask(command, answerPrefix);
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Drops one packet in ten between members, in both directions and for both protocols. */
  private void startLoss() throws Exception {
    loss.install();
    loss.append("-m", "iprange", "--src-range", MEMBERS, "--dst-range", MEMBERS,
        "-m", "statistic", "--mode", "random", "--probability", "0.1", "-j", "DROP");
  }
}
