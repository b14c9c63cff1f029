package org.vertxgossip.replication;

import java.util.LinkedHashMap;
import java.util.Map;

/** Counters of the replication core; written on its thread, read as a snapshot. */
public final class ReplicationStats {
  long deltasSent;
  long deltasApplied;
  long fullStatesSent;
  long fullStatesApplied;
  long pulls;
  long acks;
  long ackTimeouts;
  long digests;
  long repairs;
  long ignoredStale;
  long malformed;

  public long malformed() {
    return malformed;
  }

  public Map<String, Long> toMap() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("deltasSent", deltasSent);
    m.put("deltasApplied", deltasApplied);
    m.put("fullStatesSent", fullStatesSent);
    m.put("fullStatesApplied", fullStatesApplied);
    m.put("pulls", pulls);
    m.put("acks", acks);
    m.put("ackTimeouts", ackTimeouts);
    m.put("digests", digests);
    m.put("repairs", repairs);
    m.put("ignoredStale", ignoredStale);
    m.put("malformed", malformed);
    return m;
  }
}
