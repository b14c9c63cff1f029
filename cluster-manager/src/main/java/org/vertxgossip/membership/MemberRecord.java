package org.vertxgossip.membership;

import java.util.Arrays;

/** What one node knows of one member, as exchanged by push-pull and shown in snapshots. */
public record MemberRecord(NodeId id, NodeAddress address, int incarnation, MemberState state, byte[] meta) {

  @Override
  public boolean equals(Object o) {
    return o instanceof MemberRecord r && id.equals(r.id) && address.equals(r.address) && incarnation == r.incarnation
        && state == r.state && Arrays.equals(meta, r.meta);
  }

  @Override
  public int hashCode() {
    return id.hashCode() * 31 + incarnation;
  }

  @Override
  public String toString() {
    return id + "@" + address + "#" + incarnation + ":" + state;
  }
}
