package org.vertxgossip.membership;

/** Small, stable hash functions shared by the digest and view code (stable across JVMs, unlike hashCode()). */
final class Hashing {

  private Hashing() {
  }

  /** The finaliser of SplitMix64: a bijective, well-mixing function of 64 bits. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
