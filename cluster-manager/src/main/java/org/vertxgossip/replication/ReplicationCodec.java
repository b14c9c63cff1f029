package org.vertxgossip.replication;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vertxgossip.membership.wire.MalformedMessageException;
import org.vertxgossip.membership.wire.WireReader;
import org.vertxgossip.membership.wire.WireWriter;
import org.vertxgossip.replication.ReplicationMessage.Ack;
import org.vertxgossip.replication.ReplicationMessage.Delta;
import org.vertxgossip.replication.ReplicationMessage.Digest;
import org.vertxgossip.replication.ReplicationMessage.FullState;
import org.vertxgossip.replication.ReplicationMessage.Pull;
import org.vertxgossip.replication.ReplicationMessage.Sync;
import org.vertxgossip.replication.ReplicationMessage.SyncAck;
import org.vertxgossip.replication.ReplicationMessage.Version;

/**
 * {@code [type u8][body]}; entries are {@code key: u16-length UTF-8, value: present u8, i32 length, bytes}. Every
 * count and length is checked against what remains before anything is allocated.
 */
final class ReplicationCodec {

  private static final int DELTA = 1;
  private static final int FULL = 2;
  private static final int ACK = 3;
  private static final int PULL = 4;
  private static final int DIGEST = 5;
  private static final int SYNC = 6;
  private static final int SYNC_ACK = 7;
  private static final int ID = 16;
  private static final int MIN_ENTRY = 2 + 1;

  private final int maxFrame;

  ReplicationCodec(int maxFrame) {
    this.maxFrame = maxFrame;
  }

  byte[] encode(ReplicationMessage m) {
    WireWriter w = new WireWriter(64, maxFrame);
    if (m instanceof Delta d) {
      w.u8(DELTA).nodeId(d.owner()).address(d.ownerAddress()).i64(d.version());
      entries(w, d.changes());
    } else if (m instanceof FullState f) {
      w.u8(FULL).nodeId(f.sender()).address(f.senderAddress()).nodeId(f.owner()).i64(f.version());
      entries(w, f.entries());
    } else if (m instanceof Ack a) {
      w.u8(ACK).nodeId(a.from()).nodeId(a.owner()).i64(a.version());
    } else if (m instanceof Pull p) {
      w.u8(PULL).nodeId(p.from()).address(p.replyTo()).nodeId(p.owner());
    } else if (m instanceof Sync y) {
      w.u8(SYNC).nodeId(y.from()).address(y.replyTo()).i64(y.id());
    } else if (m instanceof SyncAck y) {
      w.u8(SYNC_ACK).nodeId(y.from()).i64(y.id());
    } else if (m instanceof Digest g) {
      w.u8(DIGEST).nodeId(g.from()).address(g.replyTo()).bool(g.reply()).i32(g.versions().size());
      for (Version v : g.versions()) {
        w.nodeId(v.owner()).i64(v.version());
      }
    }
    return w.toByteArray();
  }

  private static void entries(WireWriter w, Map<String, byte[]> entries) {
    w.i32(entries.size());
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      w.bytes(e.getKey().getBytes(StandardCharsets.UTF_8));
      w.optional(e.getValue());
    }
  }

  /** The message, or null for a type this version does not know. */
  ReplicationMessage decode(byte[] frame) {
    WireReader r = new WireReader(frame);
    int type = r.u8();
    ReplicationMessage m = switch (type) {
      case DELTA -> new Delta(r.nodeId(), r.address(), r.i64(), entries(r));
      case FULL -> new FullState(r.nodeId(), r.address(), r.nodeId(), r.i64(), entries(r));
      case ACK -> new Ack(r.nodeId(), r.nodeId(), r.i64());
      case PULL -> new Pull(r.nodeId(), r.address(), r.nodeId());
      case DIGEST -> digest(r);
      case SYNC -> new Sync(r.nodeId(), r.address(), r.i64());
      case SYNC_ACK -> new SyncAck(r.nodeId(), r.i64());
      default -> null;
    };
    return m; // bytes after the known fields: a newer minor version's appended fields, ignored
  }

  private static Digest digest(WireReader r) {
    var from = r.nodeId();
    var replyTo = r.address();
    boolean reply = r.bool();
    int n = r.count32(ID + 8);
    List<Version> versions = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      versions.add(new Version(r.nodeId(), r.i64()));
    }
    return new Digest(from, replyTo, reply, versions);
  }

  private static Map<String, byte[]> entries(WireReader r) {
    int n = r.count32(MIN_ENTRY);
    Map<String, byte[]> map = new LinkedHashMap<>(Math.max(4, n * 2));
    for (int i = 0; i < n; i++) {
      String key = new String(r.bytes(65_535), StandardCharsets.UTF_8);
      map.put(key, r.optional());
    }
    return map;
  }
}
