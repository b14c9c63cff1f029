package org.vertxgossip.membership;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Every member this node knows, with per-bucket digests kept up to date on each change, so that push-pull can
 * compare two tables by sending a few hundred bytes. Only live members enter the digest: tombstones are reaped
 * at different times on different nodes and would otherwise keep the digests apart.
 */
final class MemberTable {

  static final int BUCKET_BITS = 10;
  static final int BUCKETS = 1 << BUCKET_BITS;

  private final Map<NodeId, Member> byId = new HashMap<>();
  private final ArrayList<Member> dense = new ArrayList<>();
  private final long[] buckets = new long[BUCKETS];
  private int liveCount;

  Member get(NodeId id) {
    return byId.get(id);
  }

  int size() {
    return dense.size();
  }

  int liveCount() {
    return liveCount;
  }

  Collection<Member> all() {
    return dense;
  }

  Member add(NodeId id, NodeAddress address, int incarnation, MemberState state, byte[] meta, long now) {
    Member m = new Member(id, address, incarnation, state, meta, now);
    m.index = dense.size();
    dense.add(m);
    byId.put(id, m);
    account(m, +1);
    return m;
  }

  /** Changes a member's row; the digest and live count follow. */
  void update(Member m, int incarnation, MemberState state, NodeAddress address, byte[] meta, long now) {
    account(m, -1);
    if (m.state != state) {
      m.stateSince = now;
    }
    m.incarnation = incarnation;
    m.state = state;
    m.address = address;
    m.meta = meta;
    account(m, +1);
  }

  void remove(Member m) {
    account(m, -1);
    byId.remove(m.id);
    Member last = dense.remove(dense.size() - 1);
    if (last != m) {
      last.index = m.index;
      dense.set(m.index, last);
    }
  }

  private void account(Member m, int sign) {
    if (m.state.isLive()) {
      liveCount += sign;
      buckets[bucketOf(m.id)] ^= entryHash(m);
    }
  }

  static int bucketOf(NodeId id) {
    return (int) (id.mix() >>> (64 - BUCKET_BITS));
  }

  private static long entryHash(Member m) {
    return Hashing.mix64(m.id.mix() ^ (m.incarnation * 0x9E3779B97F4A7C15L));
  }

  /** The digests folded to {@code n} buckets (a power of two, at most {@link #BUCKETS}). */
  long[] foldedBuckets(int n) {
    long[] out = new long[n];
    int shift = BUCKET_BITS - Integer.numberOfTrailingZeros(n);
    for (int i = 0; i < BUCKETS; i++) {
      out[i >>> shift] ^= buckets[i];
    }
    return out;
  }

  /** How many buckets a digest should have for this many members: 16 to 32 members a bucket. */
  static int bucketCountFor(int members) {
    int n = Integer.highestOneBit(Math.max(8, members / 16));
    return Math.min(BUCKETS, n);
  }

  /** Records of every member (tombstones included) whose bucket, folded to {@code n}, is flagged. */
  List<MemberRecord> recordsIn(boolean[] flagged) {
    int shift = BUCKET_BITS - Integer.numberOfTrailingZeros(flagged.length);
    List<MemberRecord> out = new ArrayList<>();
    for (Member m : dense) {
      if (flagged[bucketOf(m.id) >>> shift]) {
        out.add(m.toRecord());
      }
    }
    return out;
  }

  List<MemberRecord> records() {
    List<MemberRecord> out = new ArrayList<>(dense.size());
    for (Member m : dense) {
      out.add(m.toRecord());
    }
    return out;
  }

  /**
   * Up to {@code k} distinct members accepted by {@code filter}, chosen at random: rejection sampling first (cheap in
   * large tables), then a scan when most members are filtered out.
   */
  List<Member> pickRandom(int k, Predicate<Member> filter, Random random) {
    List<Member> out = new ArrayList<>(k);
    int n = dense.size();
    if (n == 0 || k <= 0) {
      return out;
    }
    for (int attempt = 0; attempt < 4 * k + 8 && out.size() < k; attempt++) {
      Member m = dense.get(random.nextInt(n));
      if (filter.test(m) && !out.contains(m)) {
        out.add(m);
      }
    }
    if (out.size() < k) {
      List<Member> candidates = new ArrayList<>();
      for (Member m : dense) {
        if (filter.test(m) && !out.contains(m)) {
          candidates.add(m);
        }
      }
      while (out.size() < k && !candidates.isEmpty()) {
        int i = random.nextInt(candidates.size());
        out.add(candidates.get(i));
        candidates.set(i, candidates.get(candidates.size() - 1));
        candidates.remove(candidates.size() - 1);
      }
    }
    return out;
  }
}
