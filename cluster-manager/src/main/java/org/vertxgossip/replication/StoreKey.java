package org.vertxgossip.replication;

/** A key of one store. */
record StoreKey(String store, ByteKey key) {
}
