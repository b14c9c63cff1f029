package org.vertxgossip.membership;

import java.util.Random;

/**
 * What the protocol core needs from the world, and all it gets: a clock, randomness, two ways to send, and a
 * wake-up request. Netty implements it in production; the simulator implements it over virtual time.
 */
public interface MembershipEnvironment {

  /** Milliseconds on a monotonic clock. */
  long now();

  Random random();

  /** Sends one datagram (best effort). */
  void sendPacket(NodeAddress to, byte[] packet);

  /**
   * Sends one stream frame (reliable while the connection lives). A failure is reported back through
   * {@link Membership#onStreamFailed}.
   */
  void sendStream(NodeAddress to, byte[] frame);

  /** Asks to have {@link Membership#onTimer()} called at (or soon after) {@code time}. Later calls replace earlier ones. */
  void wakeAt(long time);

  /**
   * Lets decoded ids and addresses share one instance with equal ones elsewhere. One node in a JVM gains nothing,
   * hence the identity default; the simulator runs 10,000 nodes in one JVM, whose tables would otherwise hold 10^8
   * private copies.
   */
  default Canonicalizer canonicalizer() {
    return Canonicalizer.IDENTITY;
  }
}
