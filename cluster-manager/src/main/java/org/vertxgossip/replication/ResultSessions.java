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
 */
final class ResultSessions {

  /** How long the answers of a requester gone from the view are kept (longer than any request's deadline). */
  static final long GRACE_MS = 120_000;

  private final int maxPerRequester;
  private final Map<NodeId, Long> goneSince = new HashMap<>();
  private final long maxBytes;
  private final Map<NodeId, TreeMap<Long, StoreResult>> sessions = new HashMap<>();
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

  void put(Outcome o) {
    TreeMap<Long, StoreResult> s = sessions.computeIfAbsent(o.requester(), r -> new TreeMap<>());
    while (!s.isEmpty() && s.firstKey() < o.low()) {
      bytes -= sizeOf(s.pollFirstEntry().getValue());
    }
    if (o.seq() < o.low()) {
      return;
    }
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

  /** Forgets requesters out of the view for longer than {@link #GRACE_MS}. */
  void retainRequesters(Set<NodeId> members, long now) {
    goneSince.keySet().removeIf(members::contains);
    sessions.entrySet().removeIf(e -> {
      if (members.contains(e.getKey())) {
        return false;
      }
      long since = goneSince.computeIfAbsent(e.getKey(), k -> now);
      if (now - since < GRACE_MS) {
        return false;
      }
      goneSince.remove(e.getKey());
      e.getValue().values().forEach(r -> bytes -= sizeOf(r));
      return true;
    });
  }

  /** Every answer kept, for a joiner. */
  List<Outcome> all() {
    List<Outcome> out = new ArrayList<>();
    sessions.forEach((r, s) -> {
      long low = s.isEmpty() ? 0 : s.firstKey();
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
    goneSince.clear();
    bytes = 0;
  }

  private static long sizeOf(StoreResult r) {
    return r.value() == null ? 0 : r.value().length;
  }
}
