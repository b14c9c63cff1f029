package org.vertxgossip.checker;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts every violation but keeps the text of only the first {@link CheckResult#MAX_DESCRIBED}, so a badly
 * broken run yields a readable report rather than thousands of lines.
 */
final class Violations {

  private final List<String> described = new ArrayList<>();
  private int count;

  void add(String description) {
    count++;
    if (described.size() < CheckResult.MAX_DESCRIBED) {
      described.add(description);
    }
  }

  int count() {
    return count;
  }

  List<String> described() {
    return List.copyOf(described);
  }

  /** The described violations, one per indented line, and how many more were left out. */
  static String format(List<String> described, int count) {
    StringBuilder b = new StringBuilder();
    for (String d : described) {
      b.append("\n  - ").append(d.replace("\n", "\n    "));
    }
    if (count > described.size()) {
      b.append("\n  ... and ").append(count - described.size()).append(" more");
    }
    return b.toString();
  }
}
