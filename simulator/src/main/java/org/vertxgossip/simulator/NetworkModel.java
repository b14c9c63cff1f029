package org.vertxgossip.simulator;

import java.util.Random;

/**
 * Latency, jitter, loss and partitions between simulated hosts. Streams model TCP: they cross only where both
 * directions are open, and each lost segment costs a retransmission timeout instead of the message.
 */
final class NetworkModel {

  /** One-way base latency and uniform jitter (drawn per message), in microseconds. */
  long latencyUs = 250;
  long jitterUs = 250;
  /** Each directed link's base latency is {@code latencyUs} plus a fixed share of this, drawn from the link's ends. */
  long linkSpreadUs;
  /** Base latencies set for particular directed links (from · 2^32 + to), overriding the two above. */
  private final java.util.Map<Long, Long> linkLatencyUs = new java.util.HashMap<>();
  /** Probability that one datagram (or one TCP segment) is lost. */
  double loss;
  /** Partition group of each node; traffic between different groups is blocked in the directions set below. */
  int[] group;
  /** When true, traffic from group 0 to other groups passes (a one-way partition); otherwise both ways are cut. */
  boolean oneWayFromGroup0;

  private static final long SYN_RTO_US = 1_000_000;
  private static final long DATA_RTO_US = 200_000;

  /** Sets the one-way base latency of the link from {@code from} to {@code to}. */
  void setLinkLatency(int from, int to, long us) {
    linkLatencyUs.put(((long) from << 32) | to, us);
  }

  long baseUs(int from, int to) {
    Long set = linkLatencyUs.get(((long) from << 32) | to);
    if (set != null) {
      return set;
    }
    if (linkSpreadUs == 0) {
      return latencyUs;
    }
    long h = (from * 0x9E3779B97F4A7C15L) ^ (to * 0xC2B2AE3D27D4EB4FL);
    h ^= h >>> 31;
    return latencyUs + Math.floorMod(h, linkSpreadUs + 1);
  }

  long delayUs(int from, int to, Random r) {
    return baseUs(from, to) + (jitterUs == 0 ? 0 : (long) (r.nextDouble() * jitterUs));
  }

  boolean blocked(int from, int to) {
    if (group == null || group[from] == group[to]) {
      return false;
    }
    return !(oneWayFromGroup0 && group[from] == 0);
  }

  boolean lost(Random r) {
    return loss > 0 && r.nextDouble() < loss;
  }

  /** Time for a stream frame to arrive over a new connection, including retransmissions under loss. */
  long streamDelayUs(int from, int to, Random r) {
    long t = 0;
    // Handshake: SYN and SYN-ACK each retried after the initial RTO while lost.
    for (int leg = 0; leg < 2; leg++) {
      int tries = 0;
      while (lost(r) && tries++ < 5) {
        t += SYN_RTO_US << (tries - 1);
      }
      t += delayUs(leg == 0 ? from : to, leg == 0 ? to : from, r);
    }
    int tries = 0;
    while (lost(r) && tries++ < 5) {
      t += DATA_RTO_US << (tries - 1);
    }
    return t + delayUs(from, to, r);
  }

  /** The groups of the last partition, and when it healed: a suspicion begun across it may end just after. */
  private int[] healedGroup;
  private long healedAtUs = Long.MIN_VALUE;

  void heal(long nowUs) {
    healedGroup = group;
    healedAtUs = nowUs;
    group = null;
    oneWayFromGroup0 = false;
  }

  /** Blocked now, or across a partition that healed less than {@code windowUs} ago. */
  boolean blockedWithin(int from, int to, long nowUs, long windowUs) {
    if (blocked(from, to) || blocked(to, from)) {
      return true;
    }
    return healedGroup != null && nowUs - healedAtUs < windowUs && healedGroup[from] != healedGroup[to];
  }
}
