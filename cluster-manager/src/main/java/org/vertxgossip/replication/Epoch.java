package org.vertxgossip.replication;

/**
 * The view a keyed-store decision was made in: its id and hash. Every request, write, acknowledgement and hand-over
 * carries one, so that a member never acts on a message of a view other than its own: ownership moves only from one
 * epoch to the next. Ids order epochs of one lineage; the hash tells two lineages with the same id apart.
 */
record Epoch(long id, long hash) {

  static final Epoch NONE = new Epoch(0, 0);

  /** Older (a lower id). Epochs of equal id but another hash (another lineage) are neither: they are not equal. */
  boolean before(Epoch other) {
    return id < other.id;
  }
}
