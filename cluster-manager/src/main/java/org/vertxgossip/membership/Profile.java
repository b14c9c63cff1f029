package org.vertxgossip.membership;

/**
 * Named starting points. {@code lan} starts from memberlist's LAN values (the Lifeguard-validated ones) and
 * changes three things, each argued in src-docs/protocol.md: a suspicion floor of {@code 2·max(1,log10 N)} probe
 * intervals with three confirmations wanted (memberlist: 4 and 2), push-pull capped at 60 s, and the
 * refused-connection fast path. {@code wan} tolerates slow links; {@code local} is for one machine or a test.
 */
public enum Profile {
  LAN {
    @Override
    MembershipConfig.Builder apply(MembershipConfig.Builder b) {
      return common(b);
    }
  },
  WAN {
    @Override
    MembershipConfig.Builder apply(MembershipConfig.Builder b) {
      common(b);
      b.probeIntervalMs = 5000;
      b.probeTimeoutMs = 3000;
      b.suspicionMult = 3;
      b.refusedSuspicionMs = 5000;
      b.gossipIntervalMs = 500;
      b.gossipNodes = 4;
      b.gossipToTheDeadMs = 60_000;
      b.pushPullIntervalMs = 60_000;
      b.pushPullMaxIntervalMs = 120_000;
      b.joinRetryMs = 5000;
      b.discoveryWindowMs = 8000;
      b.leaveTimeoutMs = 5000;
      return b;
    }
  },
  LOCAL {
    @Override
    MembershipConfig.Builder apply(MembershipConfig.Builder b) {
      common(b);
      b.probeIntervalMs = 500;
      b.probeTimeoutMs = 200;
      b.indirectChecks = 1;
      b.retransmitMult = 2;
      b.refusedSuspicionMs = 100;
      b.gossipIntervalMs = 100;
      b.gossipToTheDeadMs = 15_000;
      b.pushPullIntervalMs = 15_000;
      b.pushPullMaxIntervalMs = 15_000;
      b.reconnectIntervalMs = 10_000;
      b.joinRetryMs = 300;
      b.discoveryWindowMs = 1000;
      b.leaveTimeoutMs = 1000;
      return b;
    }
  };

  abstract MembershipConfig.Builder apply(MembershipConfig.Builder b);

  public MembershipConfig config() {
    return MembershipConfig.builder(this).build();
  }

  public static Profile parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown profile '" + name + "' (expected lan, wan or local)");
    }
  }

  private static MembershipConfig.Builder common(MembershipConfig.Builder b) {
    b.probeIntervalMs = 1000;
    b.probeTimeoutMs = 500;
    b.indirectChecks = 3;
    b.nackRatio = 0.8;
    b.streamFallback = true;
    b.awarenessMax = 8;
    b.suspicionMult = 2;
    b.suspicionMaxMult = 6;
    b.suspicionConfirmations = 3;
    b.refusedSuspicionMs = 100;
    b.retransmitMult = 4;
    b.gossipIntervalMs = 200;
    b.gossipNodes = 3;
    b.gossipToTheDeadMs = 30_000;
    b.pushPullIntervalMs = 30_000;
    b.pushPullMaxIntervalMs = 60_000;
    b.reconnectIntervalMs = 30_000;
    b.deadReapMs = 24 * 3600_000L;
    b.leftTombstoneMs = 24 * 3600_000L;
    b.joinRetryMs = 1000;
    b.discoveryWindowMs = 2000;
    b.maxPacketSize = 1400;
    b.maxStreamFrame = 32 << 20;
    b.metaMaxSize = 512;
    b.maxBroadcastQueue = 1024;
    b.viewBatchMax = 40;
    b.viewHistory = 256;
    b.viewDirectSendMax = 100_000;
    b.leaveTimeoutMs = 2000;
    return b;
  }
}
