package org.vertxgossip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Length-prefixed frames ({@code length u32 | envelope | body}) with two bounds checked before a frame's bytes are
 * buffered: the frame limit of the connection (small until its first frame authenticated, when input must be
 * sealed, since a stranger's connection may only say hello), and the bytes every connection together may hold in
 * partial frames ({@link InputBudget}). A frame that would pass either closes the connection with the reason
 * counted; a stream cannot be resynchronised.
 */
final class FrameDecoder extends ByteToMessageDecoder {

  static final int LENGTH_FIELD = 4;
  /** Where the envelope's flags are: after magic and version. */
  private static final int FLAGS_AT = 3;

  /**
   * The bytes all connections of a transport may hold in partial frames, and the share of one source address: a
   * stranger that replays a captured hello gets a trusted connection (a hello is not bound to its receiver), so
   * its partial frames must not be able to take the whole budget from the members.
   */
  static final class InputBudget {
    private final long max;
    private final long maxPerSource;
    private final java.util.Map<java.net.InetAddress, Long> bySource = new java.util.HashMap<>();
    private long used;

    InputBudget(long max, long maxPerSource) {
      this.max = max;
      this.maxPerSource = maxPerSource;
    }

    boolean reserve(java.net.InetAddress source, long bytes) {
      long mine = bySource.getOrDefault(source, 0L);
      if (used + bytes > max || mine + bytes > maxPerSource) {
        return false;
      }
      used += bytes;
      bySource.put(source, mine + bytes);
      return true;
    }

    void release(java.net.InetAddress source, long bytes) {
      used -= bytes;
      bySource.computeIfPresent(source, (k, v) -> v - bytes > 0 ? v - bytes : null);
    }
  }

  private final int maxWhole;
  private final int maxBeforeTrust;
  private final InputBudget budget;
  private final DropCounters drops;
  private final StreamState state;
  /** Bytes reserved in the budget for the frame being received (its announced length), or 0. */
  private long reserved;
  private java.net.InetAddress reservedFrom;

  FrameDecoder(int maxWhole, int maxBeforeTrust, InputBudget budget, DropCounters drops, StreamState state) {
    this.maxWhole = maxWhole;
    this.maxBeforeTrust = maxBeforeTrust;
    this.budget = budget;
    this.drops = drops;
    this.state = state;
  }

  /** One frame per call: the next frame's limit depends on whether this one authenticated the connection. */
  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (state.refused()) {
      in.skipBytes(in.readableBytes()); // closing: what else this connection sent is not even looked at
      return;
    }
    if (in.readableBytes() < LENGTH_FIELD) {
      return;
    }
    long length = in.getUnsignedInt(in.readerIndex());
    int limit = state.trusted() ? maxWhole : maxBeforeTrust;
    if (length > limit) {
      if (!state.trusted() && in.readableBytes() < LENGTH_FIELD + FLAGS_AT + 1) {
        return; // the flags tell a plain stranger from an oversized one
      }
      boolean plainStranger = !state.trusted() && (in.getByte(in.readerIndex() + LENGTH_FIELD + FLAGS_AT) & 1) == 0;
      refuse(ctx, in, plainStranger ? DropReason.NOT_SEALED : DropReason.OVERSIZED);
      return;
    }
    if (reserved == 0 && in.readableBytes() < LENGTH_FIELD + length) {
      // Only a frame that must wait for more bytes holds budget: a whole one is handed up at once.
      if (!budget.reserve(source(ctx), length)) {
        refuse(ctx, in, DropReason.INPUT_LIMIT);
        return;
      }
      reserved = length;
    }
    if (in.readableBytes() < LENGTH_FIELD + length) {
      return;
    }
    in.skipBytes(LENGTH_FIELD);
    out.add(in.readRetainedSlice((int) length));
    releaseReserved();
  }

  private void refuse(ChannelHandlerContext ctx, ByteBuf in, DropReason reason) {
    drops.count(reason);
    state.refuse(reason, ctx.channel().remoteAddress());
    in.skipBytes(in.readableBytes());
    releaseReserved();
    ctx.channel().attr(GossipTransport.closedHere()).set(Boolean.TRUE);
    ctx.close();
  }

  private void releaseReserved() {
    if (reserved > 0) {
      budget.release(reservedFrom, reserved);
      reserved = 0;
    }
  }

  private java.net.InetAddress source(ChannelHandlerContext ctx) {
    reservedFrom = ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a ? a.getAddress() : null;
    return reservedFrom;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (actualReadableBytes() > 0) {
      drops.count(DropReason.TRUNCATED); // the connection ended inside a frame
    }
    releaseReserved();
    super.channelInactive(ctx);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    releaseReserved();
  }
}
