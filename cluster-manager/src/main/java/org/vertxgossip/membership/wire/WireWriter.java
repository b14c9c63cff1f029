package org.vertxgossip.membership.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;

/** Big-endian writing into a growable buffer that refuses to grow past a fixed limit. */
public final class WireWriter {

  private byte[] buf;
  private int pos;
  private final int limit;

  public WireWriter(int initial, int limit) {
    this.buf = new byte[Math.min(initial, limit)];
    this.limit = limit;
  }

  public int size() {
    return pos;
  }

  private void ensure(int n) {
    if (pos + n > limit) {
      throw new IllegalStateException("message exceeds " + limit + " bytes");
    }
    if (pos + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.min(limit, Math.max(buf.length * 2, pos + n)));
    }
  }

  public WireWriter u8(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
    return this;
  }

  public WireWriter bool(boolean v) {
    return u8(v ? 1 : 0);
  }

  public WireWriter u16(int v) {
    if (v < 0 || v > 0xFFFF) {
      throw new IllegalArgumentException("u16 out of range: " + v);
    }
    ensure(2);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
    return this;
  }

  /** Overwrites a u16 written earlier, at {@code at}. */
  public void patchU16(int at, int v) {
    buf[at] = (byte) (v >>> 8);
    buf[at + 1] = (byte) v;
  }

  public WireWriter i32(int v) {
    ensure(4);
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
    return this;
  }

  public WireWriter i64(long v) {
    return i32((int) (v >>> 32)).i32((int) v);
  }

  public WireWriter nodeId(NodeId id) {
    return i64(id.msb()).i64(id.lsb());
  }

  public WireWriter address(NodeAddress a) {
    byte[] host = a.host().getBytes(StandardCharsets.UTF_8);
    if (host.length > 255) {
      throw new IllegalArgumentException("host too long");
    }
    u8(host.length);
    raw(host, 0, host.length);
    return u16(a.port());
  }

  public WireWriter bytes(byte[] b) {
    u16(b.length);
    return raw(b, 0, b.length);
  }

  /** An optional byte string of any size: a presence byte, then an i32 length and the bytes. */
  public WireWriter optional(byte[] b) {
    if (b == null) {
      return u8(0);
    }
    u8(1).i32(b.length);
    return raw(b, 0, b.length);
  }

  public WireWriter raw(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
    return this;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }
}
