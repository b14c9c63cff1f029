package org.vertxgossip.checker;

/**
 * What the client learnt of an operation. The three cases a checker must tell apart: an acknowledged operation
 * took effect exactly once, a failed one never did, and an indeterminate one may or may not have, at any time
 * after it was invoked (so it is never ordered before a later operation).
 */
public enum Outcome {
  /** Acknowledged: took effect between invocation and completion. */
  OK,
  /** Definitely not applied (refused before anything was sent, or for lack of quorum). */
  FAIL,
  /** Unknown (a timeout, or an error after the request was sent): may take effect at any time after invocation. */
  INFO
}
