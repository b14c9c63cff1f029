package org.vertxgossip.replication;

import java.util.Map;

/** Counters of the keyed stores; written on their thread, read as a snapshot. */
public final class StoreStats {
  long requestsSent;
  long operations;
  long writes;
  long appliesReceived;
  long ackTimeouts;
  long requestTimeouts;
  long digests;
  long repairs;
  long locksFreedByDeparture;
  long lateGrantsReleased;
  long malformed;
  long refusedTooLarge;

  public long malformed() {
    return malformed;
  }

  public Map<String, Long> toMap() {
    return StatCounters.of(this);
  }
}
