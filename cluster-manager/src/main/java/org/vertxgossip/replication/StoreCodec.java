package org.vertxgossip.replication;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.vertxgossip.membership.wire.MalformedMessageException;
import org.vertxgossip.membership.wire.WireReader;
import org.vertxgossip.membership.wire.WireWriter;
import org.vertxgossip.replication.StoreMessage.Applied;
import org.vertxgossip.replication.StoreMessage.Apply;
import org.vertxgossip.replication.StoreMessage.Content;
import org.vertxgossip.replication.StoreMessage.Digest;
import org.vertxgossip.replication.StoreMessage.KeyedEntry;
import org.vertxgossip.replication.StoreMessage.Op;
import org.vertxgossip.replication.StoreMessage.OpResult;
import org.vertxgossip.replication.StoreMessage.Pull;
import org.vertxgossip.replication.StoreMessage.PullDone;
import org.vertxgossip.replication.StoreMessage.StoreDigest;

/**
 * Wire form of the keyed-store messages: {@code [type u8][body]}, types 10-17; optional byte strings are a presence
 * byte then an i32 length. Lengths and counts are checked against what remains before allocation.
 */
final class StoreCodec {

  static final int FIRST_TYPE = 10;
  private static final int OP = 10;
  private static final int OP_RESULT = 11;
  private static final int APPLY = 12;
  private static final int APPLIED = 13;
  private static final int DIGEST = 14;
  private static final int CONTENT = 15;
  private static final int PULL = 16;
  private static final int PULL_DONE = 17;

  private final int maxFrame;

  StoreCodec(int maxFrame) {
    this.maxFrame = maxFrame;
  }

  byte[] encode(StoreMessage m) {
    WireWriter w = new WireWriter(64, maxFrame);
    if (m instanceof Op o) {
      w.u8(OP).nodeId(o.from()).i64(o.seq()).address(o.replyTo());
      request(w, o.request());
    } else if (m instanceof OpResult r) {
      w.u8(OP_RESULT).i64(r.seq());
      result(w, r.result());
    } else if (m instanceof Apply a) {
      w.u8(APPLY).nodeId(a.owner()).address(a.ownerAddress()).i64(a.applyId());
      string(w, a.store());
      blob(w, a.key());
      entry(w, a.entry());
      w.nodeId(a.requester()).i64(a.seq());
      result(w, a.result());
    } else if (m instanceof Applied a) {
      w.u8(APPLIED).nodeId(a.from()).i64(a.applyId());
    } else if (m instanceof Digest d) {
      w.u8(DIGEST).nodeId(d.from()).address(d.replyTo()).bool(d.reply()).i32(d.stores().size());
      for (StoreDigest s : d.stores()) {
        string(w, s.store());
        w.i32(s.count()).i64(s.hash());
      }
    } else if (m instanceof Content c) {
      w.u8(CONTENT);
      string(w, c.store());
      w.i32(c.entries().size());
      for (KeyedEntry e : c.entries()) {
        blob(w, e.key());
        entry(w, e.entry());
      }
    } else if (m instanceof Pull p) {
      w.u8(PULL).nodeId(p.from()).address(p.replyTo());
    } else if (m instanceof PullDone p) {
      w.u8(PULL_DONE).nodeId(p.from());
    }
    return w.toByteArray();
  }

  StoreMessage decode(byte[] frame) {
    WireReader r = new WireReader(frame);
    StoreMessage m = switch (r.u8()) {
      case OP -> new Op(r.nodeId(), r.i64(), r.address(), request(r));
      case OP_RESULT -> new OpResult(r.i64(), result(r));
      case APPLY -> new Apply(r.nodeId(), r.address(), r.i64(), string(r), blob(r), entry(r), r.nodeId(), r.i64(),
          result(r));
      case APPLIED -> new Applied(r.nodeId(), r.i64());
      case DIGEST -> digest(r);
      case CONTENT -> content(r);
      case PULL -> new Pull(r.nodeId(), r.address());
      case PULL_DONE -> new PullDone(r.nodeId());
      default -> null;
    };
    if (m != null && r.remaining() != 0) {
      throw new MalformedMessageException("trailing bytes");
    }
    return m;
  }

  private static Digest digest(WireReader r) {
    var from = r.nodeId();
    var replyTo = r.address();
    boolean reply = r.bool();
    int n = r.count32(2 + 4 + 8);
    List<StoreDigest> stores = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      stores.add(new StoreDigest(string(r), r.i32(), r.i64()));
    }
    return new Digest(from, replyTo, reply, stores);
  }

  private static Content content(WireReader r) {
    String store = string(r);
    int n = r.count32(1 + 1 + 16);
    List<KeyedEntry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      entries.add(new KeyedEntry(blob(r), entry(r)));
    }
    return new Content(store, entries);
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
