package org.vertxgossip.replication;

import java.util.Arrays;

/**
 * One key's replicated state: its value (null for a tombstone), the version its owner stamped (a hybrid logical
 * clock: wall milliseconds shifted left by 12, plus a counter), and an absolute expiry in wall milliseconds (0 for
 * none). Immutable, so readers on any thread see a consistent entry.
 */
public record StoredEntry(byte[] value, long version, long expiresAt) {

  /** Bytes this entry takes in a frame under {@code key}, at most (the key, the value, lengths, version, expiry). */
  long bytesWith(byte[] key) {
    return 64 + key.length + (value == null ? 0 : value.length);
  }

  public boolean isTombstone() {
    return value == null;
  }

  /** Present for readers at wall time {@code now}. */
  public boolean visibleAt(long now) {
    return value != null && (expiresAt == 0 || now < expiresAt);
  }

  /** Last writer wins: the higher version; equal versions (two sides of a partition) by value bytes. */
  public boolean newerThan(StoredEntry other) {
    if (other == null) {
      return true;
    }
    if (version != other.version) {
      return version > other.version;
    }
    if (value == null || other.value == null) {
      return value == null && other.value != null;
    }
    return Arrays.compare(value, other.value) > 0;
  }
}
