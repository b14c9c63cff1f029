package org.vertxgossip.membership;

/**
 * Events out of the core, called on the core's own thread. Implementations must return quickly: the SPI layer
 * hands view changes to its listener thread; the simulator records them.
 */
public interface MembershipListener {

  /** A new view, delivered strictly in order; {@code previous} is null for the first. */
  default void viewDelivered(View view, View previous) {
  }

  /** A member's state, incarnation, address or metadata changed in this node's table. */
  default void memberChanged(MemberRecord member) {
  }

  /** This node itself decided that a member is dead (its own suspicion timed out). */
  default void declaredDead(NodeId member, int incarnation) {
  }

  /** This node's leave has been announced (or timed out); it now stays silent. */
  default void leaveCompleted() {
  }
}
