package org.vertxgossip.transport;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashSet;
import java.util.Set;

/**
 * Says at WARNING, once per reason and source host, that input was refused for a security reason (every refusal
 * is counted in {@link DropCounters} regardless). Bounded: past {@link #MAX_SOURCES} pairs, refusals are only
 * counted, and that is said once.
 */
final class RefusalLog {

  private static final System.Logger LOG = System.getLogger(GossipTransport.class.getName());
  static final int MAX_SOURCES = 1024;

  private final Set<String> said = new HashSet<>();
  private boolean full;

  void refused(DropReason reason, SocketAddress from) {
    refused(reason, from, null);
  }

  /** With {@code detail}, what the refusal said (a TLS handshake's reason), appended to the line. */
  void refused(DropReason reason, SocketAddress from, String detail) {
    String host = from instanceof InetSocketAddress a ? a.getAddress() == null ? a.getHostString()
        : a.getAddress().getHostAddress() : String.valueOf(from);
    String key = reason + " " + host;
    if (said.contains(key)) {
      return;
    }
    if (said.size() >= MAX_SOURCES) {
      if (!full) {
        full = true;
        LOG.log(Level.WARNING, "vertx-gossip: refused input from more than " + MAX_SOURCES
            + " sources; further refusals are only counted");
      }
      return;
    }
    said.add(key);
    LOG.log(Level.WARNING, "vertx-gossip refused input from " + host + ": " + explain(reason)
        + (detail == null ? "" : ": " + detail) + " (counted as " + reason + "; said once per source)");
  }

  static String explain(DropReason reason) {
    return switch (reason) {
      case NOT_SEALED -> "it is not encrypted, and this node requires encryption (a sender without the cluster key?)";
      case UNKNOWN_KEY -> "it is encrypted with a key this node does not hold";
      case AUTH_FAILED -> "it does not authenticate (forged, corrupted, or a different key)";
      case STALE -> "it was sent more than " + ReplayGuard.WINDOW_MS / 1000
          + " s from this node's clock (a replay, or clocks that disagree)";
      case REPLAYED -> "it was received before (a replay)";
      case UNSUPPORTED_FLAGS -> "it is encrypted and this node has no key";
      case INPUT_LIMIT -> "too many connections from that address, or too many bytes in partial frames";
      case OVERSIZED -> "a frame larger than allowed";
      case TLS_REFUSED -> "its TLS handshake failed (no certificate, or one the trust store refuses)";
      default -> reason.toString();
    };
  }
}
