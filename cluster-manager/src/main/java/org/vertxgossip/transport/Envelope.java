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
  static final int VERSION = 1;
  static final int FLAG_SEALED = 1;
  private static final int FIXED = 6;

  /** A header that was read: its lane, whether the body is sealed, and where the header began. */
  record Header(Lane lane, boolean sealed, int start) {
  }

  private final byte[] label;

  public Envelope(String clusterName) {
    this.label = clusterName.getBytes(StandardCharsets.UTF_8);
    if (label.length > 255) {
      throw new IllegalArgumentException("cluster name exceeds 255 bytes in UTF-8");
    }
  }

  /** Bytes the header takes in front of each body. */
  public int headerSize() {
    return FIXED + label.length;
  }

  void write(ByteBuf out, Lane lane, boolean sealed) {
    out.writeShort(MAGIC).writeByte(VERSION).writeByte(sealed ? FLAG_SEALED : 0).writeByte(lane.code)
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
    if (in.readUnsignedByte() != VERSION) {
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
    if (labelLength != label.length || !sameLabel(in, labelLength)) {
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

  private boolean sameLabel(ByteBuf in, int length) {
    byte[] theirs = new byte[length];
    in.getBytes(in.readerIndex(), theirs);
    return Arrays.equals(theirs, label);
  }
}
