package org.vertxgossip.demo.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a deployment test measured: printed as it goes, and all together at its end. */
final class Figures {

  private final String test;
  private final Map<String, List<String>> recorded = new LinkedHashMap<>();

  Figures(String test) {
    this.test = test;
  }

  void record(String what, Object value) {
    recorded.computeIfAbsent(what, k -> new ArrayList<>()).add(String.valueOf(value));
    System.out.println(test + ": " + what + ": " + value);
  }

  static long msSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  @Override
  public String toString() {
    return test + " figures: " + recorded;
  }
}
