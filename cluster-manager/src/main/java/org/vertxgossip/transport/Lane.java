package org.vertxgossip.transport;

/** What an envelope carries, so that one port serves every layer. */
public enum Lane {
  /** Membership protocol: compound datagrams and stream frames of the core. */
  MEMBERSHIP(1),
  /** Node-owned state and keyed stores. */
  REPLICATION(2);

  final int code;

  Lane(int code) {
    this.code = code;
  }

  static Lane of(int code) {
    for (Lane lane : values()) {
      if (lane.code == code) {
        return lane;
      }
    }
    return null;
  }
}
