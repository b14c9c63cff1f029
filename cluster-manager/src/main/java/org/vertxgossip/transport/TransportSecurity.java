package org.vertxgossip.transport;

import org.vertxgossip.security.Keyring;

/**
 * How the transport treats its traffic.
 *
 * @param keyring       the keys; empty for none
 * @param sealOutgoing  seal what this node sends (needs a key)
 * @param requireSealed refuse input that is not sealed (needs a key)
 */
public record TransportSecurity(Keyring keyring, boolean sealOutgoing, boolean requireSealed) {

  public TransportSecurity {
    if ((sealOutgoing || requireSealed) && keyring.isEmpty()) {
      throw new IllegalArgumentException("sealing needs at least one key");
    }
  }

  /** No keys: traffic is plain, sealed input is refused (this node cannot open it). */
  public static TransportSecurity none() {
    return new TransportSecurity(Keyring.empty(), false, false);
  }
}
