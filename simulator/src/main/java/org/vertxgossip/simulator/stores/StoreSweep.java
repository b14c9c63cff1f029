package org.vertxgossip.simulator.stores;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code java -cp vertx-gossip-simulator.jar org.vertxgossip.simulator.stores.StoreSweep [--seeds N] [--from S]
 * [--seconds T] [--broken none|no-rejoin-reset|no-pause-check] [--verbose]}: runs the seeded churn simulation of the
 * replication core over many seeds and prints each failing seed with its report, then a summary. Exit code 1 if
 * any seed failed.
 */
public final class StoreSweep {

  /** Store counters summed over the sweep, so a pass says which mechanisms it went through. */
  private static final List<String> EXERCISED = List.of("membersLagging", "answeredWithoutLagging",
      "membersCaughtUp", "leasesGranted", "leasesRefused", "writesSuperseded", "handedOver", "pausesDetected",
      "writesAbandoned", "reentered", "grantsVoided", "finishedRefused", "staleTransferFrames", "transferred",
      "repairRounds", "repaired");


  private StoreSweep() {
  }

  public static void main(String[] args) {
    PrintStream out = System.out;
    int seeds = 1000;
    long from = 1;
    int seconds = 30;
    String broken = "none";
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seeds" -> seeds = Integer.parseInt(args[++i]);
        case "--from" -> from = Long.parseLong(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--broken" -> broken = args[++i];
        case "--verbose" -> verbose = true;
        default -> {
          out.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    long started = System.nanoTime();
    int failed = 0;
    long operations = 0;
    long inconclusive = 0;
    Map<String, Long> exercised = new TreeMap<>();
    for (long seed = from; seed < from + seeds; seed++) {
      StoreSimulation.Result r = new StoreSimulation(StoreSimulation.Options.of(seed).withSeconds(seconds)
          .withBroken(broken)).run();
      operations += r.operations();
      for (String k : EXERCISED) {
        exercised.merge(k, r.storeStats().getOrDefault(k, 0L), Long::sum);
      }
      if (!r.report().conclusive()) {
        inconclusive++;
      }
      if (!r.ok()) {
        failed++;
        out.println("seed " + seed + " FAILED:\n" + r.report().text());
        if (verbose) {
          r.events().forEach(e -> out.println("  " + e));
        }
      } else if (verbose) {
        out.println("seed " + seed + " ok: " + r.operations() + " operations, finals " + r.finalValues());
      }
    }
    double secs = (System.nanoTime() - started) / 1e9;
    out.printf("stores sweep: %d seeds (%d..%d), %d s of nemesis each, broken=%s: %d passed, %d failed, "
            + "%d inconclusive (register search bound); %d operations checked; %.1f s%n", seeds, from,
        from + seeds - 1, seconds, broken, seeds - failed, failed, inconclusive, operations, secs);
    out.println("mechanisms exercised over the sweep: " + exercised);
    if (failed > 0) {
      System.exit(1);
    }
  }
}
