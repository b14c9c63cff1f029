package org.vertxgossip.transport;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Dropped-input counters, one per reason; written on the gossip loop, readable from any thread. */
public final class DropCounters {

  private final AtomicLongArray counts = new AtomicLongArray(DropReason.values().length);

  public void count(DropReason reason) {
    counts.incrementAndGet(reason.ordinal());
  }

  public long get(DropReason reason) {
    return counts.get(reason.ordinal());
  }

  public long total() {
    long sum = 0;
    for (int i = 0; i < counts.length(); i++) {
      sum += counts.get(i);
    }
    return sum;
  }

  public Map<DropReason, Long> toMap() {
    Map<DropReason, Long> map = new EnumMap<>(DropReason.class);
    for (DropReason r : DropReason.values()) {
      map.put(r, get(r));
    }
    return map;
  }
}
