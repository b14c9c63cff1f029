package org.vertxgossip.membership;

/** Where a member's gossip transport listens: one host and one port serve both datagrams and streams. */
public record NodeAddress(String host, int port) {

  public NodeAddress {
    if (host == null || host.isEmpty() || host.length() > 255) {
      throw new IllegalArgumentException("host must have 1 to 255 characters: " + host);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** Parses {@code host:port}, or {@code [v6-address]:port}. */
  public static NodeAddress parse(String text) {
    String s = text.trim();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + text + "'");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new NodeAddress(host, Integer.parseInt(s.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected host:port, got '" + text + "'");
    }
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
