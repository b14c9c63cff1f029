package org.vertxgossip.transport;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The header in front of every datagram and stream frame:
 * {@code magic u16 | version u8 | flags u8 | lane u8 | label length u8 | label}. The label is the cluster name, so
 * that clusters sharing hosts and ports ignore each other. Flags bit 0 marks a sealed body ({@link Sealer}): the
 * header is then its additional authenticated data, so neither label nor lane can be changed unnoticed.
 */
public final class Envelope {

  static final int MAGIC = 0x5647; // "VG"
  /** The major version this release speaks. */
  static final int VERSION = 1;
  static final int FLAG_SEALED = 1;
  /**
   * A version notice: {@code magic u16 | version u8 | flags u8 = 0x80 | highest version spoken u8 | label length u8
   * | label}, sent to a member of another major version of the same cluster. The header's layout (magic, version,
   * flags, then lane or notice byte, label length and label) is the same in every version, so that every version
   * reads a notice, and tells another version's input of its own cluster from another cluster's.
   */
  static final int FLAG_NOTICE = 0x80;
  private static final int FIXED = 6;

  /** A header that was read: its lane, whether the body is sealed, and where the header began. */
  record Header(Lane lane, boolean sealed, int start) {
  }

  /**
   * Input of another major version, or a notice: its version, for a notice the highest version it speaks, and
   * whether it carries this node's cluster label.
   */
  record Foreign(int version, boolean notice, int spoken, boolean sameCluster) {
  }

  private final byte[] label;
  private final int version;

  public Envelope(String clusterName) {
    this(clusterName, VERSION);
  }

  /** @param version the major version to write and accept (another only behind the test switch) */
  public Envelope(String clusterName, int version) {
    this.label = clusterName.getBytes(StandardCharsets.UTF_8);
    this.version = version;
    if (label.length > 255) {
      throw new IllegalArgumentException("cluster name exceeds 255 bytes in UTF-8");
    }
  }

  int version() {
    return version;
  }

  String clusterName() {
    return new String(label, StandardCharsets.UTF_8);
  }

  /**
   * What {@code in} is if it is a version notice, or the input of another major version: null otherwise (and for
   * anything without the magic number, which {@link #read} counts). Reads nothing.
   */
  Foreign foreign(ByteBuf in) {
    int at = in.readerIndex();
    if (in.readableBytes() < 4 || in.getUnsignedShort(at) != MAGIC) {
      return null;
    }
    int theirs = in.getUnsignedByte(at + 2);
    boolean notice = (in.getUnsignedByte(at + 3) & FLAG_NOTICE) != 0;
    if (!notice && theirs == version) {
      return null;
    }
    boolean sameCluster = in.readableBytes() >= FIXED + label.length && in.getUnsignedByte(at + 5) == label.length
        && sameLabel(in, at + FIXED, label.length);
    return new Foreign(theirs, notice, notice ? in.getUnsignedByte(at + 4) : theirs, sameCluster);
  }

  /** The notice this node sends a member of another major version of its cluster. */
  byte[] notice() {
    byte[] n = new byte[FIXED + label.length];
    n[0] = (byte) (MAGIC >> 8);
    n[1] = (byte) MAGIC;
    n[2] = (byte) version;
    n[3] = (byte) FLAG_NOTICE;
    n[4] = (byte) version;
    n[5] = (byte) label.length;
    System.arraycopy(label, 0, n, FIXED, label.length);
    return n;
  }

  /** Bytes the header takes in front of each body. */
  public int headerSize() {
    return FIXED + label.length;
  }

  void write(ByteBuf out, Lane lane, boolean sealed) {
    out.writeShort(MAGIC).writeByte(version).writeByte(sealed ? FLAG_SEALED : 0).writeByte(lane.code)
        .writeByte(label.length).writeBytes(label);
  }

  /** Reads and checks a header, leaving {@code in} at the body; null with the reason counted. */
  Header read(ByteBuf in, DropCounters drops) {
    int start = in.readerIndex();
    if (in.readableBytes() < FIXED) {
      drops.count(DropReason.TRUNCATED);
      return null;
    }
    if (in.readUnsignedShort() != MAGIC) {
      drops.count(DropReason.BAD_MAGIC);
      return null;
    }
    if (in.readUnsignedByte() != version) {
      drops.count(DropReason.UNKNOWN_VERSION);
      return null;
    }
    int flags = in.readUnsignedByte();
    int laneCode = in.readUnsignedByte();
    int labelLength = in.readUnsignedByte();
    if (in.readableBytes() < labelLength) {
      drops.count(DropReason.TRUNCATED);
      return null;
    }
    if (labelLength != label.length || !sameLabel(in, in.readerIndex(), labelLength)) {
      drops.count(DropReason.FOREIGN_CLUSTER);
      return null;
    }
    in.skipBytes(labelLength);
    if ((flags & ~FLAG_SEALED) != 0) {
      drops.count(DropReason.UNSUPPORTED_FLAGS);
      return null;
    }
    Lane lane = Lane.of(laneCode);
    if (lane == null) {
      drops.count(DropReason.UNKNOWN_LANE);
      return null;
    }
    return new Header(lane, (flags & FLAG_SEALED) != 0, start);
  }

  private boolean sameLabel(ByteBuf in, int index, int length) {
    byte[] theirs = new byte[length];
    in.getBytes(index, theirs);
    return Arrays.equals(theirs, label);
  }
}
