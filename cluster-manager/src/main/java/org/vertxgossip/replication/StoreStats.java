package org.vertxgossip.replication;

import java.util.Map;

/** Counters of the keyed stores; written on their thread, read as a snapshot. */
public final class StoreStats {
  long requestsSent;
  long redirects;
  long operations;
  long writes;
  long appliesReceived;
  long appliesRefused;
  long appliesResent;
  long writesResent;
  long writesAbandoned;
  long writesDeferred;
  long pullsIncomplete;
  long staleEpochRefused;
  long requestTimeouts;
  long handedOver;
  long pulls;
  long pullsServed;
  long transferred;
  long lockGrants;
  long locksRefusedToNonMembers;
  long locksFreedByDeparture;
  long lateGrantsReleased;
  long pausesDetected;
  long earlyDropped;
  long malformed;
  long refusedTooLarge;
  long refusedInFlight;
  long writesSuperseded;
  long answeredWithoutLagging;
  long membersLagging;
  long membersCaughtUp;
  long leasesAsked;
  long leasesGranted;
  long leasesRefused;
  long repairRounds;
  long repaired;
  long repairBytesSent;
  long repairLeavesTooLarge;
  long implausibleVersions;

  public long malformed() {
    return malformed;
  }

  public Map<String, Long> toMap() {
    return StatCounters.of(this);
  }
}
