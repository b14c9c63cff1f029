package org.vertxgossip.replication;

import java.util.PriorityQueue;

/**
 * TTL deadlines and tombstones. Readers hide an expired entry at once (its deadline is absolute); its owner then
 * deletes it with an ordinary write, conditional on the entry's version, so a newer write of the key is never
 * deleted. Deletes leave tombstones, collected once older than the horizon.
 */
final class Expiries {

  private static final long COLLECT_EVERY_MS = 60_000;
  private static final long LOOK_AGAIN_MS = 1_000;

  private record Due(long at, StoreKey key, long version) implements Comparable<Due> {
    @Override
    public int compareTo(Due o) {
      return Long.compare(at, o.at);
    }
  }

  private final KeyedStores core;
  private final PriorityQueue<Due> due = new PriorityQueue<>();
  private long nextCollection;

  Expiries(KeyedStores core) {
    this.core = core;
    this.nextCollection = core.env.now() + COLLECT_EVERY_MS;
  }

  void written(StoreKey key, StoredEntry entry) {
    if (entry.expiresAt() > 0 && entry.value() != null) {
      due.add(new Due(entry.expiresAt(), key, entry.version()));
    }
  }

  void tick(long now) {
    long wall = core.env.wallTime();
    java.util.List<Due> later = new java.util.ArrayList<>();
    while (!due.isEmpty() && due.peek().at() <= wall) {
      Due x = due.poll();
      StoredEntry current = core.table.get(x.key().store(), x.key().key());
      if (current == null || current.version() != x.version() || current.isTombstone()) {
        continue;
      }
      if (core.ownsHere(x.key().store(), x.key().key()) && core.handOver.serving()) {
        core.handleOp(core.self, 0, 0, core.selfAddress, core.epoch, new StoreRequest(x.key().store(),
            x.key().key().bytes(), StoreOp.EXPIRE, null, null, 0, x.version(), 0));
      } else {
        // Its owner deletes it; should the owner be gone meanwhile, look again later (readers never see it anyway).
        later.add(new Due(wall + LOOK_AGAIN_MS, x.key(), x.version()));
      }
    }
    due.addAll(later);
    if (now >= nextCollection) {
      nextCollection = now + COLLECT_EVERY_MS;
      core.table.collectTombstones((wall - core.config.tombstoneHorizonMs()) << 12);
    }
  }

  void clear() {
    due.clear();
  }
}
