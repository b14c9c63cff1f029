package org.vertxgossip.replication;

import java.util.List;
import org.vertxgossip.membership.NodeId;

/** Called on the core's thread after the table was updated, once per applied change set. */
public interface OwnedStateListener {

  void changed(NodeId owner, List<Change> changes);
}
