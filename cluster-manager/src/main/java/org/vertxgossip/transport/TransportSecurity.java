package org.vertxgossip.transport;

import org.vertxgossip.security.Keyring;

/**
 * How the transport treats its traffic: the keys, whether what it sends is sealed, and whether input must be. The
 * two switches may change at run time (turning encryption on without restarts, src-docs/security.md); the
 * transport reads them per packet and per connection.
 */
public final class TransportSecurity {

  private final Keyring keyring;
  private final StreamTls tls;
  private volatile boolean sealOutgoing;
  private volatile boolean requireSealed;

  /**
   * @param keyring       the keys; empty for none
   * @param sealOutgoing  seal what this node sends (needs a key)
   * @param requireSealed refuse input that is not sealed (needs a key)
   */
  public TransportSecurity(Keyring keyring, boolean sealOutgoing, boolean requireSealed) {
    this(keyring, sealOutgoing, requireSealed, null);
  }

  /** @param tls mutual TLS on the streams, or null (it needs a key: datagrams are sealed by it) */
  public TransportSecurity(Keyring keyring, boolean sealOutgoing, boolean requireSealed, StreamTls tls) {
    this.keyring = keyring;
    this.tls = tls;
    if (tls != null && keyring.isEmpty()) {
      throw new IllegalArgumentException("vertx-gossip configuration: TLS secures the gossip streams only; the "
          + "datagrams need the cluster key too: set 'keys'");
    }
    check(sealOutgoing || requireSealed);
    this.sealOutgoing = sealOutgoing;
    this.requireSealed = requireSealed;
  }

  /** No keys: traffic is plain, sealed input is refused (this node cannot open it). */
  public static TransportSecurity none() {
    return new TransportSecurity(Keyring.empty(), false, false);
  }

  private void check(boolean sealing) {
    if (sealing && keyring.isEmpty()) {
      throw new IllegalArgumentException("sealing needs at least one key");
    }
  }

  public Keyring keyring() {
    return keyring;
  }

  /** Mutual TLS on the streams, or null. */
  public StreamTls tls() {
    return tls;
  }

  /** The same switches and keys, with TLS on the streams. */
  public TransportSecurity withTls(StreamTls streamTls) {
    return new TransportSecurity(keyring, sealOutgoing, requireSealed, streamTls);
  }

  public boolean sealOutgoing() {
    return sealOutgoing;
  }

  public boolean requireSealed() {
    return requireSealed;
  }

  /** Changes whether this node seals what it sends; the transport's connections are reopened to follow. */
  void sealOutgoing(boolean on) {
    check(on);
    sealOutgoing = on;
  }

  void requireSealed(boolean on) {
    check(on);
    requireSealed = on;
  }
}
