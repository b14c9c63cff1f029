package org.vertxgossip.replication;

/** Operations the owner of a key serialises. */
public enum StoreOp {
  PUT, PUT_IF_ABSENT, REMOVE, REMOVE_IF_PRESENT, REPLACE, REPLACE_IF_PRESENT,
  COUNTER_GET, COUNTER_ADD_AND_GET, COUNTER_GET_AND_ADD, COUNTER_COMPARE_AND_SET,
  LOCK_ACQUIRE, LOCK_RELEASE,
  /** Owner-side expiry: removes the entry if it still has the version given. */
  EXPIRE,
  /** A put that answers with the value it replaced (the blocking map's {@code put}). */
  GET_AND_PUT,
  /** A read through the owner, for a member that cannot read locally (a write of the key is uncommitted here). */
  GET;

  /**
   * Refused in a view below the configured quorum ({@code minimumMembers}): every write and every read through
   * the owner. A minority's writes would be discarded when it re-joins, and its reads could miss the majority's
   * writes. A release and an owner's expiry are not: they only ever free.
   */
  public boolean needsQuorum() {
    return this != EXPIRE && this != LOCK_RELEASE;
  }

  static StoreOp of(int code) {
    StoreOp[] all = values();
    return code >= 0 && code < all.length ? all[code] : null;
  }
}
