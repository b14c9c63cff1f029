package org.vertxgossip.membership;

import java.util.LinkedHashMap;
import java.util.Map;

/** Protocol counters, read by snapshots and the simulator. Written only on the core's thread. */
public final class MembershipStats {
  public long packetsIn;
  public long packetsOut;
  public long bytesIn;
  public long bytesOut;
  public long streamsIn;
  public long streamsOut;
  public long malformed;
  public long unknownTypes;
  public long oversize;
  public long probes;
  public long probeFailures;
  public long streamOnlyAcks;
  public long relaysRefused;
  public long suspicions;
  public long confirmations;
  public long refusedEvidence;
  public long connectionChecks;
  public long refutations;
  public long deadDeclared;
  public long verifications;
  public long pausesDetected;
  public long pushPulls;
  public long reconnects;
  public long joinRequests;
  public long viewsIssued;
  public long viewsDelivered;
  public long viewPulls;
  /** Digest exchanges (with the view's issuer, then random members) for view members this node had no record of. */
  public long recordFetches;
  public long viewHashMismatches;
  /** Newer minor versions' entries and appended fields this core read (only a minor-2 core reads any). */
  public long capabilitiesRead;
  public long appendedFieldsRead;

  public Map<String, Long> toMap() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (var f : MembershipStats.class.getFields()) {
      try {
        m.put(f.getName(), f.getLong(this));
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    return m;
  }
}
