package org.vertxgossip.replication;

import java.util.Map;

/** Counters of the replication core; written on its thread, read as a snapshot. */
public final class ReplicationStats {
  long deltasSent;
  long deltasApplied;
  long fullStatesSent;
  long fullStatesApplied;
  /** Whole states sent again to a member that had not acknowledged this node's latest version. */
  long stateResends;
  long pulls;
  long acks;
  long ackTimeouts;
  long silentSkipped;
  long digests;
  long repairs;
  long ignoredStale;
  long malformed;

  public long malformed() {
    return malformed;
  }

  public Map<String, Long> toMap() {
    return StatCounters.of(this);
  }
}
