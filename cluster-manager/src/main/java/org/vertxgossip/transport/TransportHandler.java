package org.vertxgossip.transport;

import java.net.InetSocketAddress;

/** What the transport hands up; called on the gossip loop only. */
public interface TransportHandler {

  void onPacket(Lane lane, InetSocketAddress from, byte[] body);

  void onFrame(Lane lane, byte[] body);

  /** The connection to {@code to} was closed by the other end (not by this node, not for idleness). */
  void onConnectionLost(InetSocketAddress to);

  /** A frame to {@code to} could not be delivered. */
  void onSendFailed(InetSocketAddress to, SendFailure cause);

  /** {@code from} speaks another major protocol version, {@code theirs}, and refused this node's input. */
  default void onVersionRefused(InetSocketAddress from, int theirs) {
  }

  /** The replication connection to {@code to} has drained what was queued for it: paced senders go on. */
  default void onWritable(InetSocketAddress to) {
  }
}
