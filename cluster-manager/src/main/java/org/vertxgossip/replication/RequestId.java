package org.vertxgossip.replication;

import org.vertxgossip.membership.NodeId;

/** A request's identity across retries: its requester and that requester's sequence number. */
record RequestId(NodeId requester, long seq) {

  static RequestId of(Outcome o) {
    return new RequestId(o.requester(), o.seq());
  }
}
