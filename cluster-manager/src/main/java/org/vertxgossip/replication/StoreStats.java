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
  /**
   * Transfer frames from a source this joiner no longer pulls from (or after its transfer finished), ignored: the
   * answers they carry may belong to writes that never committed.
   */
  long staleTransferFrames;
  /**
   * Answers of an uncommitted write left out of a transfer entry or a hand-over report because, with the entry,
   * they would not fit one frame (they still travel in the kept answers of a transfer).
   */
  long answersLeftOut;
  long staleEpochRefused;
  long requestTimeouts;
  /** Late copies of requests their requesters had finished, refused rather than applied again. */
  long finishedRefused;
  long handedOver;
  long pulls;
  /** Views that were no successor of this member's while it stayed in (it missed one): it dropped and pulled again. */
  long reentered;
  long pullsServed;
  long transferred;
  long lockGrants;
  long locksRefusedToNonMembers;
  long locksFreedByDeparture;
  long lateGrantsReleased;
  /** Lock acquisitions that waited across a pause of this node, failed because it was removed meanwhile. */
  long grantsVoided;
  /** Grants that arrived for such an acquisition and were held back until the view was confirmed or voided. */
  long grantsHeld;
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
