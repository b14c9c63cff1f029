package org.vertxgossip.membership.wire;

/** Input that cannot be decoded. Thrown by the reader only; the membership core counts and drops it. */
public final class MalformedMessageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public MalformedMessageException(String message) {
    super(message, null, false, false);
  }
}
