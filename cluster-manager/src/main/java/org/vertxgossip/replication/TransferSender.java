package org.vertxgossip.replication;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.replication.StoreMessage.Content;
import org.vertxgossip.replication.StoreMessage.KeyedEntry;
import org.vertxgossip.replication.StoreMessage.PullDone;
import org.vertxgossip.replication.StoreMessage.Sessions;

/**
 * The serving side of state transfers. A joiner's copy of every store goes out paced by its connection: a frame
 * is built only while less than {@link #WINDOW_BYTES} wait for that joiner, and sending goes on when the
 * connection drains (or at the next tick), so a store of any size reaches a joiner with a bounded buffer and
 * nothing dropped. Each frame is built from the entries as they are when it is sent (the keys are listed when the
 * pull arrives); writes made meanwhile reach the joiner directly too, and merge by version. The last frame,
 * {@code PullDone}, counts the frames before it.
 */
final class TransferSender {

  /** Bytes queued for one joiner, at most, before the next frame waits. */
  static final long WINDOW_BYTES = 8L << 20;
  /** Joiners served at once; others are told to ask again shortly. */
  static final int MAX_AT_ONCE = 4;
  /** Entries per content frame, at most; the bytes are bounded by half the frame limit too. */
  private static final int CONTENT_CHUNK = 2_048;
  private static final int SESSION_CHUNK = 4_096;

  private static final class Outgoing {
    final NodeId joiner;
    final NodeAddress to;
    final long pull;
    final ArrayDeque<String> stores;
    String store;
    List<ByteKey> keys = List.of();
    int next;
    long frames;

    Outgoing(NodeId joiner, NodeAddress to, long pull, List<String> stores) {
      this.joiner = joiner;
      this.to = to;
      this.pull = pull;
      this.stores = new ArrayDeque<>(stores);
    }
  }

  private final KeyedStores core;
  private final Map<NodeAddress, Outgoing> outgoing = new LinkedHashMap<>();
  private boolean pumping;

  TransferSender(KeyedStores core) {
    this.core = core;
  }

  int size() {
    return outgoing.size();
  }

  /**
   * Starts sending every store to {@code joiner}, each frame marked with its {@code pull}; false if too many
   * transfers are on their way already.
   */
  boolean start(NodeId joiner, NodeAddress to, long pull) {
    if (!outgoing.containsKey(to) && outgoing.size() >= MAX_AT_ONCE) {
      return false;
    }
    Outgoing o = new Outgoing(joiner, to, pull, new ArrayList<>(core.table.names()));
    outgoing.put(to, o); // a joiner that pulls again starts again
    core.stats.pullsServed++;
    pump(o);
    return true;
  }

  /** The connection to {@code to} drained: its transfer goes on. */
  void writable(NodeAddress to) {
    Outgoing o = outgoing.get(to);
    if (o != null) {
      pump(o);
    }
  }

  /** Goes on with every transfer (in case a drain was not heard) and drops those of joiners gone from the view. */
  void tick() {
    outgoing.values().removeIf(o -> !core.memberSet.contains(o.joiner));
    new ArrayList<>(outgoing.values()).forEach(this::pump);
  }

  void clear() {
    outgoing.clear();
  }

  private void pump(Outgoing o) {
    if (pumping) {
      return; // a drain heard while sending (the transport calls back from inside a flush): the loop goes on
    }
    pumping = true;
    try {
      while (core.env.queuedBytes(o.to) < WINDOW_BYTES) {
        if (!sendNext(o)) {
          o.frames += sendSessions(o);
          core.env.send(o.to, core.codec.encode(new PullDone(core.self, o.pull, true, false, o.frames, core.epoch,
              core.handOver.joinedMembers())));
          outgoing.remove(o.to);
          return;
        }
      }
    } finally {
      pumping = false;
    }
  }

  /** Sends the next content frame of {@code o}; false once every store has gone. */
  private boolean sendNext(Outgoing o) {
    while (o.store == null || o.next >= o.keys.size()) {
      if (o.stores.isEmpty()) {
        return false;
      }
      o.store = o.stores.poll();
      o.keys = new ArrayList<>(core.table.store(o.store).keySet());
      o.next = 0;
    }
    List<KeyedEntry> chunk = new ArrayList<>();
    long bytes = 0;
    long maxBytes = core.config.maxFrame() / 2;
    while (o.next < o.keys.size() && chunk.size() < CONTENT_CHUNK) {
      ByteKey k = o.keys.get(o.next);
      StoredEntry e = core.table.get(o.store, k);
      if (e == null) {
        o.next++; // collected since the pull: nothing to send
        continue;
      }
      Uncommitted.Mark mark = core.uncommitted.mark(new StoreKey(o.store, k));
      long n = e.bytesWith(k.bytes());
      List<Outcome> answers = mark == null ? List.of() : core.answersWithin(k.bytes(), e, mark.outcomes());
      for (Outcome a : answers) {
        n += a.size();
      }
      if (!chunk.isEmpty() && bytes + n > maxBytes) {
        break;
      }
      chunk.add(mark == null ? new KeyedEntry(k.bytes(), e)
          : new KeyedEntry(k.bytes(), e, mark.owner(), mark.applyId(), answers));
      bytes += n;
      o.next++;
    }
    if (!chunk.isEmpty()) {
      core.env.send(o.to, core.codec.encode(new Content(core.self, o.pull, o.store, chunk)));
      o.frames++;
    }
    return true;
  }

  /** Sends the kept answers in frames of at most {@link #SESSION_CHUNK} answers and half the frame limit. */
  private long sendSessions(Outgoing o) {
    return FrameChunks.split(core.sessions.all(), Outcome::size, SESSION_CHUNK, core.config.maxFrame() / 2, false,
        chunk -> core.env.send(o.to, core.codec.encode(new Sessions(core.self, o.pull, chunk))));
  }
}
