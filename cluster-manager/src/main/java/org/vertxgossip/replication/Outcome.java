package org.vertxgossip.replication;

import org.vertxgossip.membership.NodeId;

/**
 * The answer an owner gave to request {@code (requester, seq)}, carried with the write that request caused so that
 * every member can answer a retry as the owner would have. {@code low} is the requester's lowest request still
 * waiting when it sent this one: answers below it are never asked for again.
 */
record Outcome(NodeId requester, long seq, long low, StoreResult result) {
}
