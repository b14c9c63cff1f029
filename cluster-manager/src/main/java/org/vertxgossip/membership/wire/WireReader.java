package org.vertxgossip.membership.wire;

import java.nio.charset.StandardCharsets;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;

/** Bounds-checked reading of big-endian fields. Every length is checked against what remains before allocating. */
public final class WireReader {

  private final byte[] buf;
  private int pos;
  private final int end;

  public WireReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public WireReader(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  public int remaining() {
    return end - pos;
  }

  public int position() {
    return pos;
  }

  private void need(int n) {
    if (n < 0 || end - pos < n) {
      throw new MalformedMessageException("truncated: need " + n + " bytes, have " + (end - pos));
    }
  }

  public int u8() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  public boolean bool() {
    int v = u8();
    if (v > 1) {
      throw new MalformedMessageException("bad boolean " + v);
    }
    return v == 1;
  }

  public int u16() {
    need(2);
    int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  public int i32() {
    need(4);
    int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  public long i64() {
    return ((long) i32() << 32) | (i32() & 0xFFFFFFFFL);
  }

  public NodeId nodeId() {
    return new NodeId(i64(), i64());
  }

  public NodeAddress address() {
    int len = u8();
    if (len == 0) {
      throw new MalformedMessageException("empty host");
    }
    need(len);
    String host = new String(buf, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return new NodeAddress(host, u16());
  }

  private static final byte[] EMPTY = new byte[0];

  /** A u16-length-prefixed byte string of at most {@code max} bytes (empty ones share one instance). */
  public byte[] bytes(int max) {
    int len = u16();
    if (len > max) {
      throw new MalformedMessageException("field of " + len + " bytes exceeds " + max);
    }
    if (len == 0) {
      return EMPTY;
    }
    need(len);
    byte[] out = new byte[len];
    System.arraycopy(buf, pos, out, 0, len);
    pos += len;
    return out;
  }

  /** A u16 element count, checked against the smallest possible encoded size of one element. */
  public int count(int minElementSize) {
    int n = u16();
    need(n * minElementSize);
    return n;
  }

  /** A reader over the next {@code len} bytes, which this reader then skips. */
  public WireReader slice(int len) {
    need(len);
    WireReader r = new WireReader(buf, pos, len);
    pos += len;
    return r;
  }

  /** What {@link WireWriter#optional} wrote: null, or the bytes (their length checked against what remains). */
  public byte[] optional() {
    int present = u8();
    if (present == 0) {
      return null;
    }
    if (present != 1) {
      throw new MalformedMessageException("bad presence flag");
    }
    int len = i32();
    if (len < 0 || len > remaining()) {
      throw new MalformedMessageException("length " + len + " exceeds what remains");
    }
    byte[] out = new byte[len];
    copyTo(out);
    return out;
  }

  /** An i32 element count, checked against the smallest possible encoded size of one element. */
  public int count32(int minElementSize) {
    int n = i32();
    if (n < 0 || (long) n * minElementSize > remaining()) {
      throw new MalformedMessageException("count " + n + " exceeds what remains");
    }
    return n;
  }

  /** Copies the next {@code out.length} bytes into {@code out}. */
  public void copyTo(byte[] out) {
    need(out.length);
    System.arraycopy(buf, pos, out, 0, out.length);
    pos += out.length;
  }

  public void skip(int len) {
    need(len);
    pos += len;
  }
}
