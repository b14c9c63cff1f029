package org.vertxgossip.membership;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When a node that has seen no view may found one. Only a seed founds (any node when none is configured, or, with
 * {@link MembershipConfig#foundWhenAlone}, one that has heard of nobody), only the smallest id among the live seeds
 * it knows, and only once it has heard from every other seed or learned that it is not there.
 *
 * <p>A fixed listening window was not enough: two seeds started together each founded a view when the other's
 * answer came later than the window (a JVM still loading, a loop stalled at start-up), and the lineage merge that
 * followed kept one side's shared data. Now a seed's silence ends with an answer, a refusal (nothing listens on
 * its port: if it starts later it dials us and finds our view), a connection that timed out or broke, or
 * {@link MembershipConfig#discoveryWindowMs} after it was listed. A seed that refused is no reason to wait, which is
 * why a founder whose co-seeds are not running yet founds at once. A node whose own loop stalls (its timers run
 * late) asks every seed again and waits for answers given after the stall: those it holds may be older than a view
 * founded while it was held up.
 */
final class Founding {

  private final Membership core;
  /** Seeds ever listed (bounded), each with when it was first listed and whether its silence has ended. */
  private final Map<NodeAddress, Contact> contacts = new LinkedHashMap<>();
  /** The other seeds listed now. */
  private final Set<NodeAddress> listed = new HashSet<>();
  private static final int MAX_REMEMBERED = 4096;
  private boolean listsSelf;
  private boolean anySeeds;

  private static final class Contact {
    final long listedAt;
    boolean settled;

    Contact(long listedAt) {
      this.listedAt = listedAt;
    }
  }

  Founding(Membership core) {
    this.core = core;
  }

  /**
   * The seed list (again: DNS answers change). A seed new to it is waited for from now; one listed before keeps when
   * it was first listed, so that answers that rotate through the seeds cannot hold founding back for ever.
   */
  void seeds(List<NodeAddress> seeds) {
    long now = core.now();
    anySeeds = !seeds.isEmpty();
    listsSelf = seeds.contains(core.address);
    listed.clear();
    for (NodeAddress s : seeds) {
      if (!s.equals(core.address)) {
        listed.add(s);
        contacts.computeIfAbsent(s, a -> new Contact(now));
      }
    }
    if (contacts.size() > MAX_REMEMBERED) {
      contacts.keySet().retainAll(listed);
    }
  }

  /**
   * This node's loop was held up: what it heard before may predate a view another seed founded meanwhile, so each
   * seed is waited for again, from now. Seeds that refused too: they may have started during the stall.
   */
  void restart() {
    long now = core.now();
    contacts.replaceAll((a, c) -> new Contact(now)); // the unlisted too: one may be listed again
  }

  /**
   * A seed at {@code a} gave word: a push-pull from it (an answer, or a join of its own), or a failed stream to it
   * (refused, timed out or broken). Either way founding no longer waits for it.
   */
  void silenceEnded(NodeAddress a) {
    Contact c = contacts.get(a);
    if (c != null) {
      c.settled = true;
    }
  }

  /** Whether the founder rule lets this node found now (the caller checks it has seen no view). */
  boolean allows() {
    if (!anySeeds) {
      return true;
    }
    if (!listsSelf) {
      return core.config.foundWhenAlone && core.table.liveCount() == 1 && everySeedSettled();
    }
    for (Member m : core.table.all()) {
      if (m.state.isLive() && m.id.compareTo(core.self) < 0 && listed.contains(m.address)) {
        return false;
      }
    }
    return everySeedSettled();
  }

  private boolean everySeedSettled() {
    long now = core.now();
    for (NodeAddress a : listed) {
      Contact c = contacts.get(a);
      if (!c.settled && now - c.listedAt < core.config.discoveryWindowMs) {
        return false;
      }
    }
    return true;
  }

  /** When the last seed still silent stops holding founding, or {@link Long#MAX_VALUE} if none is. */
  long silenceEndsAt() {
    long at = Long.MIN_VALUE;
    for (NodeAddress a : listed) {
      Contact c = contacts.get(a);
      if (!c.settled) {
        at = Math.max(at, c.listedAt + core.config.discoveryWindowMs);
      }
    }
    return at == Long.MIN_VALUE ? Long.MAX_VALUE : at;
  }
}
