package org.vertxgossip.replication;

/**
 * The owner's answer to an operation: a status, a value (previous or existing value, per operation) and a number
 * (counter value, success flag or lock token).
 */
public record StoreResult(Status status, byte[] value, long number, String message) {

  public enum Status { OK, TIMEOUT, NO_QUORUM, FAILED, NOT_OWNER }

  public static StoreResult ok(byte[] value, long number) {
    return new StoreResult(Status.OK, value, number, null);
  }

  public static StoreResult failed(Status status, String message) {
    return new StoreResult(status, null, 0, message);
  }

  public boolean isOk() {
    return status == Status.OK;
  }
}
