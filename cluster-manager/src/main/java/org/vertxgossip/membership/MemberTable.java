package org.vertxgossip.membership;

import java.util.ArrayList;
import java.util.List;
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

  /**
   * Open addressing with linear probing, straight on the members: a 10,000-member table costs 4 bytes a slot
   * rather than a hash-map node per member, which is what lets the simulator hold 10^8 rows. Load stays below 60 %,
   * so a random slot is a member often enough for rejection sampling.
   */
  private Member[] slots = new Member[16];
  private int size;
  private final long[] buckets = new long[BUCKETS];
  private int liveCount;

  private static int hash(NodeId id) {
    return (int) Hashing.mix64(id.msb() ^ id.lsb());
  }

  Member get(NodeId id) {
    int mask = slots.length - 1;
    for (int i = hash(id) & mask; slots[i] != null; i = (i + 1) & mask) {
      if (slots[i].id.equals(id)) {
        return slots[i];
      }
    }
    return null;
  }

  int size() {
    return size;
  }

  int liveCount() {
    return liveCount;
  }

  /** Every row, tombstones included. Do not add or remove while iterating. */
  Iterable<Member> all() {
    return () -> new java.util.Iterator<>() {
      private int next = advance(0);

      private int advance(int from) {
        int i = from;
        while (i < slots.length && slots[i] == null) {
          i++;
        }
        return i;
      }

      @Override
      public boolean hasNext() {
        return next < slots.length;
      }

      @Override
      public Member next() {
        if (next >= slots.length) {
          throw new java.util.NoSuchElementException();
        }
        Member m = slots[next];
        next = advance(next + 1);
        return m;
      }
    };
  }

  Member add(NodeId id, NodeAddress address, int incarnation, MemberState state, byte[] meta, long now) {
    if ((size + 1) * 10 > slots.length * 6) {
      resize(slots.length * 2);
    }
    Member m = new Member(id, address, incarnation, state, meta, now);
    insert(slots, m);
    size++;
    account(m, +1);
    return m;
  }

  private static void insert(Member[] table, Member m) {
    int mask = table.length - 1;
    int i = hash(m.id) & mask;
    while (table[i] != null) {
      i = (i + 1) & mask;
    }
    table[i] = m;
  }

  private void resize(int capacity) {
    Member[] bigger = new Member[capacity];
    for (Member m : slots) {
      if (m != null) {
        insert(bigger, m);
      }
    }
    slots = bigger;
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

  /** Removes a row, shifting later rows of its probe run back so that lookups still find them. */
  void remove(Member m) {
    int mask = slots.length - 1;
    int i = hash(m.id) & mask;
    while (slots[i] != m) {
      if (slots[i] == null) {
        return;
      }
      i = (i + 1) & mask;
    }
    account(m, -1);
    slots[i] = null;
    size--;
    for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
      int home = hash(slots[j].id) & mask;
      // Move slots[j] into the hole at i unless its home lies cyclically in (i, j].
      boolean homeBetween = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!homeBetween) {
        slots[i] = slots[j];
        slots[j] = null;
        i = j;
      }
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

  /** Records of every member (tombstones included) whose bucket, folded to {@code flagged.length}, is flagged. */
  List<MemberRecord> recordsIn(boolean[] flagged) {
    int shift = BUCKET_BITS - Integer.numberOfTrailingZeros(flagged.length);
    List<MemberRecord> out = new ArrayList<>();
    for (Member m : all()) {
      if (flagged[bucketOf(m.id) >>> shift]) {
        out.add(m.toRecord());
      }
    }
    return out;
  }

  List<MemberRecord> records() {
    List<MemberRecord> out = new ArrayList<>(size);
    for (Member m : all()) {
      out.add(m.toRecord());
    }
    return out;
  }

  /**
   * Up to {@code k} distinct members accepted by {@code filter}, chosen at random: random slots first (cheap in
   * large tables), then a scan when most members are filtered out.
   */
  List<Member> pickRandom(int k, Predicate<Member> filter, Random random) {
    List<Member> out = new ArrayList<>(k);
    if (size == 0 || k <= 0) {
      return out;
    }
    for (int attempt = 0; attempt < 12 * k + 24 && out.size() < k; attempt++) {
      Member m = slots[random.nextInt(slots.length)];
      if (m != null && filter.test(m) && !out.contains(m)) {
        out.add(m);
      }
    }
    if (out.size() < k) {
      List<Member> candidates = new ArrayList<>();
      for (Member m : all()) {
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
