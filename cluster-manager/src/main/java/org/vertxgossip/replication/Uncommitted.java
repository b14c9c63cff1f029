package org.vertxgossip.replication;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.vertxgossip.membership.NodeId;

/**
 * The keys whose latest write this member holds but does not yet know to be on every member (its owner's commit
 * watermark has not passed it). A read of such a key must not be answered locally: another member may still
 * answer the older value, and the write may yet be replaced in a hand-over. Marks are set by writes, cleared by
 * each owner's watermark, and handed to the key's new owner when an epoch moves the key.
 */
final class Uncommitted {

  /**
   * The owner and id of the latest uncommitted write of a key, and the answers of each such write by id (those the
   * watermark passes are dropped, so a key written without pause keeps only what is still uncommitted).
   */
  static final class Mark {
    final NodeId owner;
    long applyId;
    /** Its key's owner in this member's epoch is another: only that owner's write may clear it. */
    boolean moved;
    private final ArrayDeque<Map.Entry<Long, List<Outcome>>> writes = new ArrayDeque<>();

    Mark(NodeId owner) {
      this.owner = owner;
    }

    NodeId owner() {
      return owner;
    }

    long applyId() {
      return applyId;
    }

    List<Outcome> outcomes() {
      List<Outcome> all = new ArrayList<>();
      writes.forEach(w -> all.addAll(w.getValue()));
      return all;
    }
  }

  private record Written(long applyId, StoreKey key) {
  }

  private final Map<StoreKey, Mark> marks = new ConcurrentHashMap<>();
  private final Map<NodeId, ArrayDeque<Written>> byOwner = new HashMap<>();
  private final Map<NodeId, Long> watermarks = new HashMap<>();

  boolean isMarked(String store, ByteKey key) {
    return !marks.isEmpty() && marks.containsKey(new StoreKey(store, key));
  }

  Mark mark(StoreKey key) {
    return marks.get(key);
  }

  int size() {
    return marks.size();
  }

  /**
   * A write of {@code owner} arrived; nothing is marked if the owner's watermark already passed it. {@code moved}:
   * the key's owner in this member's epoch is another (a write copied from a joiner's source).
   */
  void written(NodeId owner, long applyId, StoreKey key, List<Outcome> outcomes, boolean moved) {
    if (applyId < watermarks.getOrDefault(owner, 0L)) {
      return;
    }
    Mark m = marks.get(key);
    if (m == null || !m.owner.equals(owner)) {
      // Another owner's mark is replaced: this write is the new owner's decision on the key, and the answers of
      // the old one's writes were installed with them (and re-sent by the hand-over, if adopted).
      m = new Mark(owner);
    }
    m.applyId = Math.max(m.applyId, applyId);
    m.moved = moved;
    if (!outcomes.isEmpty()) {
      m.writes.add(Map.entry(applyId, outcomes));
    }
    marks.put(key, m);
    byOwner.computeIfAbsent(owner, o -> new ArrayDeque<>()).add(new Written(applyId, key));
  }

  /**
   * Every write of {@code owner} below {@code below} that is still its own is on every member. A mark of a key
   * that has moved to another owner stays: that owner decides what becomes of it, and replaces the mark with its
   * own write. (Whether a key moved is settled once per epoch, in {@link #byOwner}, not per commit.)
   */
  void committed(NodeId owner, long below) {
    Long before = watermarks.get(owner);
    if (before != null && before >= below) {
      return;
    }
    watermarks.put(owner, below);
    ArrayDeque<Written> q = byOwner.get(owner);
    while (q != null && !q.isEmpty() && q.peek().applyId() < below) {
      Written w = q.poll();
      Mark m = marks.get(w.key());
      if (m != null && m.owner.equals(owner) && !m.moved) {
        if (m.applyId < below) {
          marks.remove(w.key());
        } else {
          while (!m.writes.isEmpty() && m.writes.peek().getKey() < below) {
            m.writes.poll();
          }
        }
      }
    }
  }

  /**
   * Every mark, by the owner of its key in the new epoch ({@code ownerOf}): that owner re-sends the newest of each
   * key unless the write is its own and still on its way. Marks stay until a write of the key's owner commits, so
   * a key whose hand-over is cut short by another view change is reported again in the next one. Marks whose key
   * moved away from their writer are flagged, so that writer's watermark no longer clears them.
   */
  Map<NodeId, List<Map.Entry<StoreKey, Mark>>> byOwner(Function<StoreKey, NodeId> ownerOf) {
    Map<NodeId, List<Map.Entry<StoreKey, Mark>>> out = new HashMap<>();
    for (Map.Entry<StoreKey, Mark> e : marks.entrySet()) {
      NodeId owner = ownerOf.apply(e.getKey());
      e.getValue().moved = owner == null || !owner.equals(e.getValue().owner);
      if (owner != null) {
        out.computeIfAbsent(owner, o -> new ArrayList<>()).add(Map.entry(e.getKey(), e.getValue()));
      }
    }
    return out;
  }

  /**
   * Forgets the write order of owners no longer in the view (their watermarks will not move); their marks stay
   * until the keys' new owners replace them.
   */
  void retainOwners(java.util.Set<NodeId> members) {
    byOwner.keySet().retainAll(members);
    watermarks.keySet().retainAll(members);
  }

  void clear() {
    marks.clear();
    byOwner.clear();
    watermarks.clear();
  }
}
