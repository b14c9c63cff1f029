package org.vertxgossip.replication;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.replication.StoreMessage.Content;
import org.vertxgossip.replication.StoreMessage.KeyedEntry;
import org.vertxgossip.replication.StoreMessage.Pull;
import org.vertxgossip.replication.StoreMessage.PullDone;
import org.vertxgossip.replication.StoreMessage.Sessions;

/**
 * A joiner's state transfer. A member that enters a view it was not in before (new, back after a removal, or
 * following another lineage) drops what it held and pulls every store, with the answers kept for retries, from a
 * member that serves in the joiner's epoch or later: that member holds every write committed before it, since those
 * needed its acceptance. Writes of the new epoch reach the joiner directly meanwhile and merge by version. Only if
 * every other member is a joiner too does the transfer end empty: nobody holds the data any more.
 */
final class StateTransfer {

  /** How long a pull waits for the source's first answer before it is sent again (to another member). */
  static final long FIRST_ANSWER_MS = 1_000;

  private final KeyedStores core;
  /** Read from other threads too ({@link KeyedStores#holdsEveryStore}). */
  private volatile boolean done;
  private NodeId from;
  private long retryAt;
  private final Set<NodeId> joiners = new HashSet<>();
  private final Set<NodeId> tried = new HashSet<>();
  /** Frames received from the current source since the pull: its PullDone says how many it sent. */
  private long received;
  /** The number of the current pull; the source's frames carry it back. */
  private long pull;

  StateTransfer(KeyedStores core) {
    this.core = core;
  }

  boolean done() {
    return done;
  }

  /** Drops everything held and pulls again (this node entered a view it was not in before). */
  void restart() {
    done = false;
    from = null;
    joiners.clear();
    tried.clear();
    pullNext();
  }

  private void pullNext() {
    if (done || !core.inView()) {
      return;
    }
    List<NodeId> candidates = new ArrayList<>();
    for (NodeId m : core.members) {
      if (!m.equals(core.self) && !joiners.contains(m)) {
        candidates.add(m);
      }
    }
    if (candidates.isEmpty()) {
      finish(); // alone, or with joiners only: there is nothing to pull
      return;
    }
    List<NodeId> fresh = new ArrayList<>(candidates);
    fresh.removeAll(tried);
    if (fresh.isEmpty()) {
      tried.clear();
      fresh = candidates;
    }
    from = fresh.get(core.env.random().nextInt(fresh.size()));
    tried.add(from);
    received = 0;
    pull++;
    // A source answers at once (its first frame, or that it cannot serve): silence means the pull was lost (a
    // connection that failed after a cut), so it is sent again soon; each frame then moves the deadline on.
    retryAt = core.env.now() + Math.min(core.config.ackTimeoutMs(), FIRST_ANSWER_MS);
    NodeAddress a = core.env.addressOf(from);
    if (a == null) {
      retryAt = core.env.now() + FanOut.RESEND_MS;
      return;
    }
    core.stats.pulls++;
    core.env.send(a, core.codec.encode(new Pull(core.self, core.selfAddress, core.epoch, pull)));
  }

  private void finish() {
    done = true;
    from = null;
    core.transferDone();
  }

  /** A view change while pulling: the source may have gone, and joiners may have become sources. */
  void viewChanged() {
    joiners.retainAll(core.memberSet);
    if (!done && (from == null || !core.memberSet.contains(from))) {
      pullNext();
    }
  }

  void onPullDone(PullDone p) {
    if (!fromSource(p.from(), p.pull())) {
      return;
    }
    if (p.served() && p.frames() == received) {
      if (p.epoch().equals(core.epoch)) {
        core.handOver.alsoJoined(p.joined()); // fellow joiners of this epoch hold nothing to report
      }
      finish();
      return;
    }
    if (p.served()) {
      // Frames were lost on the way (the transport drops what it cannot buffer): pull again.
      core.stats.pullsIncomplete++;
      tried.remove(from);
      from = null;
      retryAt = core.env.now() + FanOut.RESEND_MS;
      return;
    }
    from = null;
    if (p.joining()) {
      joiners.add(p.from());
      pullNext(); // another member may hold the data; if none does, there is nothing to wait for
    } else {
      retryAt = core.env.now() + FanOut.RESEND_MS / 5; // behind: it will serve once it reaches this epoch
    }
  }

  void onContent(Content c) {
    if (!fromSource(c.from(), c.pull())) {
      return;
    }
    received++;
    retryAt = core.env.now() + core.config.ackTimeoutMs(); // progress: a large transfer is not cut short
    for (KeyedEntry e : c.entries()) {
      ByteKey key = new ByteKey(e.key());
      if (core.mergeFromPeer(c.store(), key, e.entry())) {
        core.stats.transferred++;
      }
      if (e.pendingOwner() != null) {
        StoreKey sk = new StoreKey(c.store(), key);
        // With its answers: reported to the key's next owner, the write is kept with them, not applied again.
        core.uncommitted.written(e.pendingOwner(), e.pendingApply(), sk, e.pendingOutcomes(),
            !e.pendingOwner().equals(core.ownerOf(sk)));
      }
    }
  }

  void onSessions(Sessions s) {
    if (!fromSource(s.from(), s.pull())) {
      return;
    }
    received++;
    retryAt = core.env.now() + core.config.ackTimeoutMs();
    s.outcomes().forEach(core.sessions::put);
  }

  /**
   * Whether a transfer frame answers this joiner's current pull. One answering an earlier pull (given up on: answered
   * late, after a cut or a pause of its source, or pulled again from the same source) is ignored: the source's kept
   * answers include those of writes still on their way, whose fate the hand-over decides from the current members;
   * installed after that, an answer could tell a retry that a write took effect when it did not. And its frames
   * would be counted towards the current pull's.
   */
  private boolean fromSource(NodeId sender, long answering) {
    if (!done && sender.equals(from) && answering == pull) {
      return true;
    }
    core.stats.staleTransferFrames++;
    return false;
  }

  /**
   * A joiner asks: served only by a member that itself serves in the joiner's epoch or a later one, paced by the
   * connection ({@link TransferSender}); one that cannot serve it now says so, and the joiner asks again.
   */
  void onPull(Pull p) {
    boolean able = done && core.handOver.serving() && !core.epoch.before(p.epoch()) && core.inView();
    if (!able || !core.sender.start(p.from(), p.replyTo(), p.pull())) {
      core.env.send(p.replyTo(), core.codec.encode(new PullDone(core.self, p.pull(), false, !done, 0, core.epoch,
          List.of())));
    }
  }

  void tick(long now) {
    if (!done && core.inView() && now >= retryAt) {
      pullNext();
    }
  }

  /** This node stopped: nothing to wait for. */
  void release() {
    if (!done) {
      finish();
    }
  }
}
