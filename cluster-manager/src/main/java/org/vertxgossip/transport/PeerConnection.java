package org.vertxgossip.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One outbound connection to a peer for one lane, with the frames that wait for it.
 *
 * <p>The membership lane drops a frame when the socket's buffer is full or too many frames wait for the
 * connection to open (a ping to a stopped peer is worth nothing later; the protocol repeats itself). The
 * replication lane queues instead, up to {@link #MAX_QUEUED_BYTES} beyond the socket's buffer (and
 * {@link #MAX_QUEUED_TOTAL} for all peers), and writes the
 * queue out as the socket drains; its senders read {@link #queuedBytes()} and pace bulk data on it, and hear when
 * the connection drains ({@link TransportHandler#onWritable}). Past the bound a frame is dropped and counted
 * ({@link DropReason#BACKPRESSURE}); the replication layer repairs that by its own mechanisms (writes are sent
 * again until accepted, a state transfer counts its frames and is pulled again, hand-over queries are repeated).
 */
final class PeerConnection {

  /** Bytes the replication lane may queue for one peer beyond the socket's own buffer. */
  static final long MAX_QUEUED_BYTES = 64L << 20;
  /** Bytes the replication lane may queue for all peers together. */
  static final long MAX_QUEUED_TOTAL = 256L << 20;
  /** Frames the replication lane may queue for one peer, whatever their size. */
  private static final int MAX_QUEUED_FRAMES = 262_144;
  private static final WriteBufferWaterMark WATERMARK = new WriteBufferWaterMark(2 << 20, 4 << 20);

  record Key(InetSocketAddress address, Lane lane) {
  }

  private final GossipTransport transport;
  private final Key key;
  /** The nonces this connection's frames are sealed with, or null when they go plain. */
  private final Sealer.NonceSequence nonces;
  /**
   * Bodies waiting for the socket, sealed only as they are written: a body dropped for backpressure then uses no
   * nonce, so the counters the receiver sees never skip one (it refuses a stream that does).
   */
  private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
  private long pendingBytes;
  private Channel channel;
  private boolean open;

  PeerConnection(GossipTransport transport, Key key, Sealer.NonceSequence nonces) {
    this.transport = transport;
    this.key = key;
    this.nonces = nonces;
  }

  Key key() {
    return key;
  }

  Sealer.NonceSequence nonces() {
    return nonces;
  }

  void connect() {
    Bootstrap b = new Bootstrap().group(transport.eventLoop()).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, transport.limits().connectTimeoutMs())
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATERMARK)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
                if (ctx.channel().isWritable()) {
                  drain();
                }
                super.channelWritabilityChanged(ctx);
              }
            });
            StreamTls tls = transport.tls();
            if (tls != null) {
              ch.pipeline().addLast(tls.client().newHandler(ch.alloc(), key.address().getHostString(),
                  key.address().getPort()));
            }
            transport.initPeerChannel(ch.pipeline());
          }
        });
    String local = transport.localHost();
    ChannelFuture f = local == null ? b.connect(key.address())
        : b.connect(key.address(), new InetSocketAddress(local, 0));
    channel = f.channel();
    f.addListener((ChannelFuture cf) -> {
      if (!cf.isSuccess()) {
        failed(cf.cause() instanceof ConnectException && !(cf.cause()
            instanceof io.netty.channel.ConnectTimeoutException) ? SendFailure.REFUSED : SendFailure.TIMEOUT);
        return;
      }
      open = true;
      if (nonces != null) {
        write(GossipTransport.HELLO); // before anything else: it proves this connection holds a key
        cf.channel().flush();
      }
      cf.channel().closeFuture().addListener(x -> {
        boolean mine = transport.forget(this);
        discard();
        if (mine && !transport.closed() && cf.channel().attr(GossipTransport.closedHere()).get() == null) {
          transport.handler().onConnectionLost(key.address());
        }
      });
      drain();
    });
  }

  void send(byte[] body) {
    if (open && pending.isEmpty() && channel.isWritable()) {
      write(body);
      channel.flush();
      return;
    }
    int size = transport.frameSize(body.length, nonces != null);
    boolean room = key.lane() == Lane.REPLICATION
        ? pending.isEmpty() && transport.queuedTotal() + size <= MAX_QUEUED_TOTAL
            || pending.size() < MAX_QUEUED_FRAMES && pendingBytes + size <= MAX_QUEUED_BYTES
            && transport.queuedTotal() + size <= MAX_QUEUED_TOTAL
        : !open && pending.size() < transport.limits().maxPendingFrames();
    if (!room) {
      transport.drops().count(DropReason.BACKPRESSURE);
      return;
    }
    pending.add(body);
    pendingBytes += size;
    transport.queued(size);
  }

  /** Writes what waits while the socket takes it; tells the handler once the replication queue is empty. */
  private void drain() {
    if (!open) {
      return;
    }
    boolean wrote = false;
    while (!pending.isEmpty() && channel.isWritable()) {
      byte[] body = pending.poll();
      int size = transport.frameSize(body.length, nonces != null);
      pendingBytes -= size;
      transport.queued(-size);
      write(body);
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
    if (pending.isEmpty() && channel.isWritable() && key.lane() == Lane.REPLICATION && !transport.closed()) {
      transport.handler().onWritable(key.address());
    }
  }

  /** Bytes waiting for this peer: queued here and in the socket's outbound buffer. */
  long queuedBytes() {
    ChannelOutboundBuffer out = channel == null ? null : channel.unsafe().outboundBuffer();
    return pendingBytes + (out == null ? 0 : out.totalPendingWriteBytes());
  }

  private void write(byte[] body) {
    if (nonces != null && nonces.spent()) {
      // 2^32 frames on one connection: its nonces are used up. It goes; the next frame opens a fresh one, and
      // what waited here is repaired like any lost connection's.
      channel.attr(GossipTransport.closedHere()).set(Boolean.TRUE);
      channel.close();
      return;
    }
    ByteBuf frame = transport.frame(key.lane(), body, nonces);
    transport.sentFrame(key.lane(), frame.readableBytes());
    channel.write(frame).addListener((ChannelFuture wf) -> {
      if (!wf.isSuccess() && !transport.closed()) {
        wf.channel().attr(GossipTransport.closedHere()).set(Boolean.TRUE);
        wf.channel().close();
        if (transport.forget(this)) {
          transport.handler().onSendFailed(key.address(), SendFailure.CLOSED);
        }
      }
    });
  }

  private void failed(SendFailure cause) {
    discard();
    if (transport.forget(this) && !transport.closed()) {
      transport.handler().onSendFailed(key.address(), cause);
    }
  }

  private void discard() {
    transport.queued(-pendingBytes);
    pending.clear();
    pendingBytes = 0;
  }

  /** Drops what waits and closes the connection; the close's future, or null if it never opened a channel. */
  ChannelFuture close() {
    discard();
    if (channel == null) {
      return null;
    }
    channel.attr(GossipTransport.closedHere()).set(Boolean.TRUE);
    return channel.close();
  }
}
