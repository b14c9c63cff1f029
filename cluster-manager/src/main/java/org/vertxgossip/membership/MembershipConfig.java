package org.vertxgossip.membership;

import org.vertxgossip.membership.wire.MessageCodec;

/**
 * Every tunable of the membership protocol, in milliseconds where it is a duration. Values that depend on the
 * cluster size N are derived by the methods at the bottom, so that the formulas live in one place (src-docs
 * quotes them).
 */
public final class MembershipConfig {

  public final long probeIntervalMs;
  public final long probeTimeoutMs;
  public final int indirectChecks;
  /** Helpers send their nack after this fraction of the probe timeout (Lifeguard's proposal). */
  public final double nackRatio;
  public final boolean streamFallback;
  public final int awarenessMax;
  public final double suspicionMult;
  public final int suspicionMaxMult;
  public final int suspicionConfirmations;
  /** Suspicion timeout after a refused stream connection; negative disables the fast path. */
  public final long refusedSuspicionMs;
  public final int retransmitMult;
  public final long gossipIntervalMs;
  public final int gossipNodes;
  public final long gossipToTheDeadMs;
  /** 0 disables periodic push-pull (joins still exchange full state). */
  public final long pushPullIntervalMs;
  public final long pushPullMaxIntervalMs;
  public final long reconnectIntervalMs;
  public final long deadReapMs;
  public final long leftTombstoneMs;
  public final long joinRetryMs;
  /**
   * The longest a seed that was dialled and has neither answered nor failed (refused, timed out, broken) holds a
   * node back from founding; see {@link Founding}.
   */
  public final long discoveryWindowMs;
  /**
   * Whether a node that is not among its seeds founds a cluster, once its seeds answered, failed or stayed silent for
   * the discovery window, when it has heard of no other live member. Off by default: with configured seeds only a
   * seed founds, so a seed that is briefly down cannot cause a second cluster. On for zero configuration, where the
   * seeds are only where local peers may be.
   */
  public final boolean foundWhenAlone;
  public final int maxPacketSize;
  public final int maxStreamFrame;
  public final int metaMaxSize;
  public final int maxBroadcastQueue;
  public final int viewBatchMax;
  public final int viewHistory;
  /** Views of at most this many members are sent by the coordinator to every member directly, besides gossip. */
  public final int viewDirectSendMax;
  public final long leaveTimeoutMs;
  /**
   * The minor protocol version this core speaks ({@link org.vertxgossip.membership.wire.MessageCodec}): 1 today; a
   * higher one only behind the test switch that stands in for the next release.
   */
  public final int wireMinor;

  private MembershipConfig(Builder b) {
    probeIntervalMs = b.probeIntervalMs;
    probeTimeoutMs = b.probeTimeoutMs;
    indirectChecks = b.indirectChecks;
    nackRatio = b.nackRatio;
    streamFallback = b.streamFallback;
    awarenessMax = b.awarenessMax;
    suspicionMult = b.suspicionMult;
    suspicionMaxMult = b.suspicionMaxMult;
    suspicionConfirmations = b.suspicionConfirmations;
    refusedSuspicionMs = b.refusedSuspicionMs;
    retransmitMult = b.retransmitMult;
    gossipIntervalMs = b.gossipIntervalMs;
    gossipNodes = b.gossipNodes;
    gossipToTheDeadMs = b.gossipToTheDeadMs;
    pushPullIntervalMs = b.pushPullIntervalMs;
    pushPullMaxIntervalMs = b.pushPullMaxIntervalMs;
    reconnectIntervalMs = b.reconnectIntervalMs;
    deadReapMs = b.deadReapMs;
    leftTombstoneMs = b.leftTombstoneMs;
    joinRetryMs = b.joinRetryMs;
    discoveryWindowMs = b.discoveryWindowMs;
    foundWhenAlone = b.foundWhenAlone;
    maxPacketSize = b.maxPacketSize;
    maxStreamFrame = b.maxStreamFrame;
    metaMaxSize = b.metaMaxSize;
    maxBroadcastQueue = b.maxBroadcastQueue;
    viewBatchMax = b.viewBatchMax;
    viewHistory = b.viewHistory;
    viewDirectSendMax = b.viewDirectSendMax;
    leaveTimeoutMs = b.leaveTimeoutMs;
    wireMinor = b.wireMinor;
  }

  public static Builder builder(Profile profile) {
    return profile.apply(new Builder());
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.probeIntervalMs = probeIntervalMs;
    b.probeTimeoutMs = probeTimeoutMs;
    b.indirectChecks = indirectChecks;
    b.nackRatio = nackRatio;
    b.streamFallback = streamFallback;
    b.awarenessMax = awarenessMax;
    b.suspicionMult = suspicionMult;
    b.suspicionMaxMult = suspicionMaxMult;
    b.suspicionConfirmations = suspicionConfirmations;
    b.refusedSuspicionMs = refusedSuspicionMs;
    b.retransmitMult = retransmitMult;
    b.gossipIntervalMs = gossipIntervalMs;
    b.gossipNodes = gossipNodes;
    b.gossipToTheDeadMs = gossipToTheDeadMs;
    b.pushPullIntervalMs = pushPullIntervalMs;
    b.pushPullMaxIntervalMs = pushPullMaxIntervalMs;
    b.reconnectIntervalMs = reconnectIntervalMs;
    b.deadReapMs = deadReapMs;
    b.leftTombstoneMs = leftTombstoneMs;
    b.joinRetryMs = joinRetryMs;
    b.discoveryWindowMs = discoveryWindowMs;
    b.foundWhenAlone = foundWhenAlone;
    b.maxPacketSize = maxPacketSize;
    b.maxStreamFrame = maxStreamFrame;
    b.metaMaxSize = metaMaxSize;
    b.maxBroadcastQueue = maxBroadcastQueue;
    b.viewBatchMax = viewBatchMax;
    b.viewHistory = viewHistory;
    b.viewDirectSendMax = viewDirectSendMax;
    b.leaveTimeoutMs = leaveTimeoutMs;
    b.wireMinor = wireMinor;
    return b;
  }

  // ---- the formulas -------------------------------------------------------------------------------------------

  /** Lifeguard's floor: {@code suspicionMult · max(1, log10 N) · probeInterval}. */
  public long suspicionMinMs(int n) {
    return Math.round(suspicionMult * Math.max(1.0, Math.log10(n)) * probeIntervalMs);
  }

  /** The timeout a fresh suspicion starts with: {@code suspicionMaxMult · min}. */
  public long suspicionMaxMs(int n) {
    return suspicionMaxMult * suspicionMinMs(n);
  }

  /**
   * The documented worst case from a crash to its removal from the views of a healthy cluster of {@code n} (no
   * member's awareness raised): a full round-robin of one prober ({@code n−1} intervals), the probe timeout, a
   * fresh suspicion's full timeout, and one gossip interval for the coordinator to sequence the view. A refused
   * connection (a crashed process on a live host) usually ends it within {@code refusedSuspicionMs}.
   */
  public long failureDetectionBoundMs(int n) {
    return Math.max(1, n - 1) * probeIntervalMs + probeTimeoutMs + suspicionMaxMs(n) + gossipIntervalMs;
  }

  /** Independent confirmations that bring the timeout down to its floor; none where too few members could give them. */
  public int confirmationsWanted(int n) {
    return n - 2 < suspicionConfirmations ? 0 : suspicionConfirmations;
  }

  /** How often one broadcast is sent before it is dropped: {@code retransmitMult · ceil(log10(N+1))}. */
  public int retransmitLimit(int n) {
    return retransmitMult * (int) Math.ceil(Math.log10(n + 1.0));
  }

  /** memberlist's push-pull scaling ({@code ×(ceil(log2 N − 5) + 1)} above 32 members), capped. */
  public long pushPullIntervalMs(int n) {
    if (pushPullIntervalMs <= 0) {
      return 0;
    }
    long scale = n <= 32 ? 1 : (long) Math.ceil(Math.log(n) / Math.log(2) - 5) + 1;
    return Math.min(pushPullMaxIntervalMs, pushPullIntervalMs * scale);
  }

  /** A mutable builder; {@link #build()} validates. */
  public static final class Builder {
    public long probeIntervalMs;
    public long probeTimeoutMs;
    public int indirectChecks;
    public double nackRatio;
    public boolean streamFallback;
    public int awarenessMax;
    public double suspicionMult;
    public int suspicionMaxMult;
    public int suspicionConfirmations;
    public long refusedSuspicionMs;
    public int retransmitMult;
    public long gossipIntervalMs;
    public int gossipNodes;
    public long gossipToTheDeadMs;
    public long pushPullIntervalMs;
    public long pushPullMaxIntervalMs;
    public long reconnectIntervalMs;
    public long deadReapMs;
    public long leftTombstoneMs;
    public long joinRetryMs;
    public long discoveryWindowMs;
    public boolean foundWhenAlone;
    public int maxPacketSize;
    public int maxStreamFrame;
    public int metaMaxSize;
    public int maxBroadcastQueue;
    public int viewBatchMax;
    public int viewHistory;
    public int viewDirectSendMax;
    public long leaveTimeoutMs;
    public int wireMinor = MessageCodec.MINOR;

    public MembershipConfig build() {
      require(probeIntervalMs > 0, "probeIntervalMs must be positive");
      require(probeTimeoutMs > 0 && probeTimeoutMs < probeIntervalMs, "probeTimeoutMs must be in (0, probeIntervalMs)");
      require(indirectChecks >= 0, "indirectChecks must not be negative");
      require(nackRatio > 0 && nackRatio <= 1, "nackRatio must be in (0, 1]");
      require(awarenessMax >= 1, "awarenessMax must be at least 1");
      require(suspicionMult > 0, "suspicionMult must be positive");
      require(suspicionMaxMult >= 1, "suspicionMaxMult must be at least 1");
      require(suspicionConfirmations >= 0, "suspicionConfirmations must not be negative");
      require(retransmitMult >= 1, "retransmitMult must be at least 1");
      require(gossipIntervalMs > 0 && gossipNodes >= 1, "gossipIntervalMs and gossipNodes must be positive");
      require(pushPullIntervalMs >= 0 && pushPullMaxIntervalMs >= pushPullIntervalMs, "bad push-pull intervals");
      require(reconnectIntervalMs > 0 && joinRetryMs > 0, "reconnect and join intervals must be positive");
      require(maxPacketSize >= 512 && maxPacketSize <= 65000, "maxPacketSize must be in [512, 65000]");
      require(maxStreamFrame >= 65536, "maxStreamFrame must be at least 64 KiB");
      require(metaMaxSize >= 0 && metaMaxSize <= 1024, "metaMaxSize must be in [0, 1024]");
      require(maxBroadcastQueue >= 16, "maxBroadcastQueue must be at least 16");
      require(viewBatchMax >= 1 && viewBatchMax <= 60, "viewBatchMax must be in [1, 60] (one delta per datagram)");
      require(viewHistory >= 8, "viewHistory must be at least 8");
      require(leaveTimeoutMs > 0, "leaveTimeoutMs must be positive");
      require(wireMinor >= 1 && wireMinor <= 255, "wireMinor must be in [1, 255]");
      return new MembershipConfig(this);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
