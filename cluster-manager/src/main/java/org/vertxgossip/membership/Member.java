package org.vertxgossip.membership;

/** One row of the member table. Mutated only through {@link MemberTable#update}, which keeps the digests right. */
final class Member {
  final NodeId id;
  NodeAddress address;
  int incarnation;
  MemberState state;
  long stateSince;
  byte[] meta;
  Suspicion suspicion;

  Member(NodeId id, NodeAddress address, int incarnation, MemberState state, byte[] meta, long now) {
    this.id = id;
    this.address = address;
    this.incarnation = incarnation;
    this.state = state;
    this.meta = meta;
    this.stateSince = now;
  }

  MemberRecord toRecord() {
    return new MemberRecord(id, address, incarnation, state, meta);
  }
}
