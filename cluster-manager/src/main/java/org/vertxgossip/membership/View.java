package org.vertxgossip.membership;

import java.util.List;

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
