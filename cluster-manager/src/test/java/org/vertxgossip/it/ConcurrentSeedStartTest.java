package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three seed JVMs that list each other start at once, and one of them is SIGSTOPped for 1.5 s (within the 2 s
 * discovery window) at a different moment of its join each round, around its transport's binding and first dials: every round exactly one node founds a view
 * (its log says "view 1 of 1"), and the three end in one view. A second founder would make a second lineage, whose
 * merge keeps one side's shared data. The simulator runs the same check over 500 seeds
 * ({@code BehaviourTest.seedsStartedTogetherFoundOneViewEvenWhenTheirStartsStall}).
 */
class ConcurrentSeedStartTest {

  private static final int PORT = 29200;
  private static final List<String> HOSTS = List.of("127.0.0.61", "127.0.0.62", "127.0.0.63");
  private static final long STALL_MS = 1_500;

  private final List<ExternalNode> nodes = new ArrayList<>();
  private final ScheduledExecutorService signals = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void tearDown() {
    signals.shutdownNow();
    nodes.forEach(ExternalNode::close);
  }

  @Test
  void seedsStartedTogetherFoundOneViewWhileOneOfThemStalls() throws Exception {
    String seeds = String.join(",", HOSTS.stream().map(h -> h + ":" + PORT).toList());
    List<String> rounds = new ArrayList<>();
    // Round 0 without a stall; then the stalled seed and the moment change with the round: counted from the line
    // its cluster manager logs as it begins to join, about 250 ms before its transport is bound and it dials.
    long[] stallAfterMs = {-1, 0, 150, 300, 450};
    for (int round = 0; round < stallAfterMs.length; round++) {
      String cluster = "founding-" + UUID.randomUUID();
      List<ExternalNode> these = new ArrayList<>();
      for (String host : HOSTS) {
        these.add(new ExternalNode(host, PORT, seeds, cluster));
      }
      nodes.addAll(these);
      if (stallAfterMs[round] >= 0) {
        ExternalNode stalled = these.get(round % these.size());
        long after = stallAfterMs[round];
        signals.execute(() -> {
          try {
            if (stalled.awaitLine(0, l -> l.contains("vertx-gossip configuration"), 60_000) != null) {
              signals.schedule(() -> signal(stalled, "STOP"), after, TimeUnit.MILLISECONDS);
              signals.schedule(() -> signal(stalled, "CONT"), after + STALL_MS, TimeUnit.MILLISECONDS);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
      for (ExternalNode n : these) {
        assertNotNull(n.awaitLine(0, l -> l.startsWith("READY"), 60_000), n.host + " never got ready" + n.problems());
      }
      ExternalNode.awaitSize(these, 3, 60_000);
      List<String> founders = new ArrayList<>();
      for (ExternalNode n : these) {
        if (n.count(0, l -> l.contains(": view 1 of 1:")) > 0) {
          founders.add(n.host);
        }
      }
      rounds.add("round " + round + ": founders " + founders);
      assertEquals(1, founders.size(), "exactly one founder; " + rounds);
      these.forEach(ExternalNode::close);
      nodes.removeAll(these);
    }
    System.out.println("concurrent seed start: " + rounds);
  }

  private static void signal(ExternalNode n, String signal) {
    try {
      n.signal(signal);
    } catch (Exception e) {
      // the node may have failed to start; its READY wait reports it
    }
  }
}
