package org.vertxgossip.membership;

/**
 * Enough of a node's delivered view to compare lineages: its id, the hash of its member list, its size and its
 * coordinator. {@link #NONE} stands for "not in any view yet".
 */
public record ViewSummary(long id, long hash, int size, NodeId coordinator, NodeAddress coordinatorAddress) {

  public static final ViewSummary NONE = new ViewSummary(0, 0, 0, null, null);

  public boolean isNone() {
    return coordinator == null;
  }

  /**
   * Precedence between two divergent lineages (a partition's two sides, or two founders): the larger view wins, so
   * the minority moves; equal sizes go to the smaller coordinator id. Any view beats none.
   */
  public boolean outranks(ViewSummary other) {
    if (isNone()) {
      return false;
    }
    if (other.isNone()) {
      return true;
    }
    if (size != other.size) {
      return size > other.size;
    }
    return coordinator.compareTo(other.coordinator) < 0;
  }
}
