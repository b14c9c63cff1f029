package org.vertxgossip.membership;

/** Maps decoded values to a shared equal instance (see {@link MembershipEnvironment#canonicalizer()}). */
public interface Canonicalizer {

  Canonicalizer IDENTITY = new Canonicalizer() {
    @Override
    public NodeId id(NodeId id) {
      return id;
    }

    @Override
    public NodeAddress address(NodeAddress address) {
      return address;
    }
  };

  NodeId id(NodeId id);

  NodeAddress address(NodeAddress address);
}
