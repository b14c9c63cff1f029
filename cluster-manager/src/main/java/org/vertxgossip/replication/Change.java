package org.vertxgossip.replication;

/** One entry of an owner's state that changed; a null value means absent. */
public record Change(String key, byte[] before, byte[] after) {
}
