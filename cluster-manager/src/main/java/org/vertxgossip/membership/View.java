package org.vertxgossip.membership;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One delivered view: its sequence number, its members in join order (the first is the coordinator, the oldest),
 * and a hash of that list that identifies it across nodes.
 */
public record View(long id, List<NodeId> members, long hash) {

  public View {
    members = List.copyOf(members);
  }

  public static View of(long id, List<NodeId> members) {
    return new View(id, members, hashOf(id, members));
  }

  /** View {@code id + 1}: these members without {@code removed}, then {@code added} in order (join order kept). */
  public View successor(List<NodeId> removed, List<NodeId> added) {
    Set<NodeId> gone = new HashSet<>(removed);
    List<NodeId> next = new ArrayList<>(members.size() + added.size());
    for (NodeId id : members) {
      if (!gone.contains(id)) {
        next.add(id);
      }
    }
    next.addAll(added);
    return of(id + 1, next);
  }

  public NodeId coordinator() {
    return members.get(0);
  }

  public int size() {
    return members.size();
  }

  /** Order-sensitive hash of a view's id and member list: the same view gives the same hash on every node. */
  public static long hashOf(long id, List<NodeId> members) {
    long h = Hashing.mix64(0x5DEECE66DL ^ id);
    for (NodeId member : members) {
      h = Hashing.mix64(h * 31 + member.mix());
    }
    return h;
  }
}
