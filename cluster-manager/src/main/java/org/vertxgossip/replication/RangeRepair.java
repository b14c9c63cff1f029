package org.vertxgossip.replication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.replication.StoreMessage.Digests;
import org.vertxgossip.replication.StoreMessage.KeyVersions;
import org.vertxgossip.replication.StoreMessage.KeyedEntry;
import org.vertxgossip.replication.StoreMessage.Repair;

/**
 * Anti-entropy for the keyed stores, by range digests: the repair of last resort, for an entry a member lost or
 * never got although the protocol says it holds it (a bug, a frame dropped past every resend, a tombstone
 * collected on one side only). Every {@code antiEntropyMs} a member sends one random member the digests of each
 * store over 32 ranges of the key-hash space; the other answers with the 32 sub-range digests of each range that
 * differs; the first sends its keys and versions in each sub-range that still differs; the other sends back the
 * entries it holds newer and asks for those the first holds newer. So a single diverging key costs a few digests,
 * one sub-range's keys and versions (1/1024 of the store), and the entry, however large the store.
 *
 * <p>Only committed entries take part: a key marked uncommitted on either side is left out of the digests and is
 * never overwritten by a repair (its owner, or a hand-over, decides it). Both sides must serve in the same epoch
 * with their state transfer done. A repair merges by version, like every other write, so it can only bring an entry
 * forward.
 */
final class RangeRepair {

  static final int FANOUT = 32;
  private static final int LEAVES = FANOUT * FANOUT;
  /** Entries per repair frame, at most; bytes are bounded by half the frame limit too. */
  private static final int REPAIR_CHUNK = 2_048;

  private final KeyedStores core;
  private long nextRound;

  RangeRepair(KeyedStores core) {
    this.core = core;
  }

  private boolean able(Epoch epoch) {
    return epoch.equals(core.epoch) && core.inView() && core.handOver.serving() && core.transfer.done()
        && core.hasQuorum();
  }

  private static int leafOf(String store, ByteKey key) {
    return leafOf(Rendezvous.hash(store, key.bytes()));
  }

  /** The top 10 bits of a key's hash: its leaf range (the top 5 of them, its range). */
  private static int leafOf(long keyHash) {
    return (int) (keyHash >>> (64 - 10));
  }

  /** The digests of the 1,024 leaf ranges of {@code store}, over committed entries; one key hash per entry. */
  private long[] leafDigests(String store) {
    long[] leaves = new long[LEAVES];
    core.table.forEach(store, (k, e) -> {
      if (!core.uncommitted.isMarked(store, k)) {
        long h = Rendezvous.hash(store, k.bytes());
        leaves[leafOf(h)] += Rendezvous.mix(h ^ Rendezvous.mix(e.version()));
      }
    });
    return leaves;
  }

  private static long[] topDigests(long[] leaves) {
    long[] top = new long[FANOUT];
    for (int i = 0; i < LEAVES; i++) {
      top[i / FANOUT] += Rendezvous.mix(leaves[i] ^ i);
    }
    return top;
  }

  // ---- the rounds --------------------------------------------------------------------------------------------------

  void tick(long now) {
    if (now < nextRound) {
      return;
    }
    long interval = core.config.antiEntropyMs();
    nextRound = now + interval / 2 + (long) (core.env.random().nextDouble() * interval);
    if (!able(core.epoch)) {
      return;
    }
    List<NodeId> others = new ArrayList<>();
    for (NodeId m : core.members) {
      if (!m.equals(core.self) && core.env.addressOf(m) != null) {
        others.add(m);
      }
    }
    if (others.isEmpty()) {
      return;
    }
    NodeAddress to = core.env.addressOf(others.get(core.env.random().nextInt(others.size())));
    core.stats.repairRounds++;
    for (String store : core.table.names()) {
      int[] all = new int[FANOUT];
      for (int i = 0; i < FANOUT; i++) {
        all[i] = i;
      }
      send(to, new Digests(core.self, core.selfAddress, core.epoch, store, 0, all, topDigests(leafDigests(store))));
    }
  }

  void onDigests(Digests d) {
    if (!able(d.epoch()) || d.level() > 1) {
      return;
    }
    long[] leaves = leafDigests(d.store());
    long[] top = topDigests(leaves);
    if (d.level() == 0) {
      if (d.digests().length != FANOUT) {
        core.stats.malformed++;
        return;
      }
      List<Integer> differ = new ArrayList<>();
      for (int t = 0; t < FANOUT; t++) {
        if (top[t] != d.digests()[t]) {
          differ.add(t);
        }
      }
      if (differ.isEmpty()) {
        return;
      }
      int[] ranges = differ.stream().mapToInt(Integer::intValue).toArray();
      long[] sub = new long[ranges.length * FANOUT];
      for (int i = 0; i < ranges.length; i++) {
        System.arraycopy(leaves, ranges[i] * FANOUT, sub, i * FANOUT, FANOUT);
      }
      send(d.replyTo(), new Digests(core.self, core.selfAddress, core.epoch, d.store(), 1, ranges, sub));
      return;
    }
    if (d.digests().length != d.ranges().length * FANOUT) {
      core.stats.malformed++;
      return;
    }
    List<Integer> differ = new ArrayList<>();
    for (int i = 0; i < d.ranges().length; i++) {
      int t = d.ranges()[i];
      if (t < 0 || t >= FANOUT) {
        core.stats.malformed++;
        return;
      }
      for (int l = 0; l < FANOUT; l++) {
        if (leaves[t * FANOUT + l] != d.digests()[i * FANOUT + l]) {
          differ.add(t * FANOUT + l);
        }
      }
    }
    if (differ.isEmpty()) {
      return;
    }
    // The keys of the differing leaves, as many whole leaves as fit a quarter frame; the rest wait for a later round.
    Set<Integer> wanted = new HashSet<>(differ);
    Map<Integer, List<Map.Entry<ByteKey, Long>>> byLeaf = new HashMap<>();
    core.table.forEach(d.store(), (k, e) -> {
      int leaf = leafOf(d.store(), k);
      if (wanted.contains(leaf) && !core.uncommitted.isMarked(d.store(), k)) {
        byLeaf.computeIfAbsent(leaf, x -> new ArrayList<>()).add(Map.entry(k, e.version()));
      }
    });
    List<Integer> sent = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    List<Long> versions = new ArrayList<>();
    long bytes = 0;
    long budget = core.config.maxFrame() / 4;
    // From a random differing leaf on, so that leaves left for later rounds get their turn.
    int from = core.env.random().nextInt(differ.size());
    for (int i = 0; i < differ.size(); i++) {
      int leaf = differ.get((from + i) % differ.size());
      List<Map.Entry<ByteKey, Long>> in = byLeaf.getOrDefault(leaf, List.of());
      long size = 0;
      for (Map.Entry<ByteKey, Long> e : in) {
        size += e.getKey().bytes().length + 16;
      }
      if (size > budget) {
        core.stats.repairLeavesTooLarge++; // a sixteenth of the frame limit in keys alone: not repairable this way
        continue;
      }
      if (bytes + size > budget) {
        break;
      }
      sent.add(leaf);
      bytes += size;
      for (Map.Entry<ByteKey, Long> e : in) {
        keys.add(e.getKey().bytes());
        versions.add(e.getValue());
      }
    }
    send(d.replyTo(), new KeyVersions(core.self, core.selfAddress, core.epoch, d.store(),
        sent.stream().mapToInt(Integer::intValue).toArray(), keys,
        versions.stream().mapToLong(Long::longValue).toArray()));
  }

  void onKeyVersions(KeyVersions k) {
    if (!able(k.epoch())) {
      return;
    }
    Set<Integer> leaves = new HashSet<>();
    for (int l : k.leaves()) {
      leaves.add(l);
    }
    Map<ByteKey, Long> theirs = new HashMap<>();
    for (int i = 0; i < k.keys().size(); i++) {
      theirs.put(new ByteKey(k.keys().get(i)), k.versions()[i]);
    }
    List<KeyedEntry> newer = new ArrayList<>();
    List<byte[]> wanted = new ArrayList<>();
    core.table.forEach(k.store(), (key, e) -> {
      if (!leaves.contains(leafOf(k.store(), key)) || core.uncommitted.isMarked(k.store(), key)) {
        return;
      }
      Long v = theirs.remove(key);
      if (v == null || v < e.version()) {
        newer.add(new KeyedEntry(key.bytes(), e));
      } else if (v > e.version()) {
        wanted.add(key.bytes());
      }
    });
    theirs.keySet().forEach(key -> {
      if (!core.uncommitted.isMarked(k.store(), key)) {
        wanted.add(key.bytes()); // only they hold it
      }
    });
    sendRepair(k.replyTo(), k.store(), newer, wanted);
  }

  void onRepair(Repair r) {
    if (!able(r.epoch())) {
      return;
    }
    for (KeyedEntry e : r.entries()) {
      ByteKey key = new ByteKey(e.key());
      if (core.uncommitted.isMarked(r.store(), key)) {
        continue; // uncommitted here: its owner decides
      }
      if (core.mergeFromPeer(r.store(), key, e.entry())) {
        core.stats.repaired++;
      }
    }
    if (!r.wanted().isEmpty()) {
      List<KeyedEntry> asked = new ArrayList<>();
      for (byte[] k : r.wanted()) {
        ByteKey key = new ByteKey(k);
        StoredEntry e = core.table.get(r.store(), key);
        if (e != null && !core.uncommitted.isMarked(r.store(), key)) {
          asked.add(new KeyedEntry(k, e));
        }
      }
      sendRepair(r.replyTo(), r.store(), asked, List.of());
    }
  }

  private void sendRepair(NodeAddress to, String store, List<KeyedEntry> entries, List<byte[]> wanted) {
    if (entries.isEmpty() && wanted.isEmpty()) {
      return;
    }
    List<List<KeyedEntry>> chunks = new ArrayList<>();
    FrameChunks.split(entries, e -> e.entry().bytesWith(e.key()), REPAIR_CHUNK, core.config.maxFrame() / 2, true,
        chunks::add);
    for (int i = 0; i < chunks.size(); i++) {
      send(to, new Repair(core.self, core.selfAddress, core.epoch, store, chunks.get(i),
          i == chunks.size() - 1 ? wanted : List.of()));
    }
  }

  private void send(NodeAddress to, StoreMessage m) {
    byte[] frame = core.codec.encode(m);
    core.stats.repairBytesSent += frame.length;
    core.env.send(to, frame);
  }
}
