package org.vertxgossip.transport;

import java.net.SocketAddress;

/**
 * What one inbound connection has shown so far. A sealed connection starts with a hello (counter 0 of a new nonce
 * sequence, {@link ReplayGuard#streamStart}) and then carries that sequence's counters in order; a plain one is
 * plain throughout and is only accepted while this node does not require sealed input.
 */
final class StreamState {

  private final TransportSecurity security;
  private final RefusalLog log;
  private boolean started;
  private boolean sealed;
  private long sequence;
  private long next;
  private boolean refused;

  StreamState(TransportSecurity security, RefusalLog log) {
    this.security = security;
    this.log = log;
  }

  /** Whether frames may be as large as the frame limit (else only a hello's size). */
  boolean trusted() {
    return !security.requireSealed() || sealed;
  }

  /** Null to accept the authenticated frame, else why not; a hello (counter 0) is accepted but not handed up. */
  DropReason sealedFrame(Sealer.Opened o, ReplayGuard guard, long now) {
    if (!started) {
      DropReason r = guard.streamStart(o.sequence(), o.counter(), o.sentAt(), now);
      if (r != null) {
        return r;
      }
      started = true;
      sealed = true;
      sequence = o.sequence();
      next = 1;
      return null;
    }
    if (!sealed || o.sequence() != sequence || o.counter() != next) {
      return DropReason.REPLAYED;
    }
    next++;
    return null;
  }

  DropReason plainFrame() {
    if (security.requireSealed() || sealed) {
      return DropReason.NOT_SEALED;
    }
    started = true;
    return null;
  }

  /** The connection sent what it may not: it is being closed, and nothing more of it is read. */
  void refuse(DropReason reason, SocketAddress from) {
    refused = true;
    log.refused(reason, from);
  }

  boolean refused() {
    return refused;
  }
}
