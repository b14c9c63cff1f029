package org.vertxgossip.membership;

/** SWIM states of a member, as one node believes them. LEFT is terminal for a node id; DEAD can be refuted. */
public enum MemberState {
  ALIVE, SUSPECT, DEAD, LEFT;

  /** Alive and suspect members still take part (they are probed, gossiped to and stay in views). */
  public boolean isLive() {
    return this == ALIVE || this == SUSPECT;
  }
}
