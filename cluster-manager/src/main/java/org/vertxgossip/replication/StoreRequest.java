package org.vertxgossip.replication;

/**
 * One operation on a key, as sent to its owner.
 *
 * @param store  the store (map name, or an internal one for locks and counters)
 * @param key    the encoded key
 * @param op     what to do
 * @param value  the new value (puts, replace), or the expected one (removeIfPresent)
 * @param other  the new value of replaceIfPresent
 * @param ttl    time to live in ms (0 for none), or the lock timeout
 * @param a      counter delta or expected value, lock token (0: release by request, see b), or the version an expiry
 *               is conditional on
 * @param b      counter update value, or the acquisition a release by request hands back (its sequence number)
 */
public record StoreRequest(String store, byte[] key, StoreOp op, byte[] value, byte[] other, long ttl, long a,
                           long b) {

  public static StoreRequest of(String store, byte[] key, StoreOp op) {
    return new StoreRequest(store, key, op, null, null, 0, 0, 0);
  }
}
