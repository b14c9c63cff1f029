package org.vertxgossip.replication;

import java.util.LinkedHashMap;
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

  public long malformed() {
    return malformed;
  }

  public Map<String, Long> toMap() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("requestsSent", requestsSent);
    m.put("operations", operations);
    m.put("writes", writes);
    m.put("appliesReceived", appliesReceived);
    m.put("ackTimeouts", ackTimeouts);
    m.put("requestTimeouts", requestTimeouts);
    m.put("digests", digests);
    m.put("repairs", repairs);
    m.put("locksFreedByDeparture", locksFreedByDeparture);
    m.put("lateGrantsReleased", lateGrantsReleased);
    m.put("malformed", malformed);
    return m;
  }
}
