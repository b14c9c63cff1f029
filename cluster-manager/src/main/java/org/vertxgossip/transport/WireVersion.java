package org.vertxgossip.transport;

import org.vertxgossip.membership.wire.MessageCodec;

/**
 * The protocol version a node speaks: the envelope's major version (members of different majors refuse each other,
 * and say so) and the bodies' minor version (a newer minor only adds, so minors of one major mix). This release
 * speaks 1.1; another only behind the test switch that stands in for a next release.
 */
public record WireVersion(int major, int minor) {

  public static final WireVersion CURRENT = new WireVersion(Envelope.VERSION, MessageCodec.MINOR);

  public WireVersion {
    if (major < 1 || major > 127 || minor < 1 || minor > 255) {
      throw new IllegalArgumentException("no such protocol version: " + major + "." + minor);
    }
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
