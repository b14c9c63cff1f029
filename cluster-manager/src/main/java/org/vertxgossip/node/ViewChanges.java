package org.vertxgossip.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts of the views this node delivered, the members they admitted and removed (by cause); on the node's loop. */
final class ViewChanges {
  private long views;
  private long admitted;
  private final Map<String, Long> removed = new LinkedHashMap<>();

  ViewChanges() {
    // Every cause present from the start, so that a metric of each exists before its first removal.
    for (String cause : List.of("left", "failed", "removed")) {
      removed.put(cause, 0L);
    }
  }

  /** A view: {@code admittedHere} members admitted; removals are counted one by one, once their cause is known. */
  void delivered(int admittedHere) {
    views++;
    admitted += admittedHere;
  }

  void removed(String cause) {
    removed.merge(cause, 1L, Long::sum);
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("views", views);
    m.put("admitted", admitted);
    m.put("removed", new LinkedHashMap<>(removed));
    return m;
  }
}
