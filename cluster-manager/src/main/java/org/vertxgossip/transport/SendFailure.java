package org.vertxgossip.transport;

/** Why a frame did not go out. */
public enum SendFailure {
  /** Nothing listens at the address: the strongest evidence that a process is gone. */
  REFUSED,
  /** The connection could not be set up in time. */
  TIMEOUT,
  /** The connection broke while the frame was queued or in flight. */
  CLOSED
}
