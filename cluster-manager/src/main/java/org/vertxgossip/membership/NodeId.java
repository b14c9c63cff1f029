package org.vertxgossip.membership;

import java.util.Random;
import java.util.UUID;

/**
 * The identity of one cluster-manager instance: a random 128-bit id, new for every start, so that a restarted
 * process is never mistaken for its predecessor. Ordered by its bits, which gives every node the same tie-break.
 */
public record NodeId(long msb, long lsb) implements Comparable<NodeId> {

  public static NodeId random(Random random) {
    // Version-4 layout, so that toString() is a valid UUID string.
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
    return new NodeId(msb, lsb);
  }

  public static NodeId parse(String text) {
    UUID uuid = UUID.fromString(text);
    return new NodeId(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
  }

  /** The id this text names, or null if it names none (text from outside, such as a lookup by the event bus). */
  public static NodeId parseOrNull(String text) {
    if (text == null || text.length() != 36) {
      return null;
    }
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A well-mixed 64-bit hash, used for digest buckets and view hashes. */
  public long mix() {
    return Hashing.mix64(msb * 31 + Hashing.mix64(lsb));
  }

  @Override
  public int compareTo(NodeId o) {
    int c = Long.compareUnsigned(msb, o.msb);
    return c != 0 ? c : Long.compareUnsigned(lsb, o.lsb);
  }

  @Override
  public String toString() {
    return new UUID(msb, lsb).toString();
  }
}
