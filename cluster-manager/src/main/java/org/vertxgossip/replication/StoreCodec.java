package org.vertxgossip.replication;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.membership.wire.MalformedMessageException;
import org.vertxgossip.membership.wire.WireReader;
import org.vertxgossip.membership.wire.WireWriter;
import org.vertxgossip.replication.StoreMessage.Applied;
import org.vertxgossip.replication.StoreMessage.Apply;
import org.vertxgossip.replication.StoreMessage.Commit;
import org.vertxgossip.replication.StoreMessage.Content;
import org.vertxgossip.replication.StoreMessage.Report;
import org.vertxgossip.replication.StoreMessage.HandOverDone;
import org.vertxgossip.replication.StoreMessage.LeaseGrant;
import org.vertxgossip.replication.StoreMessage.Repair;
import org.vertxgossip.replication.StoreMessage.KeyVersions;
import org.vertxgossip.replication.StoreMessage.Digests;
import org.vertxgossip.replication.StoreMessage.LeaseRequest;
import org.vertxgossip.replication.StoreMessage.HandOverQuery;
import org.vertxgossip.replication.StoreMessage.KeyedEntry;
import org.vertxgossip.replication.StoreMessage.Op;
import org.vertxgossip.replication.StoreMessage.OpResult;
import org.vertxgossip.replication.StoreMessage.Pull;
import org.vertxgossip.replication.StoreMessage.PullDone;
import org.vertxgossip.replication.StoreMessage.Reported;
import org.vertxgossip.replication.StoreMessage.Sessions;

/**
 * Wire form of the keyed-store messages: {@code [type u8][body]}, types 10-21; optional byte strings are a presence
 * byte then an i32 length. Lengths and counts are checked against what remains before allocation.
 */
final class StoreCodec {

  static final int FIRST_TYPE = 10;
  private static final int OP = 10;
  private static final int OP_RESULT = 11;
  private static final int APPLY = 12;
  private static final int APPLIED = 13;
  private static final int COMMIT = 14;
  private static final int CONTENT = 15;
  private static final int PULL = 16;
  private static final int PULL_DONE = 17;
  private static final int HANDOVER_QUERY = 18;
  private static final int HANDOVER = 19;
  private static final int HANDOVER_DONE = 20;
  private static final int SESSIONS = 21;
  private static final int LEASE_REQUEST = 22;
  private static final int LEASE_GRANT = 23;
  private static final int DIGESTS = 24;
  private static final int KEY_VERSIONS = 25;
  private static final int REPAIR = 26;
  /** Smallest encoding of an outcome: two node ids, three longs, a status, two absent blobs and a number. */
  private static final int MIN_OUTCOME = 16 + 8 + 8 + 1 + 1 + 8 + 1;

  private final int maxFrame;

  StoreCodec(int maxFrame) {
    this.maxFrame = maxFrame;
  }

  byte[] encode(StoreMessage m) {
    WireWriter w = new WireWriter(64, maxFrame);
    if (m instanceof Op o) {
      w.u8(OP).nodeId(o.from()).i64(o.seq()).i64(o.low()).address(o.replyTo());
      epoch(w, o.epoch());
      request(w, o.request());
    } else if (m instanceof OpResult r) {
      w.u8(OP_RESULT).i64(r.seq());
      result(w, r.result());
    } else if (m instanceof Apply a) {
      w.u8(APPLY).nodeId(a.owner()).address(a.ownerAddress()).i64(a.applyId());
      epoch(w, a.epoch());
      w.i64(a.committedBelow());
      string(w, a.store());
      blob(w, a.key());
      entry(w, a.entry());
      outcomes(w, a.outcomes());
    } else if (m instanceof Applied a) {
      w.u8(APPLIED).nodeId(a.from()).i64(a.applyId());
      epoch(w, a.epoch());
      w.bool(a.accepted());
    } else if (m instanceof Commit c) {
      w.u8(COMMIT).nodeId(c.owner());
      epoch(w, c.epoch());
      w.i64(c.committedBelow());
    } else if (m instanceof HandOverQuery q) {
      w.u8(HANDOVER_QUERY).nodeId(q.from()).address(q.replyTo());
      epoch(w, q.epoch());
      w.i64(q.round());
    } else if (m instanceof Report h) {
      w.u8(HANDOVER).nodeId(h.from());
      epoch(w, h.epoch());
      w.i64(h.round());
      w.bool(h.last());
      w.i32(h.entries().size());
      for (Reported r : h.entries()) {
        string(w, r.store());
        blob(w, r.key());
        entry(w, r.entry());
        outcomes(w, r.outcomes());
      }
    } else if (m instanceof HandOverDone d) {
      w.u8(HANDOVER_DONE).nodeId(d.from());
      epoch(w, d.epoch());
      w.i64(d.round());
    } else if (m instanceof Content c) {
      w.u8(CONTENT).nodeId(c.from()).i64(c.pull());
      string(w, c.store());
      w.i32(c.entries().size());
      for (KeyedEntry e : c.entries()) {
        blob(w, e.key());
        entry(w, e.entry());
        w.bool(e.pendingOwner() != null);
        if (e.pendingOwner() != null) {
          w.nodeId(e.pendingOwner()).i64(e.pendingApply());
          outcomes(w, e.pendingOutcomes());
        }
      }
    } else if (m instanceof Sessions s) {
      w.u8(SESSIONS).nodeId(s.from()).i64(s.pull());
      outcomes(w, s.outcomes());
    } else if (m instanceof Pull p) {
      w.u8(PULL).nodeId(p.from()).address(p.replyTo());
      epoch(w, p.epoch());
      w.i64(p.pull());
    } else if (m instanceof PullDone p) {
      w.u8(PULL_DONE).nodeId(p.from()).i64(p.pull()).bool(p.served()).bool(p.joining()).i64(p.frames());
      epoch(w, p.epoch());
      w.i32(p.joined().size());
      p.joined().forEach(w::nodeId);
    } else if (m instanceof LeaseRequest q) {
      w.u8(LEASE_REQUEST).nodeId(q.from()).address(q.replyTo());
      epoch(w, q.epoch());
      w.i64(q.sentAt());
    } else if (m instanceof LeaseGrant g) {
      w.u8(LEASE_GRANT).nodeId(g.owner());
      epoch(w, g.epoch());
      w.i64(g.sentAt()).i64(g.durationMs());
    } else if (m instanceof Digests d) {
      w.u8(DIGESTS).nodeId(d.from()).address(d.replyTo());
      epoch(w, d.epoch());
      string(w, d.store());
      w.u8(d.level());
      ints(w, d.ranges());
      longs(w, d.digests());
    } else if (m instanceof KeyVersions k) {
      w.u8(KEY_VERSIONS).nodeId(k.from()).address(k.replyTo());
      epoch(w, k.epoch());
      string(w, k.store());
      ints(w, k.leaves());
      keys(w, k.keys());
      longs(w, k.versions());
    } else if (m instanceof Repair rp) {
      w.u8(REPAIR).nodeId(rp.from()).address(rp.replyTo());
      epoch(w, rp.epoch());
      string(w, rp.store());
      w.i32(rp.entries().size());
      for (KeyedEntry e : rp.entries()) {
        blob(w, e.key());
        entry(w, e.entry());
      }
      keys(w, rp.wanted());
    }
    return w.toByteArray();
  }

  StoreMessage decode(byte[] frame) {
    WireReader r = new WireReader(frame);
    StoreMessage m = switch (r.u8()) {
      case OP -> new Op(r.nodeId(), r.i64(), r.i64(), r.address(), epoch(r), request(r));
      case OP_RESULT -> new OpResult(r.i64(), result(r));
      case APPLY -> new Apply(r.nodeId(), r.address(), r.i64(), epoch(r), r.i64(), string(r), key(r), entry(r),
          outcomes(r));
      case APPLIED -> new Applied(r.nodeId(), r.i64(), epoch(r), r.bool());
      case COMMIT -> new Commit(r.nodeId(), epoch(r), r.i64());
      case HANDOVER_QUERY -> new HandOverQuery(r.nodeId(), r.address(), epoch(r), r.i64());
      case HANDOVER -> handOver(r);
      case HANDOVER_DONE -> new HandOverDone(r.nodeId(), epoch(r), r.i64());
      case CONTENT -> content(r);
      case SESSIONS -> new Sessions(r.nodeId(), r.i64(), outcomes(r));
      case PULL -> new Pull(r.nodeId(), r.address(), epoch(r), r.i64());
      case PULL_DONE -> pullDone(r);
      case LEASE_REQUEST -> new LeaseRequest(r.nodeId(), r.address(), epoch(r), r.i64());
      case LEASE_GRANT -> new LeaseGrant(r.nodeId(), epoch(r), r.i64(), r.i64());
      case DIGESTS -> new Digests(r.nodeId(), r.address(), epoch(r), string(r), r.u8(), ints(r), longs(r));
      case KEY_VERSIONS -> keyVersions(r);
      case REPAIR -> repair(r);
      default -> null;
    };
    return m; // bytes after the known fields: a newer minor version's appended fields, ignored
  }

  private static Report handOver(WireReader r) {
    NodeId from = r.nodeId();
    Epoch epoch = epoch(r);
    long round = r.i64();
    boolean last = r.bool();
    int n = r.count32(2 + 2 + 17 + 4);
    List<Reported> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      entries.add(new Reported(string(r), key(r), entry(r), outcomes(r)));
    }
    return new Report(from, epoch, round, entries, last);
  }

  private static PullDone pullDone(WireReader r) {
    NodeId from = r.nodeId();
    long pull = r.i64();
    boolean served = r.bool();
    boolean joining = r.bool();
    long frames = r.i64();
    Epoch epoch = epoch(r);
    int n = r.count32(16);
    List<NodeId> joined = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      joined.add(r.nodeId());
    }
    return new PullDone(from, pull, served, joining, frames, epoch, joined);
  }

  private static KeyVersions keyVersions(WireReader r) {
    KeyVersions k = new KeyVersions(r.nodeId(), r.address(), epoch(r), string(r), ints(r), keys(r), longs(r));
    if (k.keys().size() != k.versions().length) {
      throw new MalformedMessageException("keys and versions differ in number");
    }
    return k;
  }

  private static Repair repair(WireReader r) {
    NodeId from = r.nodeId();
    NodeAddress replyTo = r.address();
    Epoch epoch = epoch(r);
    String store = string(r);
    int n = r.count32(1 + 1 + 16);
    List<KeyedEntry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      entries.add(new KeyedEntry(key(r), entry(r)));
    }
    return new Repair(from, replyTo, epoch, store, entries, keys(r));
  }

  private static void ints(WireWriter w, int[] values) {
    w.i32(values.length);
    for (int v : values) {
      w.i32(v);
    }
  }

  private static int[] ints(WireReader r) {
    int[] out = new int[r.count32(4)];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.i32();
    }
    return out;
  }

  private static void longs(WireWriter w, long[] values) {
    w.i32(values.length);
    for (long v : values) {
      w.i64(v);
    }
  }

  private static long[] longs(WireReader r) {
    long[] out = new long[r.count32(8)];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.i64();
    }
    return out;
  }

  private static void keys(WireWriter w, List<byte[]> keys) {
    w.i32(keys.size());
    keys.forEach(k -> blob(w, k));
  }

  private static List<byte[]> keys(WireReader r) {
    int n = r.count32(1);
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(key(r));
    }
    return out;
  }

  private static Content content(WireReader r) {
    NodeId from = r.nodeId();
    long pull = r.i64();
    String store = string(r);
    int n = r.count32(1 + 1 + 16 + 1);
    List<KeyedEntry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] key = key(r);
      StoredEntry entry = entry(r);
      boolean pending = r.bool();
      entries.add(pending ? new KeyedEntry(key, entry, r.nodeId(), r.i64(), outcomes(r))
          : new KeyedEntry(key, entry));
    }
    return new Content(from, pull, store, entries);
  }

  private static void outcomes(WireWriter w, List<Outcome> outcomes) {
    w.i32(outcomes.size());
    for (Outcome o : outcomes) {
      w.nodeId(o.requester()).i64(o.seq()).i64(o.low());
      result(w, o.result());
    }
  }

  private static List<Outcome> outcomes(WireReader r) {
    int n = r.count32(MIN_OUTCOME);
    List<Outcome> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Outcome(r.nodeId(), r.i64(), r.i64(), result(r)));
    }
    return out;
  }

  private static void epoch(WireWriter w, Epoch e) {
    w.i64(e.id()).i64(e.hash());
  }

  private static Epoch epoch(WireReader r) {
    return new Epoch(r.i64(), r.i64());
  }

  private static void request(WireWriter w, StoreRequest q) {
    string(w, q.store());
    blob(w, q.key());
    w.u8(q.op().ordinal());
    blob(w, q.value());
    blob(w, q.other());
    w.i64(q.ttl()).i64(q.a()).i64(q.b());
  }

  private static StoreRequest request(WireReader r) {
    String store = string(r);
    byte[] key = blob(r);
    StoreOp op = StoreOp.of(r.u8());
    if (op == null || key == null) {
      throw new MalformedMessageException("bad operation");
    }
    return new StoreRequest(store, key, op, blob(r), blob(r), r.i64(), r.i64(), r.i64());
  }

  private static void result(WireWriter w, StoreResult s) {
    w.u8(s.status().ordinal());
    blob(w, s.value());
    w.i64(s.number());
    blob(w, s.message() == null ? null : s.message().getBytes(StandardCharsets.UTF_8));
  }

  private static StoreResult result(WireReader r) {
    int status = r.u8();
    if (status >= StoreResult.Status.values().length) {
      throw new MalformedMessageException("bad status");
    }
    byte[] value = blob(r);
    long number = r.i64();
    byte[] message = blob(r);
    return new StoreResult(StoreResult.Status.values()[status], value, number,
        message == null ? null : new String(message, StandardCharsets.UTF_8));
  }

  private static void entry(WireWriter w, StoredEntry e) {
    blob(w, e.value());
    w.i64(e.version()).i64(e.expiresAt());
  }

  private static StoredEntry entry(WireReader r) {
    return new StoredEntry(blob(r), r.i64(), r.i64());
  }

  private static byte[] key(WireReader r) {
    byte[] k = blob(r);
    if (k == null) {
      throw new MalformedMessageException("absent key");
    }
    return k;
  }

  private static void string(WireWriter w, String s) {
    w.bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String string(WireReader r) {
    return new String(r.bytes(65_535), StandardCharsets.UTF_8);
  }

  private static void blob(WireWriter w, byte[] b) {
    w.optional(b);
  }

  private static byte[] blob(WireReader r) {
    return r.optional();
  }
}
