package org.vertxgossip.checker;

import java.util.List;

/** What every checker returns: a verdict, how many violations it found, and the first few described. */
public interface CheckResult {

  /** How many violations are described at most; the rest are only counted. */
  int MAX_DESCRIBED = 20;

  /** True when no violation was found. */
  default boolean ok() {
    return violationCount() == 0;
  }

  /** All violations found. */
  int violationCount();

  /** Human-readable descriptions of the first {@link #MAX_DESCRIBED} violations. */
  List<String> violations();

  /** One paragraph: the counts, then the described violations. */
  String summary();
}
