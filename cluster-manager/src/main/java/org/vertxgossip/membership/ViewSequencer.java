package org.vertxgossip.membership;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeMap;
import org.vertxgossip.membership.wire.Message.Dead;
import org.vertxgossip.membership.wire.Message.JoinRequest;
import org.vertxgossip.membership.wire.Message.Suspect;
import org.vertxgossip.membership.wire.Message.ViewDelta;
import org.vertxgossip.membership.wire.Message.ViewPull;
import org.vertxgossip.membership.wire.Message.ViewSync;

/**
 * Ordered views on top of SWIM. The coordinator (the first live member of the current view, i.e. the oldest)
 * turns admissions, leaves and confirmed deaths into numbered deltas; every member applies them strictly in
 * order, buffering early ones and pulling what it misses. Divergent lineages (the two sides of a partition, or
 * two founders) are detected by hash and resolved by {@link ViewSummary#outranks}: the lower side's members ask
 * the higher side's coordinator to admit them.
 */
final class ViewSequencer {

  private static final int MAX_BUFFERED = 1024;
  /** Far enough in the past for any rate limit, yet safe to subtract from. */
  private static final long NEVER = Long.MIN_VALUE / 4;
  private static final int MAX_PENDING_JOINS = 100_000;
  /** The longest wait between two fetches of records still missing, in gossip rounds. */
  static final int MAX_FETCH_WAIT_ROUNDS = 16;

  private final Membership core;
  private View current;
  /** Who issued the current view by a delta (null for a full sync): a coordinator that leaves removes itself. */
  private NodeId issuer;
  /** The current view's members, sorted, for membership tests in O(log N) with 4 bytes a member. */
  private NodeId[] currentSorted = new NodeId[0];
  private final ArrayDeque<ViewDelta> history = new ArrayDeque<>();
  private final TreeMap<Long, ViewDelta> buffered = new TreeMap<>();
  private final LinkedHashSet<NodeId> pendingJoins = new LinkedHashSet<>();
  /** The coordinator this node asks to be admitted by, while it is not in a view it accepts. */
  private NodeAddress joinTarget;
  private boolean seenAnyView;
  private long lastPullAt = NEVER;
  /** While a view member's record is missing here: when the next fetch may go, and the wait after it. */
  private boolean recordsMissing;
  private long nextRecordFetchAt;
  private long recordFetchWaitMs;
  private int recordFetchesThisEpisode;
  private long lastLineagePushAt = NEVER;
  private final Founding founding;
  /** When the latest founding check is due (a check already due at that time is not scheduled twice), or NEVER. */
  private long foundingCheckAt = NEVER;
  private long lastFoundingRestartAt = NEVER;
  /** Word from a seed arrived while timers were overdue (a stall): the next check asks every seed again. */
  private boolean stallSeen;
  private boolean sequenceSoon;

  ViewSequencer(Membership core) {
    this.core = core;
    this.founding = new Founding(core);
  }

  void start(List<NodeAddress> seeds) {
    founding.seeds(seeds);
    long startedAt = core.now();
    core.timers.schedule(startedAt + core.config.gossipIntervalMs, this::sequenceTick);
    core.timers.schedule(startedAt, this::joinTick);
    // After the first dials (scheduled before this): a node with no other seed founds at once.
    core.timers.schedule(startedAt, this::checkFounding);
  }

  /**
   * Founds if the rule lets it now, and says whether it did; otherwise looks again when the last silent seed stops
   * holding it. Runs at start, whenever a seed answers or fails, and at the join retries (a smaller seed may have
   * died meanwhile). {@code late} is how late the timer that calls it runs (0 for input).
   */
  private boolean checkFounding(long late) {
    if (core.isStopped() || core.isLeaving() || current != null || seenAnyView || joinTarget != null) {
      return false;
    }
    long now = core.now();
    if (late > stallMs() || stallSeen) {
      // This loop was held up: what it heard before or during the stall may be older than a view another seed
      // founded meanwhile. Every seed is asked again; at most once per two discovery windows, so that a loop that is
      // slow now and then still founds: the window after a restart can pass without another one.
      stallSeen = false;
      if (now - lastFoundingRestartAt >= 2 * core.config.discoveryWindowMs) {
        lastFoundingRestartAt = now;
        founding.restart();
        core.antiEntropy.dialSeeds();
      }
    }
    if (timersOverdue()) {
      // Input read before the timers still due (they run next): look again after them.
      scheduleFoundingCheck(now + stallMs());
      return false;
    }
    if (founding.allows()) {
      found();
      return true;
    }
    scheduleFoundingCheck(founding.silenceEndsAt());
    return false;
  }

  /** Lateness that counts as a stall of this loop, as the prober counts a pause. */
  private long stallMs() {
    return core.config.probeTimeoutMs / 2;
  }

  /**
   * Whether timers due more than a stall ago have not run yet: the loop is reading input that waited through a stall
   * (the transport reads what waited in open sockets before it runs late timers, as the simulator does; a connection
   * accepted after the stall is read later, and is not recognised).
   */
  private boolean timersOverdue() {
    return core.now() - core.timers.nextDeadline() > stallMs();
  }

  private void scheduleFoundingCheck(long at) {
    if (at != Long.MAX_VALUE && at != foundingCheckAt && at > core.now()) {
      foundingCheckAt = at;
      core.timers.schedule(at, late -> {
        if (foundingCheckAt == at) {
          foundingCheckAt = NEVER;
        }
        checkFounding(late);
      });
    }
  }

  void updateSeeds(List<NodeAddress> seeds) {
    founding.seeds(seeds);
    checkFounding(0);
  }

  /** A stream to {@code to} failed: if a seed listens there, founding need not wait for it any longer. */
  void onStreamFailed(NodeAddress to) {
    seedWord(to);
  }

  /**
   * Word from a seed (a push-pull from it, or a failed stream to it) ends its silence, unless it was read after a
   * stall: then it may predate a view founded meanwhile, and the seed is asked again instead.
   */
  private void seedWord(NodeAddress seed) {
    if (current != null || seenAnyView || joinTarget != null) {
      return;
    }
    if (timersOverdue()) {
      stallSeen = true;
    } else {
      founding.silenceEnded(seed);
    }
    checkFounding(0);
  }

  View current() {
    return current;
  }

  /** The current view's id, or 0 before the first: carried by pings, acks and pulls. */
  long currentId() {
    return current == null ? 0 : current.id();
  }

  long currentHash() {
    return current == null ? 0 : current.hash();
  }

  private boolean inCurrent(NodeId id) {
    return Arrays.binarySearch(currentSorted, id) >= 0;
  }

  boolean inView() {
    return inCurrent(core.self);
  }

  ViewSummary summary() {
    if (current == null) {
      return ViewSummary.NONE;
    }
    NodeId coordinator = effectiveCoordinator();
    if (coordinator == null) {
      coordinator = current.coordinator();
    }
    Member m = core.table.get(coordinator);
    NodeAddress address = m != null ? m.address : core.address;
    return new ViewSummary(current.id(), current.hash(), current.size(), coordinator, address);
  }

  /** The first member of the current view that this node believes live. */
  NodeId effectiveCoordinator() {
    if (current == null) {
      return null;
    }
    for (NodeId id : current.members()) {
      Member m = core.table.get(id);
      if (m != null && m.state.isLive()) {
        return id;
      }
    }
    return null;
  }

  boolean isCoordinator() {
    return core.self.equals(effectiveCoordinator()) && !core.isLeaving() && !core.isStopped();
  }

  // ---- coordinator ----------------------------------------------------------------------------------------------

  private void sequenceTick(long late) {
    if (core.isStopped()) {
      return;
    }
    core.timers.schedule(core.now() + core.config.gossipIntervalMs, this::sequenceTick);
    if (isCoordinator()) {
      sequence(false);
    }
    fetchMissingRecords();
  }

  /**
   * A view can name a member whose record has not reached this node: the delta travels directly, the joiner's
   * alive only by gossip, and until it arrives this node has no address for it (it can send it neither state nor
   * registrations). Gossip nearly always brings it within the rounds a rumour takes to spread, so a node asks only
   * once it has been missing for about that long (otherwise, at N = 1000, every member would ask the coordinator
   * at once on every admission): first the view's issuer, which admitted it and so holds its record, then random
   * live members, with the wait doubling up to {@link #MAX_FETCH_WAIT_ROUNDS} rounds (a record that never comes,
   * for instance of a member admitted by a coordinator that crashed at once, costs one exchange per few seconds).
   */
  private void fetchMissingRecords() {
    if (current == null || !inCurrent(core.self) || !anyRecordMissing()) {
      recordsMissing = false;
      return;
    }
    long now = core.now();
    long round = core.config.gossipIntervalMs;
    if (!recordsMissing) {
      recordsMissing = true;
      recordFetchesThisEpisode = 0;
      recordFetchWaitMs = round * spreadRounds(current.size());
      nextRecordFetchAt = now + recordFetchWaitMs;
      return;
    }
    if (now < nextRecordFetchAt) {
      return;
    }
    Member from = recordFetchesThisEpisode == 0 && issuer != null ? core.table.get(issuer) : null;
    if (from == null || from == core.selfMember || !from.state.isLive()) {
      List<Member> peer = core.table.pickRandom(1,
          m -> m != core.selfMember && m.state.isLive() && inCurrent(m.id), core.env.random());
      from = peer.isEmpty() ? null : peer.get(0);
    }
    recordFetchWaitMs = Math.min(2 * recordFetchWaitMs, round * MAX_FETCH_WAIT_ROUNDS);
    nextRecordFetchAt = now + recordFetchWaitMs;
    if (from == null) {
      return;
    }
    recordFetchesThisEpisode++;
    core.stats.recordFetches++;
    core.antiEntropy.sendDigest(from.address);
  }

  private boolean anyRecordMissing() {
    for (NodeId id : current.members()) {
      if (core.table.get(id) == null) {
        return true;
      }
    }
    return false;
  }

  /** Gossip rounds a rumour takes to reach nearly every one of {@code n} members, with room: log2(n), at least 2. */
  static int spreadRounds(int n) {
    return Math.max(2, 32 - Integer.numberOfLeadingZeros(n));
  }

  /** Issues the next view if anything changed; {@code withoutSelf} is the coordinator's own graceful exit. */
  private void sequence(boolean withoutSelf) {
    List<NodeId> removed = new ArrayList<>();
    for (NodeId id : current.members()) {
      Member m = core.table.get(id);
      // Only evidence removes: a member this node has no record of yet (news of it was dropped) stays.
      boolean gone = id.equals(core.self) ? withoutSelf : (m != null && !m.state.isLive());
      if (gone) {
        removed.add(id);
      }
    }
    List<NodeId> added = new ArrayList<>();
    for (Iterator<NodeId> it = pendingJoins.iterator(); it.hasNext() && added.size() < core.config.viewBatchMax; ) {
      NodeId id = it.next();
      Member m = core.table.get(id);
      it.remove();
      if (m != null && m.state.isLive() && !inCurrent(id)) {
        added.add(id);
      }
    }
    if (removed.isEmpty() && added.isEmpty()) {
      return;
    }
    View view = current.successor(removed, added);
    if (view.members().isEmpty()) {
      return;
    }
    ViewDelta delta = new ViewDelta(view.id(), core.self, current.hash(), view.hash(), removed, added);
    deliver(view, delta);
    core.stats.viewsIssued++;
    byte[] entry = core.encodeEntry(delta);
    core.broadcastEntry(entry);
    if (view.size() <= core.config.viewDirectSendMax) {
      for (NodeId id : view.members()) {
        Member m = core.table.get(id);
        if (m != null && m != core.selfMember) {
          core.sendEntry(m.address, entry);
        }
      }
    }
    ViewSync full = fullSync(false);
    for (NodeId id : added) {
      core.sendStream(core.table.get(id).address, full);
    }
  }

  void onJoinRequest(JoinRequest jr) {
    MemberRecord joiner = jr.joiner();
    core.rules.merge(joiner, new StateRules.MergeBudget(0), true);
    if (current == null) {
      return;
    }
    if (!isCoordinator()) {
      // Redirect: the joiner learns who the coordinator is from the summary.
      core.sendStream(joiner.address(), fullSync(false));
      return;
    }
    Member m = core.table.get(joiner.id());
    if (m == null || !m.state.isLive()) {
      // We hold a newer accusation than the joiner knows of; tell it, so that it refutes and asks again.
      if (m != null && m.state == MemberState.DEAD) {
        core.sendPacket(joiner.address(), List.of(new Suspect(m.id, m.incarnation, core.self)));
      }
      return;
    }
    if (inCurrent(joiner.id())) {
      core.sendStream(joiner.address(), fullSync(false));
    } else if (pendingJoins.size() < MAX_PENDING_JOINS) {
      pendingJoins.add(joiner.id());
    }
  }

  /** The member that issued the current view as a delta; null when it came whole. */
  NodeId issuer() {
    return issuer;
  }

  /** A death or leave this node learnt of: tell the coordinator at once rather than wait for gossip. */
  void memberDown(Dead dead) {
    if (current == null || !inCurrent(dead.node())) {
      return;
    }
    if (isCoordinator()) {
      // A removal goes out at once rather than at the next tick; deaths learnt together share one view.
      if (!sequenceSoon) {
        sequenceSoon = true;
        core.timers.schedule(core.now(), late -> {
          sequenceSoon = false;
          if (isCoordinator()) {
            sequence(false);
          }
        });
      }
      return;
    }
    NodeId c = effectiveCoordinator();
    Member m = c == null ? null : core.table.get(c);
    if (m != null && m != core.selfMember && dead.from().equals(core.self)) {
      core.sendPacket(m.address, List.of(dead));
    }
  }

  /** The coordinator's graceful leave: it hands over by issuing the view without itself. */
  void leaveAsCoordinator() {
    if (core.self.equals(effectiveCoordinator()) && current != null) {
      sequence(true);
    }
  }

  // ---- every member -------------------------------------------------------------------------------------------

  private void deliver(View view, ViewDelta delta) {
    View previous = current;
    current = view;
    issuer = delta == null ? null : delta.coordinator();
    if (delta != null && previous != null && previous.id() == view.id() - 1) {
      currentSorted = SortedIds.apply(currentSorted, delta.removed(), delta.added());
    } else {
      currentSorted = view.members().toArray(new NodeId[0]);
      Arrays.sort(currentSorted);
    }
    if (delta != null) {
      history.addLast(delta);
      while (history.size() > core.config.viewHistory) {
        history.removeFirst();
      }
    } else {
      history.clear();
    }
    buffered.headMap(view.id(), true).clear();
    pendingJoins.removeIf(this::inCurrent);
    seenAnyView = true;
    if (inCurrent(core.self)) {
      joinTarget = null;
    } else {
      joinTarget = summary().coordinatorAddress();
    }
    core.stats.viewsDelivered++;
    core.listener.viewDelivered(view, previous);
    fetchMissingRecords();
  }

  void onDelta(NodeAddress from, ViewDelta d) {
    if (current == null) {
      pull(from);
      return;
    }
    if (d.id() <= current.id()) {
      Long known = hashOf(d.id());
      if (known != null && known != d.hash()) {
        pull(from);
      }
      return;
    }
    if (d.id() == current.id() + 1) {
      if (d.prevHash() != current.hash() || !apply(d)) {
        pull(from);
        return;
      }
      drainBuffered();
      return;
    }
    if (buffered.size() < MAX_BUFFERED) {
      buffered.put(d.id(), d);
    }
    pull(from);
  }

  /**
   * Applies the next delta if it chains from the current view. Only the coordinator gossips deltas; it also sends
   * each to every member, and pings carry view ids, so a member that lost one pulls it within a probe round.
   */
  private boolean apply(ViewDelta d) {
    View next = current.successor(d.removed(), d.added());
    if (next.members().isEmpty() || next.hash() != d.hash()) {
      core.stats.viewHashMismatches++;
      return false;
    }
    deliver(next, d);
    return true;
  }

  private void drainBuffered() {
    ViewDelta next;
    while ((next = buffered.remove(current.id() + 1)) != null) {
      if (next.prevHash() != current.hash() || !apply(next)) {
        buffered.clear();
        return;
      }
    }
  }

  /** The hash of view {@code id} if this node still knows it. */
  private Long hashOf(long id) {
    if (current == null) {
      return null;
    }
    if (id == current.id()) {
      return current.hash();
    }
    ViewDelta first = history.peekFirst();
    if (first == null || id < first.id() - 1) {
      return null;
    }
    if (id == first.id() - 1) {
      return first.prevHash();
    }
    for (ViewDelta d : history) {
      if (d.id() == id) {
        return d.hash();
      }
    }
    return null;
  }

  private void pull(NodeAddress from) {
    long now = core.now();
    if (now - lastPullAt < core.config.gossipIntervalMs) {
      return;
    }
    lastPullAt = now;
    core.stats.viewPulls++;
    core.sendStream(from, new ViewPull(core.address, currentId(), currentHash()));
  }

  void onPull(ViewPull vp) {
    if (current == null || (vp.haveId() == current.id() && vp.haveHash() == current.hash())) {
      return;
    }
    if (vp.haveId() > current.id()) {
      // The puller is ahead, or on another lineage: we cannot tell which from here. It gets our view to judge
      // by, and we ask it for its own.
      core.sendStream(vp.replyTo(), fullSync(false));
      pull(vp.replyTo());
      return;
    }
    Long known = vp.haveId() > 0 ? hashOf(vp.haveId()) : null;
    if (known != null && known == vp.haveHash()) {
      List<ViewDelta> deltas = new ArrayList<>();
      for (ViewDelta d : history) {
        if (d.id() > vp.haveId()) {
          deltas.add(d);
        }
      }
      core.sendStream(vp.replyTo(), new ViewSync(summary(), deltas, null, false));
      return;
    }
    // Divergent only when provably so: a view id we know, with another hash.
    core.sendStream(vp.replyTo(), fullSync(known != null));
  }

  void onSync(ViewSync sync) {
    if (!sync.isFull()) {
      for (ViewDelta d : sync.deltas()) {
        if (current != null && d.id() == current.id() + 1 && d.prevHash() == current.hash()) {
          if (!apply(d)) {
            return;
          }
        }
      }
      if (current != null) {
        drainBuffered();
      }
      return;
    }
    ViewSummary theirs = sync.summary();
    if (theirs.isNone() || View.hashOf(theirs.id(), sync.members()) != theirs.hash()) {
      return;
    }
    if (current != null && theirs.id() == current.id() && theirs.hash() == current.hash()) {
      if (!inCurrent(core.self) && joinTarget != null) {
        // A redirect: our join went to a member that is not the coordinator (ours was stale when we were
        // removed), and it names the one it follows; without this we would keep asking the wrong member.
        joinTarget = theirs.coordinatorAddress();
      }
      return;
    }
    seenAnyView = true;
    if (current == null) {
      follow(theirs, sync.members());
      return;
    }
    if (!sync.divergent() && inCurrent(theirs.coordinator())) {
      // Their coordinator is one of ours: one lineage, one of us is behind, and the higher id is newer.
      if (theirs.id() > current.id()) {
        follow(theirs, sync.members());
      }
    } else if (theirs.outranks(summary())) {
      // Another lineage (proven, or led by a node our view does not have: a healed partition, another founder).
      follow(theirs, sync.members());
    } else {
      pushOurLineage(theirs);
    }
  }

  /** Moves to their view: adopted at once if it lists this node, otherwise by asking its coordinator. */
  private void follow(ViewSummary theirs, List<NodeId> members) {
    if (members.contains(core.self)) {
      deliver(new View(theirs.id(), members, theirs.hash()), null);
      drainBuffered();
    } else {
      joinTarget = theirs.coordinatorAddress();
      sendJoin();
    }
  }

  /** We outrank their lineage: make sure their coordinator hears of ours, so that its side moves over. */
  private void pushOurLineage(ViewSummary theirs) {
    long now = core.now();
    if (now - lastLineagePushAt < core.config.joinRetryMs) {
      return;
    }
    lastLineagePushAt = now;
    core.sendStream(theirs.coordinatorAddress(), fullSync(true));
  }

  /** A peer's view id and hash, as carried by pings and acks: a member that missed a delta notices here. */
  void onPeerView(NodeAddress peer, long id, long hash) {
    if (id == 0) {
      return;
    }
    if (current == null ? joinTarget == null : differsFromOurs(id, hash)) {
      pull(peer);
    }
  }

  /** What a push-pull peer told us of its view. */
  void onPeerSummary(NodeAddress peer, ViewSummary theirs) {
    if (theirs.isNone()) {
      seedWord(peer);
      return;
    }
    seenAnyView = true;
    if (current == null) {
      if (joinTarget == null) {
        joinTarget = theirs.coordinatorAddress();
        sendJoin();
      }
      return;
    }
    if (differsFromOurs(theirs.id(), theirs.hash())) {
      pull(peer);
    }
  }

  /** A view newer than ours, or ours by id but another by hash: worth a pull. */
  private boolean differsFromOurs(long id, long hash) {
    return id > current.id() || (id == current.id() && hash != current.hash());
  }

  /** Our whole view, for joiners, redirects and nodes too far behind or on another lineage. */
  private ViewSync fullSync(boolean divergent) {
    return new ViewSync(summary(), List.of(), current.members(), divergent);
  }

  private void joinTick(long late) {
    if (core.isStopped()) {
      return;
    }
    core.timers.schedule(core.now() + core.config.joinRetryMs, this::joinTick);
    if (core.isLeaving()) {
      return;
    }
    if (inView()) {
      // A live node outside our view may belong to another lineage (a partition that healed, another founder).
      if (core.table.liveCount() > current.size()) {
        List<Member> outsider = core.table.pickRandom(1,
            m -> m.state.isLive() && m != core.selfMember && !inCurrent(m.id), core.env.random());
        if (!outsider.isEmpty()) {
          pull(outsider.get(0).address);
        }
      }
      return;
    }
    if (joinTarget != null) {
      sendJoin();
    } else if (!checkFounding(late)) {
      List<Member> peer = core.table.pickRandom(1, m -> m.state.isLive() && m != core.selfMember,
          core.env.random());
      if (!peer.isEmpty()) {
        pull(peer.get(0).address);
      }
    }
  }

  private void sendJoin() {
    if (joinTarget != null && !joinTarget.equals(core.address)) {
      core.stats.joinRequests++;
      core.sendStream(joinTarget, new JoinRequest(core.selfMember.toRecord()));
    }
  }

  private void found() {
    core.stats.viewsIssued++;
    deliver(View.of(1, List.of(core.self)), null);
    // The candidates heard before founding are waiting to join: admit them with the next view rather than after
    // their next join retry.
    for (Member m : core.table.all()) {
      if (m != core.selfMember && m.state.isLive() && pendingJoins.size() < MAX_PENDING_JOINS) {
        pendingJoins.add(m.id);
      }
    }
  }
}
