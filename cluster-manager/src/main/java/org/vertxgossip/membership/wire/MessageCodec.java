package org.vertxgossip.membership.wire;

import java.util.ArrayList;
import java.util.List;
import org.vertxgossip.membership.Canonicalizer;
import org.vertxgossip.membership.MemberRecord;
import org.vertxgossip.membership.MemberState;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.membership.ViewSummary;
import org.vertxgossip.membership.wire.Message.Ack;
import org.vertxgossip.membership.wire.Message.Alive;
import org.vertxgossip.membership.wire.Message.Dead;
import org.vertxgossip.membership.wire.Message.IndirectPing;
import org.vertxgossip.membership.wire.Message.JoinRequest;
import org.vertxgossip.membership.wire.Message.Nack;
import org.vertxgossip.membership.wire.Message.Ping;
import org.vertxgossip.membership.wire.Message.PushPull;
import org.vertxgossip.membership.wire.Message.StreamAck;
import org.vertxgossip.membership.wire.Message.StreamPing;
import org.vertxgossip.membership.wire.Message.Suspect;
import org.vertxgossip.membership.wire.Message.ViewDelta;
import org.vertxgossip.membership.wire.Message.ViewPull;
import org.vertxgossip.membership.wire.Message.ViewSync;

/**
 * The binary encoding of {@link Message}s. A datagram is a compound of entries {@code [type u8][length u16][body]},
 * so that a receiver skips types it does not know (version N and N-1 side by side). A stream frame holds one
 * {@code [type u8][body]}. No Java serialization anywhere.
 */
public final class MessageCodec {

  /** The highest incarnation accepted from the network (2^30): far above any honest member's, far below overflow. */
  public static final int MAX_INCARNATION = 1 << 30;

  public static final int PING = 1;
  public static final int INDIRECT_PING = 2;
  public static final int ACK = 3;
  public static final int NACK = 4;
  public static final int ALIVE = 5;
  public static final int SUSPECT = 6;
  public static final int DEAD = 7;
  public static final int VIEW_DELTA = 8;
  public static final int PUSH_PULL = 20;
  public static final int STREAM_PING = 21;
  public static final int STREAM_ACK = 22;
  public static final int JOIN_REQUEST = 23;
  public static final int VIEW_PULL = 24;
  public static final int VIEW_SYNC = 25;
  /**
   * A datagram entry that only minor version 2 and later know (the test switch's stand-in for a next release's
   * new message): {@code [minor u8]}. Older members skip it as an unknown type.
   */
  public static final int CAPABILITIES = 30;

  /**
   * The minor version of the bodies this release writes. Within one major version (the envelope's), a newer minor
   * version only adds: new entry and frame types, which older members skip and count, and fields appended at the
   * end of a body, which older members ignore (src-docs/operations.md, the upgrade rules).
   */
  public static final int MINOR = 1;

  /** Bytes a compound entry adds to its body. */
  public static final int ENTRY_OVERHEAD = 3;

  private static final int NODE_ID = 16;
  private static final int MIN_ADDRESS = 4;
  private static final int MIN_RECORD = NODE_ID + MIN_ADDRESS + 4 + 1 + 2;

  private final int maxMeta;
  private final Canonicalizer canonical;
  private final int minor;
  private long appendedFieldsRead;

  public MessageCodec(int maxMeta) {
    this(maxMeta, Canonicalizer.IDENTITY);
  }

  public MessageCodec(int maxMeta, Canonicalizer canonical) {
    this(maxMeta, canonical, MINOR);
  }

  /**
   * @param minor the minor version to write and read: at 2 (the test switch) pings carry one appended field and
   *     datagrams a {@link #CAPABILITIES} entry
   */
  public MessageCodec(int maxMeta, Canonicalizer canonical, int minor) {
    this.maxMeta = maxMeta;
    this.canonical = canonical;
    this.minor = minor;
  }

  /** Fields of a newer minor version this codec read (only at minor 2: pings' appended field). */
  public long appendedFieldsRead() {
    return appendedFieldsRead;
  }

  /** The {@link #CAPABILITIES} entry of minor version 2 and later; null below. */
  public byte[] capabilitiesEntry() {
    return minor < 2 ? null : new byte[] {(byte) CAPABILITIES, 0, 1, (byte) minor};
  }

  private NodeId id(WireReader r) {
    return canonical.id(r.nodeId());
  }

  private NodeAddress addr(WireReader r) {
    return canonical.address(r.address());
  }

  /** One message as a compound entry, ready to be packed into a datagram. */
  public byte[] encodeEntry(Message m) {
    WireWriter w = new WireWriter(64, 65535 + ENTRY_OVERHEAD);
    w.u8(typeOf(m));
    int lenAt = w.size();
    w.u16(0);
    writeBody(m, w);
    w.patchU16(lenAt, w.size() - ENTRY_OVERHEAD);
    return w.toByteArray();
  }

  /** One message as a stream frame of at most {@code limit} bytes. */
  public byte[] encodeFrame(Message m, int limit) {
    WireWriter w = new WireWriter(256, limit);
    w.u8(typeOf(m));
    writeBody(m, w);
    return w.toByteArray();
  }

  /** Receives each decoded entry of a datagram; unknown types are reported, not thrown. */
  public interface EntrySink {
    void message(Message m);

    void unknownType(int type);

    /** A {@link #CAPABILITIES} entry (read only at minor 2 and later). */
    default void capabilities(int minor) {
    }
  }

  /** Decodes a compound datagram. Throws {@link MalformedMessageException} on the first bad entry. */
  public void decodePacket(byte[] packet, EntrySink sink) {
    WireReader r = new WireReader(packet);
    if (r.remaining() == 0) {
      throw new MalformedMessageException("empty packet");
    }
    while (r.remaining() > 0) {
      int type = r.u8();
      int len = r.u16();
      WireReader body = r.slice(len);
      if (type == CAPABILITIES && minor >= 2) {
        sink.capabilities(body.u8());
        continue;
      }
      if (!isPacketType(type)) {
        sink.unknownType(type);
        continue;
      }
      // Bytes after the known fields are fields a newer minor version appended: ignored.
      sink.message(readBody(type, body));
    }
  }

  /** Decodes a stream frame; returns null for an unknown type. */
  public Message decodeFrame(byte[] frame) {
    WireReader r = new WireReader(frame);
    int type = r.u8();
    if (!isStreamType(type)) {
      return null;
    }
    return readBody(type, r); // bytes after the known fields: a newer minor version's, ignored
  }

  private static boolean isPacketType(int t) {
    return t >= PING && t <= VIEW_DELTA;
  }

  private static boolean isStreamType(int t) {
    return t >= PUSH_PULL && t <= VIEW_SYNC;
  }

  private static int typeOf(Message m) {
    if (m instanceof Ping) return PING;
    if (m instanceof IndirectPing) return INDIRECT_PING;
    if (m instanceof Ack) return ACK;
    if (m instanceof Nack) return NACK;
    if (m instanceof Alive) return ALIVE;
    if (m instanceof Suspect) return SUSPECT;
    if (m instanceof Dead) return DEAD;
    if (m instanceof ViewDelta) return VIEW_DELTA;
    if (m instanceof PushPull) return PUSH_PULL;
    if (m instanceof StreamPing) return STREAM_PING;
    if (m instanceof StreamAck) return STREAM_ACK;
    if (m instanceof JoinRequest) return JOIN_REQUEST;
    if (m instanceof ViewPull) return VIEW_PULL;
    if (m instanceof ViewSync) return VIEW_SYNC;
    throw new IllegalArgumentException(m.getClass().getName());
  }

  private void writeBody(Message msg, WireWriter w) {
    if (msg instanceof Ping m) {
      w.i32(m.seq()).nodeId(m.target()).nodeId(m.source()).address(m.sourceAddress()).i64(m.viewId())
          .i64(m.viewHash());
      if (minor >= 2) {
        w.u8(minor); // minor 2's appended field: older members ignore it
      }
    } else if (msg instanceof IndirectPing m) {
      w.i32(m.seq()).nodeId(m.target()).address(m.targetAddress()).nodeId(m.requester()).address(m.requesterAddress());
    } else if (msg instanceof Ack m) {
      w.i32(m.seq()).nodeId(m.source()).i64(m.viewId()).i64(m.viewHash());
    } else if (msg instanceof Nack m) {
      w.i32(m.seq());
    } else if (msg instanceof Alive m) {
      w.nodeId(m.node()).i32(m.incarnation()).address(m.address()).bytes(m.meta());
    } else if (msg instanceof Suspect m) {
      w.nodeId(m.node()).i32(m.incarnation()).nodeId(m.from());
    } else if (msg instanceof Dead m) {
      w.nodeId(m.node()).i32(m.incarnation()).nodeId(m.from());
    } else if (msg instanceof ViewDelta m) {
      writeDelta(m, w);
    } else if (msg instanceof PushPull m) {
      w.u8(m.phase()).bool(m.join());
      writeRecord(m.sender(), w);
      writeSummary(m.view(), w);
      w.u16(m.buckets().length);
      for (long b : m.buckets()) {
        w.i64(b);
      }
      writeRecords(m.records(), w);
    } else if (msg instanceof StreamPing m) {
      w.i32(m.seq()).nodeId(m.target()).nodeId(m.source()).address(m.sourceAddress());
    } else if (msg instanceof StreamAck m) {
      w.i32(m.seq()).nodeId(m.source());
    } else if (msg instanceof JoinRequest m) {
      writeRecord(m.joiner(), w);
    } else if (msg instanceof ViewPull m) {
      w.address(m.replyTo()).i64(m.haveId()).i64(m.haveHash());
    } else if (msg instanceof ViewSync m) {
      writeSummary(m.summary(), w);
      w.u16(m.deltas().size());
      for (ViewDelta d : m.deltas()) {
        writeDelta(d, w);
      }
      w.bool(m.isFull());
      if (m.isFull()) {
        writeIds(m.members(), w, true);
      }
      w.bool(m.divergent());
    }
  }

  private Message readBody(int type, WireReader r) {
    switch (type) {
      case PING: {
        Ping ping = new Ping(r.i32(), id(r), id(r), addr(r), r.i64(), r.i64());
        if (minor >= 2 && r.remaining() >= 1) {
          r.u8(); // the sender's minor version, appended by minor 2
          appendedFieldsRead++;
        }
        return ping;
      }
      case INDIRECT_PING:
        return new IndirectPing(r.i32(), id(r), addr(r), id(r), addr(r));
      case ACK:
        return new Ack(r.i32(), id(r), r.i64(), r.i64());
      case NACK:
        return new Nack(r.i32());
      case ALIVE:
        return new Alive(id(r), incarnation(r), addr(r), r.bytes(maxMeta));
      case SUSPECT:
        return new Suspect(id(r), incarnation(r), id(r));
      case DEAD:
        return new Dead(id(r), incarnation(r), id(r));
      case VIEW_DELTA:
        return readDelta(r);
      case PUSH_PULL: {
        int phase = r.u8();
        if (phase > PushPull.FINAL) {
          throw new MalformedMessageException("bad push-pull phase " + phase);
        }
        boolean join = r.bool();
        MemberRecord sender = readRecord(r);
        ViewSummary view = readSummary(r);
        int nb = r.count(8);
        long[] buckets = new long[nb];
        for (int i = 0; i < nb; i++) {
          buckets[i] = r.i64();
        }
        return new PushPull(phase, join, sender, view, buckets, readRecords(r));
      }
      case STREAM_PING:
        return new StreamPing(r.i32(), id(r), id(r), addr(r));
      case STREAM_ACK:
        return new StreamAck(r.i32(), id(r));
      case JOIN_REQUEST:
        return new JoinRequest(readRecord(r));
      case VIEW_PULL:
        return new ViewPull(addr(r), r.i64(), r.i64());
      case VIEW_SYNC: {
        ViewSummary summary = readSummary(r);
        int nd = r.count(NODE_ID + 24 + 4);
        List<ViewDelta> deltas = new ArrayList<>(nd);
        for (int i = 0; i < nd; i++) {
          deltas.add(readDelta(r));
        }
        List<NodeId> members = r.bool() ? readIds(r, true) : null;
        return new ViewSync(summary, deltas, members, r.bool());
      }
      default:
        throw new MalformedMessageException("unknown type " + type);
    }
  }

  private static void writeDelta(ViewDelta d, WireWriter w) {
    w.i64(d.id()).nodeId(d.coordinator()).i64(d.prevHash()).i64(d.hash());
    writeIds(d.removed(), w, false);
    writeIds(d.added(), w, false);
  }

  private ViewDelta readDelta(WireReader r) {
    return new ViewDelta(r.i64(), id(r), r.i64(), r.i64(), readIds(r, false), readIds(r, false));
  }

  /** Views can exceed 65535 members, so the full member list has a 32-bit count. */
  private static void writeIds(List<NodeId> ids, WireWriter w, boolean wide) {
    if (wide) {
      w.i32(ids.size());
    } else {
      w.u16(ids.size());
    }
    for (NodeId id : ids) {
      w.nodeId(id);
    }
  }

  private List<NodeId> readIds(WireReader r, boolean wide) {
    int n;
    if (wide) {
      n = r.i32();
      if (n < 0 || (long) n * NODE_ID > r.remaining()) {
        throw new MalformedMessageException("bad member count " + n);
      }
    } else {
      n = r.count(NODE_ID);
    }
    List<NodeId> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(id(r));
    }
    return ids;
  }

  private static void writeSummary(ViewSummary s, WireWriter w) {
    w.bool(!s.isNone());
    if (!s.isNone()) {
      w.i64(s.id()).i64(s.hash()).i32(s.size()).nodeId(s.coordinator()).address(s.coordinatorAddress());
    }
  }

  private ViewSummary readSummary(WireReader r) {
    if (!r.bool()) {
      return ViewSummary.NONE;
    }
    long id = r.i64();
    long hash = r.i64();
    int size = r.i32();
    if (size <= 0) {
      throw new MalformedMessageException("bad view size " + size);
    }
    return new ViewSummary(id, hash, size, id(r), addr(r));
  }

  private void writeRecords(List<MemberRecord> records, WireWriter w) {
    w.i32(records.size());
    for (MemberRecord rec : records) {
      writeRecord(rec, w);
    }
  }

  private List<MemberRecord> readRecords(WireReader r) {
    int n = r.i32();
    if (n < 0 || (long) n * MIN_RECORD > r.remaining()) {
      throw new MalformedMessageException("bad record count " + n);
    }
    List<MemberRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(readRecord(r));
    }
    return out;
  }

  private static void writeRecord(MemberRecord rec, WireWriter w) {
    w.nodeId(rec.id()).address(rec.address()).i32(rec.incarnation()).u8(rec.state().ordinal()).bytes(rec.meta());
  }

  /**
   * An incarnation, refused above {@link #MAX_INCARNATION}: a member raises its own by one per refutation, so an
   * honest one never gets near it, and a refutation above it can never overflow.
   */
  private static int incarnation(WireReader r) {
    int inc = r.i32();
    if (inc < 0 || inc > MAX_INCARNATION) {
      throw new MalformedMessageException("implausible incarnation " + inc);
    }
    return inc;
  }

  private MemberRecord readRecord(WireReader r) {
    NodeId id = id(r);
    NodeAddress address = addr(r);
    int inc = incarnation(r);
    int st = r.u8();
    if (st >= MemberState.values().length) {
      throw new MalformedMessageException("bad member state " + st);
    }
    return new MemberRecord(id, address, inc, MemberState.values()[st], r.bytes(maxMeta));
  }
}
