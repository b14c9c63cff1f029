package org.vertxgossip.membership;

import java.util.ArrayList;
import java.util.List;
import org.vertxgossip.membership.wire.MalformedMessageException;
import org.vertxgossip.membership.wire.Message.PushPull;

/**
 * Push-pull over streams. A join exchanges full state with the seeds. Periodically, each node exchanges bucket
 * digests with a random member and then only the records of the buckets that differ (three messages, as in
 * Scuttlebutt and Cassandra). Dead members and unreachable seeds are re-dialled, which is what heals partitions.
 */
final class AntiEntropy {

  /** Members told of an accusation per merge (see {@link StateRules#merge}). */
  private static final int MAX_FORWARDED_ACCUSATIONS = 64;
  private static final long[] NO_DIGEST = new long[0];

  private final Membership core;
  private List<NodeAddress> seeds = List.of();
  private boolean contacting;
  private boolean seedAnswered;

  AntiEntropy(Membership core) {
    this.core = core;
  }

  void start(List<NodeAddress> seedList) {
    seeds = othersOf(seedList);
    long now = core.now();
    contacting = true;
    core.timers.schedule(now, this::contactSeeds);
    MembershipConfig c = core.config;
    if (c.pushPullIntervalMs > 0) {
      // A random first exchange, so that nodes started together do not push-pull in lock-step.
      long first = now + (long) (core.env.random().nextDouble() * c.pushPullIntervalMs(1));
      core.timers.schedule(first, this::periodic);
    }
    core.timers.schedule(now + (long) (core.env.random().nextDouble() * c.reconnectIntervalMs), this::reconnect);
  }

  /** Seeds found again (DNS answers change): the join goes on with the new list. */
  void updateSeeds(List<NodeAddress> seedList) {
    List<NodeAddress> before = seeds;
    seeds = othersOf(seedList);
    if (!contacting && !seedAnswered && !seeds.isEmpty()) {
      contacting = true;
      core.timers.schedule(core.now(), this::contactSeeds);
    } else if (!core.inView()) {
      // The founder rule waits for each listed seed's word: a seed new to the list is asked at once.
      for (NodeAddress s : seeds) {
        if (!before.contains(s)) {
          sendJoin(s);
        }
      }
    }
  }

  private List<NodeAddress> othersOf(List<NodeAddress> seedList) {
    List<NodeAddress> others = new ArrayList<>();
    for (NodeAddress s : seedList) {
      if (!s.equals(core.address) && !others.contains(s)) {
        others.add(s);
      }
    }
    return List.copyOf(others);
  }

  /** Full-state join to every seed, repeated until one answers. */
  private void contactSeeds(long late) {
    if (core.isStopped() || seedAnswered || seeds.isEmpty()) {
      contacting = false;
      return;
    }
    dialSeeds();
    core.timers.schedule(core.now() + core.config.joinRetryMs, this::contactSeeds);
  }

  /** A full-state exchange with every seed now (also after a stall: the founder rule wants answers newer than it). */
  void dialSeeds() {
    for (NodeAddress seed : seeds) {
      sendJoin(seed);
    }
  }

  private void sendJoin(NodeAddress to) {
    core.stats.pushPulls++;
    core.sendStream(to, pushPull(PushPull.REQUEST, true, NO_DIGEST, core.table.records()));
  }

  private void periodic(long late) {
    if (core.isStopped()) {
      return;
    }
    int n = Math.max(1, core.table.liveCount());
    core.timers.schedule(core.now() + core.config.pushPullIntervalMs(n), this::periodic);
    if (core.isLeaving()) {
      return;
    }
    List<Member> peer = core.table.pickRandom(1, m -> m != core.selfMember && m.state.isLive(), core.env.random());
    if (!peer.isEmpty()) {
      sendDigest(peer.get(0).address);
    }
  }

  /**
   * Every interval: with probability dead/live (serf's rule, so that the cluster as a whole tries each dead member
   * about once an interval) re-dial a random dead member; and re-dial one seed that is not a live member.
   */
  private void reconnect(long late) {
    if (core.isStopped()) {
      return;
    }
    core.timers.schedule(core.now() + core.config.reconnectIntervalMs, this::reconnect);
    if (core.isLeaving()) {
      return;
    }
    List<Member> dead = core.table.pickRandom(1, m -> m.state == MemberState.DEAD, core.env.random());
    if (!dead.isEmpty()) {
      int deadCount = 0;
      for (Member m : core.table.all()) {
        if (m.state == MemberState.DEAD) {
          deadCount++;
        }
      }
      double p = (double) deadCount / Math.max(1, core.table.liveCount());
      if (core.env.random().nextDouble() < p) {
        core.stats.reconnects++;
        sendDigest(dead.get(0).address);
      }
    }
    List<NodeAddress> absent = new ArrayList<>();
    for (NodeAddress s : seeds) {
      if (!isLiveAddress(s)) {
        absent.add(s);
      }
    }
    if (!absent.isEmpty()) {
      sendJoin(absent.get(core.env.random().nextInt(absent.size())));
    }
  }

  private boolean isLiveAddress(NodeAddress a) {
    for (Member m : core.table.all()) {
      if (m.state.isLive() && m.address.equals(a)) {
        return true;
      }
    }
    return false;
  }

  /** A digest exchange with {@code to}: each side gets the records the other holds and it lacks. */
  void sendDigest(NodeAddress to) {
    core.stats.pushPulls++;
    int buckets = MemberTable.bucketCountFor(core.table.liveCount());
    core.sendStream(to, pushPull(PushPull.REQUEST, false, core.table.foldedBuckets(buckets), List.of()));
  }

  void onPushPull(PushPull pp) {
    NodeId from = pp.sender().id();
    if (from.equals(core.self)) {
      return;
    }
    StateRules.MergeBudget budget = new StateRules.MergeBudget(MAX_FORWARDED_ACCUSATIONS);
    core.rules.merge(pp.sender(), budget, true);
    NodeAddress peer = pp.sender().address();
    switch (pp.phase()) {
      case PushPull.REQUEST -> {
        mergeAll(pp.records(), budget);
        if (pp.join()) {
          core.sendStream(peer, pushPull(PushPull.RESPONSE, true, NO_DIGEST, core.table.records()));
        } else {
          long[] mine = core.table.foldedBuckets(checkedBucketCount(pp.buckets()));
          core.sendStream(peer, pushPull(PushPull.RESPONSE, false, mine,
              core.table.recordsIn(differing(mine, pp.buckets()))));
        }
      }
      case PushPull.RESPONSE -> {
        mergeAll(pp.records(), budget);
        if (pp.join()) {
          seedAnswered = true;
        } else {
          long[] mine = core.table.foldedBuckets(checkedBucketCount(pp.buckets()));
          boolean[] flagged = differing(mine, pp.buckets());
          List<MemberRecord> ours = core.table.recordsIn(flagged);
          if (!ours.isEmpty()) {
            core.sendStream(peer, pushPull(PushPull.FINAL, false, NO_DIGEST, ours));
          }
        }
      }
      default -> mergeAll(pp.records(), budget);
    }
    core.views.onPeerSummary(peer, pp.view());
  }

  /** Every push-pull message carries this node's own record and view summary. */
  private PushPull pushPull(int phase, boolean join, long[] buckets, List<MemberRecord> records) {
    return new PushPull(phase, join, core.selfMember.toRecord(), core.views.summary(), buckets, records);
  }

  private void mergeAll(List<MemberRecord> records, StateRules.MergeBudget budget) {
    for (MemberRecord r : records) {
      core.rules.merge(r, budget, false);
    }
  }

  private static int checkedBucketCount(long[] buckets) {
    int n = buckets.length;
    if (n == 0 || n > MemberTable.BUCKETS || Integer.bitCount(n) != 1) {
      throw new MalformedMessageException("bad digest bucket count " + n);
    }
    return n;
  }

  private static boolean[] differing(long[] a, long[] b) {
    boolean[] out = new boolean[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] != b[i];
    }
    return out;
  }
}
