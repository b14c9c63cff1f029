package org.vertxgossip.replication;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What the owner does with one map or counter operation, given the key's current entry: write a new entry (and
 * answer once it is on every member) or answer at once. Pure; locks are {@link LockTable}'s.
 */
final class Operations {

  /** Write {@code value} (null: delete) with {@code expiresAt}, answering {@code result}; or just answer it. */
  record Decision(boolean write, byte[] value, long expiresAt, StoreResult result) {

    static Decision write(byte[] value, long expiresAt, StoreResult result) {
      return new Decision(true, value, expiresAt, result);
    }

    static Decision answer(StoreResult result) {
      return new Decision(false, null, 0, result);
    }
  }

  private Operations() {
  }

  static Decision decide(StoreRequest q, StoredEntry current, long wall) {
    boolean visible = current != null && current.visibleAt(wall);
    byte[] value = visible ? current.value() : null;
    long expiresAt = q.ttl() > 0 ? wall + q.ttl() : 0;
    return switch (q.op()) {
      case PUT -> Decision.write(q.value(), expiresAt, StoreResult.ok(null, 0));
      case GET_AND_PUT -> Decision.write(q.value(), expiresAt, StoreResult.ok(value, 0));
      case GET -> Decision.answer(StoreResult.ok(value, 0));
      case PUT_IF_ABSENT -> visible ? Decision.answer(StoreResult.ok(value, 0))
          : Decision.write(q.value(), expiresAt, StoreResult.ok(null, 0));
      case REMOVE -> visible ? Decision.write(null, 0, StoreResult.ok(value, 0))
          : Decision.answer(StoreResult.ok(null, 0));
      case REMOVE_IF_PRESENT -> visible && Arrays.equals(value, q.value())
          ? Decision.write(null, 0, StoreResult.ok(null, 1)) : Decision.answer(StoreResult.ok(null, 0));
      case REPLACE -> visible ? Decision.write(q.value(), expiresAt, StoreResult.ok(value, 0))
          : Decision.answer(StoreResult.ok(null, 0));
      case REPLACE_IF_PRESENT -> visible && Arrays.equals(value, q.value())
          ? Decision.write(q.other(), expiresAt, StoreResult.ok(null, 1)) : Decision.answer(StoreResult.ok(null, 0));
      case COUNTER_GET -> Decision.answer(StoreResult.ok(null, asLong(value)));
      case COUNTER_ADD_AND_GET -> {
        long next = asLong(value) + q.a();
        yield Decision.write(ofLong(next), 0, StoreResult.ok(null, next));
      }
      case COUNTER_GET_AND_ADD -> {
        long before = asLong(value);
        yield Decision.write(ofLong(before + q.a()), 0, StoreResult.ok(null, before));
      }
      case COUNTER_COMPARE_AND_SET -> asLong(value) == q.a()
          ? Decision.write(ofLong(q.b()), 0, StoreResult.ok(null, 1)) : Decision.answer(StoreResult.ok(null, 0));
      case EXPIRE -> current != null && current.version() == q.a() && !visible && !current.isTombstone()
          ? Decision.write(null, 0, StoreResult.ok(null, 1)) : Decision.answer(StoreResult.ok(null, 0));
      case LOCK_ACQUIRE, LOCK_RELEASE -> throw new IllegalArgumentException("locks are the lock table's");
    };
  }

  static long asLong(byte[] value) {
    return value == null || value.length != 8 ? 0 : ByteBuffer.wrap(value).getLong();
  }

  static byte[] ofLong(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }
}
