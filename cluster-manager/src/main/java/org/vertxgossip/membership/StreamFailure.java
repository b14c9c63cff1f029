package org.vertxgossip.membership;

/** Why a stream could not deliver. Only REFUSED is evidence that the process is gone. */
public enum StreamFailure {
  /** The host answered that nothing listens on the port: the process is gone. */
  REFUSED,
  /** No answer in time: the host, the network or the process may be at fault. */
  TIMEOUT,
  /** The connection broke after it was established. */
  CLOSED
}
