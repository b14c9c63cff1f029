package org.vertxgossip.replication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.vertxgossip.membership.NodeId;

/**
 * The answers of requests that may still be retried, per requester, so that a retry reaching a new owner after an
 * owner change is answered and not applied twice. A requester's answers below its low watermark (its lowest request
 * still waiting, carried by every request) are dropped, and so are all of a requester that left the view: what is
 * kept is what can still be asked for. A requester that left the view keeps its answers for {@link #GRACE_MS}: one
 * paused past its removal comes back and retries what it had sent. Bounded by count per requester and by the bytes
 * of the values answers carry; past those bounds the oldest go first and are counted.
 *
 * <p>Each requester's highest low watermark seen is kept as its floor: a request below it is finished at the
 * requester, so a copy of it that arrives late (sent again while its answer was on the way, and held up behind a
 * stalled connection while the requester's next request reached this member by another) is refused, not applied
 * again. Whatever drops an answer for the watermark raises the floor in the same step.
 */
final class ResultSessions {

  /** How long the answers of a requester gone from the view are kept (longer than any request's deadline). */
  static final long GRACE_MS = 120_000;

  private final int maxPerRequester;
  private final Map<NodeId, Long> goneSince = new HashMap<>();
  private final long maxBytes;
  private final Map<NodeId, TreeMap<Long, StoreResult>> sessions = new HashMap<>();
  private final Map<NodeId, Long> floors = new HashMap<>();
  private long bytes;
  long evicted;

  ResultSessions(int maxPerRequester, long maxBytes) {
    this.maxPerRequester = maxPerRequester;
    this.maxBytes = maxBytes;
  }

  StoreResult get(NodeId requester, long seq) {
    TreeMap<Long, StoreResult> s = sessions.get(requester);
    return s == null ? null : s.get(seq);
  }

  /** Whether {@code requester} had finished request {@code seq} when it sent a request this member saw. */
  boolean finished(NodeId requester, long seq) {
    return seq < floors.getOrDefault(requester, 0L);
  }

  /** {@code requester} waits for nothing below {@code low}: its answers there are dropped, its copies refused. */
  void raiseFloor(NodeId requester, long low) {
    long floor = floors.merge(requester, low, Math::max);
    TreeMap<Long, StoreResult> s = sessions.get(requester);
    while (s != null && !s.isEmpty() && s.firstKey() < floor) {
      bytes -= sizeOf(s.pollFirstEntry().getValue());
    }
  }

  void put(Outcome o) {
    raiseFloor(o.requester(), o.low());
    if (finished(o.requester(), o.seq())) {
      return;
    }
    TreeMap<Long, StoreResult> s = sessions.computeIfAbsent(o.requester(), r -> new TreeMap<>());
    StoreResult old = s.put(o.seq(), o.result());
    bytes += sizeOf(o.result()) - (old == null ? 0 : sizeOf(old));
    while (s.size() > maxPerRequester) {
      bytes -= sizeOf(s.pollFirstEntry().getValue());
      evicted++;
    }
    if (bytes > maxBytes) {
      evictLargest();
    }
  }

  private void evictLargest() {
    while (bytes > maxBytes) {
      TreeMap<Long, StoreResult> largest = null;
      for (TreeMap<Long, StoreResult> s : sessions.values()) {
        if (!s.isEmpty() && (largest == null || s.size() > largest.size())) {
          largest = s;
        }
      }
      if (largest == null) {
        bytes = 0;
        return;
      }
      bytes -= sizeOf(largest.pollFirstEntry().getValue());
      evicted++;
    }
  }

  /** Forgets requesters out of the view for longer than {@link #GRACE_MS}, their floors with their answers. */
  void retainRequesters(Set<NodeId> members, long now) {
    goneSince.keySet().removeIf(members::contains);
    Set<NodeId> known = new java.util.HashSet<>(floors.keySet());
    known.addAll(sessions.keySet());
    for (NodeId r : known) {
      if (members.contains(r) || now - goneSince.computeIfAbsent(r, k -> now) < GRACE_MS) {
        continue;
      }
      goneSince.remove(r);
      floors.remove(r);
      TreeMap<Long, StoreResult> s = sessions.remove(r);
      if (s != null) {
        s.values().forEach(x -> bytes -= sizeOf(x));
      }
    }
  }

  /** Every answer kept, for a joiner, each with its requester's floor. */
  List<Outcome> all() {
    List<Outcome> out = new ArrayList<>();
    sessions.forEach((r, s) -> {
      long low = floors.getOrDefault(r, 0L);
      s.forEach((seq, result) -> out.add(new Outcome(r, seq, low, result)));
    });
    return out;
  }

  int size() {
    int n = 0;
    for (TreeMap<Long, StoreResult> s : sessions.values()) {
      n += s.size();
    }
    return n;
  }

  void clear() {
    sessions.clear();
    floors.clear();
    goneSince.clear();
    bytes = 0;
  }

  private static long sizeOf(StoreResult r) {
    return r.value() == null ? 0 : r.value().length;
  }
}
