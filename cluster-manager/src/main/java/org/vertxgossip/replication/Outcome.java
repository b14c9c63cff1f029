package org.vertxgossip.replication;

import java.util.List;
import org.vertxgossip.membership.NodeId;

/**
 * The answer an owner gave to request {@code (requester, seq)}, carried with the write that request caused so that
 * every member can answer a retry as the owner would have. {@code low} is the requester's lowest request still
 * waiting when it sent this one: answers below it are never asked for again.
 */
record Outcome(NodeId requester, long seq, long low, StoreResult result) {

  /** Bytes an answer takes in a frame, at most (ids and lengths, its value and message). */
  long size() {
    return 64 + (result.value() == null ? 0 : result.value().length)
        + (result.message() == null ? 0 : 3L * result.message().length());
  }

  /**
   * The newest of {@code outcomes} (in their order) that fit in {@code budget} bytes together: a key with several
   * large answers still on their way must not make the frame that carries it exceed the frame limit.
   */
  static List<Outcome> within(List<Outcome> outcomes, long budget) {
    long left = budget;
    int from = outcomes.size();
    while (from > 0 && outcomes.get(from - 1).size() <= left) {
      left -= outcomes.get(--from).size();
    }
    return from == 0 ? outcomes : List.copyOf(outcomes.subList(from, outcomes.size()));
  }
}
