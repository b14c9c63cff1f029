package org.vertxgossip.replication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;

import org.vertxgossip.replication.StoreMessage.HandOverDone;
import org.vertxgossip.replication.StoreMessage.HandOverQuery;
import org.vertxgossip.replication.StoreMessage.Reported;

/**
 * Moving key ownership from one epoch to the next. On entering an epoch every member asks every other for its
 * report: the uncommitted writes it holds of keys that now belong to the asker (written by a previous owner, which
 * may be gone, or by the asker itself; a mark stays until a write of the key's owner commits, so a hand-over cut
 * short by the next view change is reported again). The asker serves nothing until it has every member's report (and, as a joiner, its state
 * transfer): writes that committed in the previous epoch are on every member of it, so the asker holds them, and
 * of the uncommitted ones it keeps the newest, with their answers, and sends it again as its own write. Then it
 * tells every member it serves ({@code HandOverDone}); a member reads locally only once every member of its epoch
 * has said so, so no member answers an older value than one another member already answered.
 *
 * <p>The same exchange re-validates a member after a pause of its loop: a member stopped (SIGSTOP, a long GC) may
 * have been removed meanwhile, and serves nothing until every member of its view confirms that view again. Each
 * re-validation is a new round, and only answers to that round's queries count: answers sent before the pause wait
 * in the member's socket and would otherwise confirm a view the others may have left since.
 */
final class HandOver {

  /** Queries buffered for epochs this member has not reached yet. */
  private static final int MAX_EARLY_QUERIES = 1024;

  private final KeyedStores core;
  private Map<NodeId, List<Reported>> reports = Map.of();
  private final Set<NodeId> reportsMissing = new HashSet<>();
  private final Set<NodeId> doneMissing = new HashSet<>();
  private final Map<StoreKey, Map<RequestId, Outcome>> adopted = new LinkedHashMap<>();
  private final List<HandOverQuery> early = new ArrayList<>();
  /** Reports arriving in several frames, until their last. */
  private final Map<NodeId, List<Reported>> partial = new HashMap<>();
  private boolean serving;
  /** Read from any thread by local reads. */
  private volatile boolean reading;
  private long queryAt;
  private Set<NodeId> joined = new HashSet<>();
  /** This node's current re-validation round; answers of earlier rounds are ignored. */
  private long round;
  /** The latest round each member asked for, echoed by the readiness this node announces unasked. */
  private final Map<NodeId, Long> askedRound = new HashMap<>();

  HandOver(KeyedStores core) {
    this.core = core;
  }

  boolean serving() {
    return serving;
  }

  boolean reading() {
    return reading;
  }

  int missing() {
    return reportsMissing.size() + doneMissing.size();
  }

  /**
   * Enters the current epoch: the marks this node holds, grouped by their keys' owners in it, become its reports,
   * and every member is asked for its own. {@code joined}: members this view added to this node's previous one.
   * They entered with nothing (a member entering a view other than as a successor drops its stores), so there is
   * nothing to wait for from them: no report, and no readiness either, since a read of a key one of them owns
   * needs that owner's lease, which it grants only once it serves.
   */
  void enter(Set<NodeId> joined) {
    this.joined = new HashSet<>(joined);
    askedRound.clear(); // rounds asked in the last epoch: their askers start new ones in this one
    Map<NodeId, List<Reported>> byOwner = new HashMap<>();
    core.uncommitted.byOwner(k -> core.ownerOf(k)).forEach((owner, marks) -> {
      List<Reported> list = new ArrayList<>();
      for (Map.Entry<StoreKey, Uncommitted.Mark> m : marks) {
        StoredEntry e = core.table.get(m.getKey().store(), m.getKey().key());
        if (e != null) {
          byte[] key = m.getKey().key().bytes();
          list.add(new Reported(m.getKey().store(), key, e, core.answersWithin(key, e, m.getValue().outcomes())));
        }
      }
      byOwner.put(owner, list);
    });
    reports = byOwner;
    revalidate();
    List<HandOverQuery> ready = new ArrayList<>();
    early.removeIf(q -> {
      if (q.epoch().equals(core.epoch)) {
        ready.add(q);
      }
      return !core.epoch.before(q.epoch()); // keep only those still ahead of this node
    });
    ready.forEach(this::onQuery);
  }

  /** The members this node knows entered the current epoch with nothing. */
  List<NodeId> joinedMembers() {
    return List.copyOf(joined);
  }

  /**
   * A joiner learns from its state transfer's source which members the epoch added (the source was in the view
   * before it): they entered with nothing, like this node, so their reports and readiness are not waited for.
   */
  void alsoJoined(List<NodeId> members) {
    for (NodeId m : members) {
      if (!m.equals(core.self) && core.memberSet.contains(m)) {
        joined.add(m);
        reportsMissing.remove(m);
        doneMissing.remove(m);
        partial.remove(m);
      }
    }
    maybeRead();
  }

  /** Stops local reads at once (the tables are about to change). */
  void stopReading() {
    reading = false;
  }

  /**
   * After a pause: serves nothing until every member of the view answered again, joiners of the last view
   * included (they may be the only others, and may have taken this node's keys meanwhile).
   */
  void revalidateAfterPause() {
    joined = new HashSet<>();
    revalidate();
  }

  /** Serves nothing until every member of the current view answered again (a new epoch, or after a pause). */
  void revalidate() {
    round++;
    serving = false;
    reading = false;
    partial.clear();
    adopted.clear();
    reportsMissing.clear();
    doneMissing.clear();
    if (!core.inView()) {
      return;
    }
    reportsMissing.addAll(core.members);
    doneMissing.addAll(core.members);
    reportsMissing.removeAll(joined);
    doneMissing.removeAll(joined);
    reportsMissing.remove(core.self);
    doneMissing.remove(core.self);
    onReport(core.self, reports.getOrDefault(core.self, List.of()));
    query();
  }

  private void query() {
    queryAt = core.env.now() + FanOut.RESEND_MS;
    Set<NodeId> ask = new HashSet<>(reportsMissing);
    ask.addAll(doneMissing);
    core.sendTo(ask, core.codec.encode(new HandOverQuery(core.self, core.selfAddress, core.epoch, round)));
  }

  void onQuery(HandOverQuery q) {
    if (q.epoch().equals(core.epoch) && core.inView()) {
      askedRound.merge(q.from(), q.round(), Math::max);
      sendReport(q.replyTo(), reports.getOrDefault(q.from(), List.of()), q.round());
      if (serving) {
        core.env.send(q.replyTo(), core.codec.encode(new HandOverDone(core.self, core.epoch, q.round())));
      }
    } else if (core.epoch.before(q.epoch()) && early.size() < MAX_EARLY_QUERIES) {
      early.add(q);
    }
  }

  /** A report in frames of at most half the frame limit: uncommitted values can be large. */
  private void sendReport(NodeAddress to, List<Reported> entries, long asked) {
    List<List<Reported>> chunks = new ArrayList<>();
    FrameChunks.split(entries, HandOver::sizeOf, Integer.MAX_VALUE, core.config.maxFrame() / 2, true, chunks::add);
    for (int i = 0; i < chunks.size(); i++) {
      core.env.send(to, core.codec.encode(new StoreMessage.Report(core.self, core.epoch, asked, chunks.get(i),
          i == chunks.size() - 1)));
    }
  }

  private static long sizeOf(Reported r) {
    long size = r.entry().bytesWith(r.key());
    for (Outcome o : r.outcomes()) {
      size += o.size();
    }
    return size;
  }

  void onReport(StoreMessage.Report h) {
    if (!h.epoch().equals(core.epoch) || h.round() != round || !reportsMissing.contains(h.from())) {
      return; // another epoch, or an answer sent before this round began (before a pause)
    }
    List<Reported> got = partial.computeIfAbsent(h.from(), f -> new ArrayList<>());
    got.addAll(h.entries());
    if (h.last()) {
      partial.remove(h.from());
      onReport(h.from(), got);
    }
  }

  private void onReport(NodeId from, List<Reported> entries) {
    if (!from.equals(core.self) && !reportsMissing.remove(from)) {
      return;
    }
    for (Reported r : entries) {
      StoreKey key = new StoreKey(r.store(), new ByteKey(r.key()));
      if (!core.ownsHere(r.store(), key.key()) || !core.plausible(r.entry())) {
        continue;
      }
      core.table.merge(r.store(), key.key(), r.entry());
      core.clock.observe(r.entry().version());
      Map<RequestId, Outcome> byRequest = adopted.computeIfAbsent(key, k -> new LinkedHashMap<>());
      for (Outcome o : r.outcomes()) {
        byRequest.putIfAbsent(RequestId.of(o), o); // every member reports the same answers
      }
    }
    maybeServe();
  }

  void onDone(HandOverDone d) {
    if (d.epoch().equals(core.epoch) && d.round() == round && doneMissing.remove(d.from())) {
      maybeRead();
    }
  }

  /**
   * Once every report is in (and the state transfer done): the newest of each taken-over key is sent again as this
   * owner's write, with every answer reported for it, and this node serves.
   */
  void maybeServe() {
    if (serving || !reportsMissing.isEmpty() || !core.transfer.done() || !core.inView() || !core.hasQuorum()) {
      return; // below the quorum a member serves nothing: what it took over would be lost when it re-joins
    }
    for (Map.Entry<StoreKey, Map<RequestId, Outcome>> e : adopted.entrySet()) {
      StoreKey key = e.getKey();
      StoredEntry entry = core.table.get(key.store(), key.key());
      List<Outcome> outcomes = List.copyOf(e.getValue().values());
      outcomes.forEach(core.sessions::put);
      if (entry != null && core.fanOut.lastOf(key) == null) {
        // Not this node's own write still on its way (that one goes out again in this epoch by itself).
        core.stats.handedOver++;
        core.fanOut.start(key, entry, outcomes, List.of(), true);
      }
    }
    adopted.clear();
    serving = true;
    for (NodeId m : core.members) {
      NodeAddress a = m.equals(core.self) ? null : core.env.addressOf(m);
      Long asked = askedRound.get(m);
      if (a != null && asked != null) { // one that has not asked yet is told in answer to its query
        core.env.send(a, core.codec.encode(new HandOverDone(core.self, core.epoch, asked)));
      }
    }
    core.servingStarted();
    maybeRead();
  }

  private void maybeRead() {
    if (serving && doneMissing.isEmpty()) {
      reading = true;
    }
  }

  /** The membership learned a member's address: it is asked now rather than at the next resend. */
  void addressKnown(NodeId member) {
    if (reportsMissing.contains(member) || doneMissing.contains(member)) {
      NodeAddress a = core.env.addressOf(member);
      if (a != null) {
        core.env.send(a, core.codec.encode(new HandOverQuery(core.self, core.selfAddress, core.epoch, round)));
      }
    }
  }

  void tick(long now) {
    if ((!reportsMissing.isEmpty() || !doneMissing.isEmpty()) && now >= queryAt) {
      query();
    }
  }

  void clear() {
    joined = new HashSet<>();
    askedRound.clear();
    reports = Map.of();
    partial.clear();
    early.clear();
    adopted.clear();
    serving = false;
    reading = false;
  }
}
