package org.vertxgossip.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * UDP and TCP on one port, on one event loop that nothing else may block. Datagrams carry the membership core's
 * compound packets; TCP carries length-prefixed frames over one outbound connection per peer and lane
 * ({@link PeerConnection}), opened on demand and closed when idle, so membership frames never wait behind bulk
 * replication data. Every input is checked (size first, then the envelope, then, with a key, its seal and its
 * freshness) and dropped with a counted reason when it does not belong; nothing thrown by a decoder escapes the
 * loop. With {@link TransportSecurity#sealOutgoing()} every datagram and frame is sealed ({@link Sealer}); every
 * outbound connection then starts with a hello, so that a connection which has not authenticated may only send a
 * frame of a hello's size ({@link FrameDecoder}).
 */
public final class GossipTransport {

  private static final int LENGTH_FIELD = FrameDecoder.LENGTH_FIELD;
  /** The empty body of the sealed frame every outbound connection starts with. */
  static final byte[] HELLO = new byte[0];
  /** Set on channels this node closes, so that only closes from the other end count as a lost connection. */
  private static final AttributeKey<Boolean> CLOSED_HERE = AttributeKey.valueOf("vertx-gossip.closedHere");
  private static final int UDP_RECEIVE_BUFFER = 65_536;
  /** Inbound connections kept at once; peers need one each, so this bounds a cluster far above any real one. */
  private static final int MAX_INBOUND = 4_096;
  /** Inbound connections kept from one address: a peer needs two (one per lane), a host of test nodes more. */
  static final int MAX_INBOUND_PER_SOURCE = 128;
  /** Bytes all inbound connections together may hold in partial frames, and those from one address. */
  static final long MAX_PARTIAL_BYTES = 256L << 20;
  static final long MAX_PARTIAL_BYTES_PER_SOURCE = 64L << 20;
  /** A connection that must say hello and has not within this long is closed. */
  private static final long HELLO_DEADLINE_MS = 10_000;

  private final EventLoop loop;
  private final Envelope envelope;
  private final TransportLimits limits;
  private final DropCounters drops;
  private final TransportHandler handler;
  private final TransportSecurity security;
  private final Sealer sealer;
  private final ReplayGuard replays = new ReplayGuard();
  private final RefusalLog refusals = new RefusalLog();
  private final VersionNotices notices;
  private final Sealer.NonceSequence datagramNonces = new Sealer.NonceSequence(true);
  private final FrameDecoder.InputBudget partialFrames = new FrameDecoder.InputBudget(MAX_PARTIAL_BYTES,
      MAX_PARTIAL_BYTES_PER_SOURCE);
  private final Map<InetAddress, Integer> inboundPerSource = new HashMap<>();
  private final Map<PeerConnection.Key, PeerConnection> peers = new HashMap<>();
  /** The most bytes one replication connection held queued at once, since start. */
  private long peakQueued;
  /** Wire bytes (envelopes and seals included) sent and received, datagrams and frames together. */
  private long bytesOut;
  private long bytesIn;
  private long datagramsOut;
  private long framesOut;
  private final LaneTraffic lanes = new LaneTraffic();
  /** Bytes queued by every replication connection together (beyond their sockets' buffers). */
  private long queuedTotal;
  private final List<Channel> inbound = new ArrayList<>();
  private Channel udp;
  private Channel tcp;
  /** Outbound connections leave from the bound address, so peers and firewalls see one address per node. */
  private String localHost;
  private volatile boolean closed;

  public GossipTransport(EventLoop loop, Envelope envelope, TransportLimits limits, DropCounters drops,
                         TransportHandler handler, TransportSecurity security) {
    this.loop = loop;
    this.envelope = envelope;
    this.limits = limits;
    this.drops = drops;
    this.handler = handler;
    this.security = security;
    this.sealer = new Sealer(security.keyring(), System::currentTimeMillis);
    this.notices = new VersionNotices(envelope.clusterName(), envelope.version());
  }

  /** Bytes that sealing adds to each body this node sends (0 when it sends plain). */
  public static int overhead(TransportSecurity security) {
    // With any key, not only while sealing: sealing may be switched on at run time.
    return security.keyring().isEmpty() ? 0 : Sealer.OVERHEAD;
  }

  public EventLoop loop() {
    return loop;
  }

  /**
   * How many ephemeral ports a bind to port 0 tries: the port the system gives TCP may be taken for UDP (by any
   * other socket), so another one is asked for.
   */
  static final int EPHEMERAL_ATTEMPTS = 16;

  /**
   * Binds TCP then UDP to the first port of {@code ports} free for both, on {@code host} (port 0: any port the
   * system gives, tried {@link #EPHEMERAL_ATTEMPTS} times); the bound address, or the last failure.
   */
  public Future<InetSocketAddress> bind(String host, List<Integer> ports) {
    List<Integer> tries = new java.util.ArrayList<>();
    for (int p : ports) {
      for (int i = 0; i < (p == 0 ? EPHEMERAL_ATTEMPTS : 1); i++) {
        tries.add(p);
      }
    }
    Promise<InetSocketAddress> result = loop.newPromise();
    loop.execute(() -> bindFrom(host, tries, 0, result, null));
    return result;
  }

  private void bindFrom(String host, List<Integer> ports, int index, Promise<InetSocketAddress> result,
                        Throwable last) {
    if (index >= ports.size()) {
      result.setFailure(last != null ? last : new IllegalArgumentException("no port to bind"));
      return;
    }
    int port = ports.get(index);
    serverBootstrap().bind(host, port).addListener((ChannelFuture tf) -> {
      if (!tf.isSuccess()) {
        bindFrom(host, ports, index + 1, result, tf.cause());
        return;
      }
      int bound = ((InetSocketAddress) tf.channel().localAddress()).getPort();
      if (closed) {
        tf.channel().close(); // closed while binding: nothing may stay open
        result.setFailure(new IllegalStateException("transport closed while binding"));
        return;
      }
      datagramBootstrap().bind(host, bound).addListener((ChannelFuture uf) -> {
        if (closed && uf.isSuccess()) {
          tf.channel().close();
          uf.channel().close();
          result.setFailure(new IllegalStateException("transport closed while binding"));
          return;
        }
        if (!uf.isSuccess()) {
          tf.channel().close();
          bindFrom(host, ports, index + 1, result, uf.cause());
          return;
        }
        tcp = tf.channel();
        udp = uf.channel();
        localHost = host;
        result.setSuccess((InetSocketAddress) tcp.localAddress());
      });
    });
  }

  private ServerBootstrap serverBootstrap() {
    return new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (closed) {
              ch.close();
              return;
            }
            if (inbound.size() >= MAX_INBOUND) {
              drops.count(DropReason.BACKPRESSURE); // a flood of connections: refuse, counted
              ch.close();
              return;
            }
            InetAddress source = ch.remoteAddress().getAddress();
            int fromSource = inboundPerSource.getOrDefault(source, 0);
            if (fromSource >= MAX_INBOUND_PER_SOURCE) {
              drops.count(DropReason.INPUT_LIMIT); // one address may not take every slot
              refusals.refused(DropReason.INPUT_LIMIT, ch.remoteAddress());
              ch.close();
              return;
            }
            inboundPerSource.put(source, fromSource + 1);
            inbound.add(ch);
            if (security.tls() != null) {
              ch.pipeline().addLast(security.tls().server().newHandler(ch.alloc()));
            }
            ch.closeFuture().addListener(f -> {
              inbound.remove(ch);
              inboundPerSource.computeIfPresent(source, (k, n) -> n > 1 ? n - 1 : null);
            });
            StreamState state = framing(ch.pipeline());
            if (security.requireSealed()) {
              ch.eventLoop().schedule(() -> {
                if (!state.trusted() && ch.isActive()) {
                  refuseStream(ch, state, DropReason.NOT_SEALED); // a stranger may not hold a slot
                }
              }, HELLO_DEADLINE_MS, TimeUnit.MILLISECONDS);
            }
          }
        });
  }

  private Bootstrap datagramBootstrap() {
    return new Bootstrap().group(loop).channel(NioDatagramChannel.class)
        .option(ChannelOption.SO_RCVBUF, 4 << 20)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(UDP_RECEIVE_BUFFER))
        .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            onDatagram(p);
          }

          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A datagram socket reports ICMP errors of earlier sends here; nothing to do but go on.
          }
        });
  }

  /** Length-prefixed frames, refused above the limit before their body is buffered; the connection's state. */
  private StreamState framing(ChannelPipeline p) {
    int sealedExtra = security.keyring().isEmpty() ? 0 : Sealer.OVERHEAD;
    int maxWhole = envelope.headerSize() + sealedExtra + limits.maxFrame();
    int maxHello = envelope.headerSize() + Sealer.OVERHEAD;
    StreamState state = new StreamState(security, refusals);
    p.addLast(new IdleStateHandler(0, 0, limits.idleCloseMs(), TimeUnit.MILLISECONDS));
    p.addLast(new FrameDecoder(maxWhole, maxHello, partialFrames, drops, state));
    p.addLast(new SimpleChannelInboundHandler<ByteBuf>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        int size = FrameDecoder.LENGTH_FIELD + frame.readableBytes();
        bytesIn += size;
        Envelope.Foreign foreign = envelope.foreign(frame);
        if (foreign != null) {
          onForeign(foreign, (InetSocketAddress) ctx.channel().remoteAddress(), ctx.channel());
          return;
        }
        Envelope.Header header = envelope.read(frame, drops);
        if (header != null) {
          lanes.in(header.lane(), size);
        }
        if (header == null && !state.trusted() && !state.refused()) {
          // Counted by the envelope; a stream that must say hello first and sends junk goes at once.
          state.refuse(DropReason.TRUNCATED, ctx.channel().remoteAddress());
          ctx.channel().attr(CLOSED_HERE).set(Boolean.TRUE);
          ctx.close();
          return;
        }
        if (header == null || closed || state.refused()) {
          return;
        }
        byte[] body;
        if (header.sealed()) {
          Sealer.Opened opened = open(frame, header);
          DropReason refusal = refusalOf(opened,
              () -> state.sealedFrame(opened, replays, System.currentTimeMillis()));
          if (refusal != null) {
            refuseStream(ctx, state, refusal);
            return;
          }
          if (opened.counter() == 0) {
            return; // the hello: it only proves the connection's sender holds a key
          }
          body = opened.body();
        } else {
          DropReason refusal = state.plainFrame();
          if (refusal != null) {
            refuseStream(ctx, state, refusal);
            return;
          }
          body = readBody(frame);
        }
        handler.onFrame(header.lane(), body);
      }

      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
          ctx.channel().attr(CLOSED_HERE).set(Boolean.TRUE);
          ctx.close();
        }
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // An oversized frame, a refused handshake or a broken peer: the stream cannot be resynchronised, so it goes.
        if (isTls(cause)) {
          drops.count(DropReason.TLS_REFUSED);
          refusals.refused(DropReason.TLS_REFUSED, ctx.channel().remoteAddress(), rootMessage(cause));
        } else {
          drops.count(cause instanceof TooLongFrameException ? DropReason.OVERSIZED : DropReason.TRUNCATED);
        }
        ctx.channel().attr(CLOSED_HERE).set(Boolean.TRUE);
        ctx.close();
      }
    });
    return state;
  }

  private static String rootMessage(Throwable cause) {
    Throwable t = cause;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getClass().getSimpleName() + ": " + t.getMessage();
    return m.length() > 160 ? m.substring(0, 160) + "…" : m;
  }

  private static boolean isTls(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException || t instanceof io.netty.handler.ssl.NotSslRecordException) {
        return true;
      }
    }
    return false;
  }

  /** A connection that sent input it may not send is closed: a stream cannot be resynchronised. */
  private void refuseStream(ChannelHandlerContext ctx, StreamState state, DropReason reason) {
    refuseStream(ctx.channel(), state, reason);
  }

  private void refuseStream(Channel ch, StreamState state, DropReason reason) {
    drops.count(reason);
    state.refuse(reason, ch.remoteAddress());
    ch.attr(CLOSED_HERE).set(Boolean.TRUE);
    ch.close();
  }

  /** Why sealed input is refused (no key here, no authentication, or what {@code replayCheck} says), or null. */
  private static DropReason refusalOf(Sealer.Opened opened, java.util.function.Supplier<DropReason> replayCheck) {
    if (opened == null) {
      return DropReason.UNSUPPORTED_FLAGS;
    }
    return opened.refusal() != null ? opened.refusal() : replayCheck.get();
  }

  /** The opened sealed body after {@code header}; null when this node holds no key (it cannot open any). */
  private Sealer.Opened open(ByteBuf in, Envelope.Header header) {
    if (security.keyring().isEmpty()) {
      return null;
    }
    return sealer.open(in, header.start());
  }

  private void onDatagram(DatagramPacket p) {
    ByteBuf buf = p.content();
    if (closed) {
      return;
    }
    bytesIn += buf.readableBytes();
    Envelope.Foreign foreign = envelope.foreign(buf);
    if (foreign != null) {
      onForeign(foreign, p.sender(), null);
      return;
    }
    int sealedExtra = security.keyring().isEmpty() ? 0 : Sealer.OVERHEAD;
    if (buf.readableBytes() > envelope.headerSize() + sealedExtra + limits.maxPacket()) {
      drops.count(DropReason.OVERSIZED);
      return;
    }
    int size = buf.readableBytes();
    Envelope.Header header = envelope.read(buf, drops);
    if (header == null) {
      return;
    }
    lanes.in(header.lane(), size);
    byte[] body;
    if (header.sealed()) {
      Sealer.Opened opened = open(buf, header);
      DropReason refusal = refusalOf(opened, () -> replays.datagram(opened.sequence(), opened.counter(),
          opened.sentAt(), System.currentTimeMillis()));
      if (refusal != null) {
        drops.count(refusal);
        refusals.refused(refusal, p.sender());
        return;
      }
      body = opened.body();
    } else if (security.requireSealed()) {
      drops.count(DropReason.NOT_SEALED);
      refusals.refused(DropReason.NOT_SEALED, p.sender());
      return;
    } else {
      body = readBody(buf);
    }
    handler.onPacket(header.lane(), p.sender(), body);
  }

  /**
   * Input of another major version (or a version notice), by datagram ({@code stream} null) or on a stream: refused
   * and said on both sides ({@link VersionNotices}). A stream carries nothing else of such a peer, so it goes.
   */
  private void onForeign(Envelope.Foreign foreign, InetSocketAddress from, Channel stream) {
    if (!foreign.sameCluster()) {
      drops.count(DropReason.FOREIGN_CLUSTER); // another cluster's, of whatever version: not ours to answer
      closeHere(stream);
      return;
    }
    if (foreign.notice() && foreign.spoken() == envelope.version()) {
      drops.count(DropReason.UNSUPPORTED_FLAGS); // a "notice" that claims this node's own version: nonsense
      closeHere(stream);
      return;
    }
    if (foreign.notice()) {
      drops.count(DropReason.VERSION_REFUSED);
      notices.noticed(from, foreign.spoken());
      handler.onVersionRefused(from, foreign.spoken());
      closeHere(stream);
      return;
    }
    drops.count(DropReason.UNKNOWN_VERSION);
    if (!notices.refused(from, foreign.version(), System.currentTimeMillis())) {
      closeHere(stream);
    } else if (stream == null) {
      if (udp != null) {
        udp.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(envelope.notice()), from), udp.voidPromise());
      }
    } else {
      byte[] notice = envelope.notice();
      ByteBuf frame = stream.alloc().buffer(FrameDecoder.LENGTH_FIELD + notice.length)
          .writeInt(notice.length).writeBytes(notice);
      stream.writeAndFlush(frame).addListener(f -> closeHere(stream));
    }
  }

  private static void closeHere(Channel stream) {
    if (stream != null) {
      stream.attr(CLOSED_HERE).set(Boolean.TRUE);
      stream.close();
    }
  }

  private static byte[] readBody(ByteBuf buf) {
    byte[] body = new byte[buf.readableBytes()];
    buf.readBytes(body);
    return body;
  }

  // ---- sending ---------------------------------------------------------------------------------------------------

  /** Sends one datagram; call on the loop. */
  public void sendPacket(InetSocketAddress to, Lane lane, byte[] body) {
    if (closed || udp == null) {
      return;
    }
    if (body.length > limits.maxPacket()) {
      drops.count(DropReason.OVERSIZED);
      return;
    }
    boolean seal = security.sealOutgoing();
    ByteBuf buf = udp.alloc().buffer(envelope.headerSize() + body.length + (seal ? Sealer.OVERHEAD : 0));
    envelope.write(buf, lane, seal);
    if (seal) {
      sealer.seal(buf, 0, body, datagramNonces);
    } else {
      buf.writeBytes(body);
    }
    bytesOut += buf.readableBytes();
    datagramsOut++;
    lanes.out(lane, buf.readableBytes());
    udp.writeAndFlush(new DatagramPacket(buf, to), udp.voidPromise());
  }

  /** Sends one frame on the connection to {@code to}, opening it if needed; call on the loop. */
  public void sendFrame(InetSocketAddress to, Lane lane, byte[] body) {
    if (closed) {
      return;
    }
    if (body.length > limits.maxFrame()) {
      drops.count(DropReason.OVERSIZED);
      return;
    }
    PeerConnection.Key key = new PeerConnection.Key(to, lane);
    PeerConnection peer = peers.get(key);
    if (peer == null) {
      Sealer.NonceSequence nonces = security.sealOutgoing() ? new Sealer.NonceSequence(false) : null;
      peer = new PeerConnection(this, key, nonces);
      peers.put(key, peer);
      peer.connect();
    }
    peer.send(body);
    if (lane == Lane.REPLICATION) {
      peakQueued = Math.max(peakQueued, peer.queuedBytes());
    }
  }

  /**
   * Bytes waiting to go to {@code to} on the replication lane: queued here and in the socket's buffer. Senders of
   * bulk data (state transfers, catching up a slow member) pace themselves on it; call on the loop.
   */
  public long queuedBytes(InetSocketAddress to) {
    PeerConnection peer = peers.get(new PeerConnection.Key(to, Lane.REPLICATION));
    return peer == null ? 0 : peer.queuedBytes();
  }

  /**
   * Closes the connections to {@code to}, dropping what waits for them: the membership removed that member. A
   * connection through a cut may sit in TCP's retransmission back-off for seconds after the cut heals; the next
   * frame to that member opens a fresh one instead. Call on the loop.
   */
  public void disconnect(InetSocketAddress to) {
    for (Lane lane : Lane.values()) {
      PeerConnection peer = peers.remove(new PeerConnection.Key(to, lane));
      if (peer != null) {
        peer.close();
      }
    }
  }

  /**
   * Switches sealing of what this node sends and the requirement that input be sealed, at run time. Connections
   * opened before are closed, so that every frame after the switch follows it (the next frame reopens them).
   */
  public Future<Void> switchSealing(boolean sealOutgoing, boolean requireSealed) {
    Promise<Void> done = loop.newPromise();
    loop.execute(() -> {
      try {
        boolean resealing = security.sealOutgoing() != sealOutgoing;
        security.sealOutgoing(sealOutgoing);
        security.requireSealed(requireSealed);
        if (resealing) {
          for (PeerConnection peer : new ArrayList<>(peers.values())) {
            peers.remove(peer.key());
            peer.close();
          }
        }
        done.setSuccess(null);
      } catch (RuntimeException e) {
        done.setFailure(e);
      }
    });
    return done;
  }

  /** The most bytes one peer's replication connection held queued at once since start. */
  public long peakQueuedBytes() {
    return peakQueued;
  }

  /** Counters for snapshots: bytes and datagrams in and out, frames out, the peak queue, and the sealing state. */
  public Map<String, Object> stats() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("peakQueuedBytes", peakQueued);
    m.put("bytesOut", bytesOut);
    m.put("bytesIn", bytesIn);
    m.put("datagramsOut", datagramsOut);
    m.put("framesOut", framesOut);
    m.put("lanes", lanes.toMap());
    m.put("sealOutgoing", security.sealOutgoing());
    m.put("requireSealed", security.requireSealed());
    m.put("keys", security.keyring().fingerprints());
    m.put("tls", security.tls() != null);
    return m;
  }

  void sentFrame(Lane lane, long bytes) {
    bytesOut += bytes;
    framesOut++;
    lanes.out(lane, bytes);
  }

  // ---- for PeerConnection --------------------------------------------------------------------------------------

  EventLoop eventLoop() {
    return loop;
  }

  TransportLimits limits() {
    return limits;
  }

  DropCounters drops() {
    return drops;
  }

  TransportHandler handler() {
    return handler;
  }

  StreamTls tls() {
    return security.tls();
  }

  String localHost() {
    return localHost;
  }

  boolean closed() {
    return closed;
  }

  long queuedTotal() {
    return queuedTotal;
  }

  void queued(long delta) {
    queuedTotal += delta;
  }

  static AttributeKey<Boolean> closedHere() {
    return CLOSED_HERE;
  }

  void initPeerChannel(ChannelPipeline p) {
    framing(p);
  }

  /** Forgets {@code peer} if it is still the connection for its key; whether it was. */
  boolean forget(PeerConnection peer) {
    return peers.remove(peer.key(), peer);
  }

  /** The wire size of a frame of {@code bodyLength} bytes, length field included. */
  int frameSize(int bodyLength, boolean sealed) {
    return LENGTH_FIELD + envelope.headerSize() + bodyLength + (sealed ? Sealer.OVERHEAD : 0);
  }

  /** A frame with its length in front; sealed with the connection's nonces when it has them. */
  ByteBuf frame(Lane lane, byte[] body, Sealer.NonceSequence nonces) {
    int length = envelope.headerSize() + body.length + (nonces != null ? Sealer.OVERHEAD : 0);
    ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(LENGTH_FIELD + length);
    buf.writeInt(length);
    envelope.write(buf, lane, nonces != null);
    if (nonces != null) {
      sealer.seal(buf, LENGTH_FIELD, body, nonces);
    } else {
      buf.writeBytes(body);
    }
    return buf;
  }

  /** Closes every socket; the returned future completes when the port is released. */
  public Future<Void> close() {
    Promise<Void> done = loop.newPromise();
    loop.execute(() -> {
      closed = true;
      List<ChannelFuture> closing = new ArrayList<>();
      for (PeerConnection peer : new ArrayList<>(peers.values())) {
        ChannelFuture f = peer.close();
        if (f != null) {
          closing.add(f);
        }
      }
      peers.clear();
      for (Channel ch : new ArrayList<>(inbound)) {
        closing.add(ch.close());
      }
      if (tcp != null) {
        closing.add(tcp.close());
      }
      if (udp != null) {
        closing.add(udp.close());
      }
      if (closing.isEmpty()) {
        done.setSuccess(null);
        return;
      }
      int[] left = {closing.size()};
      for (ChannelFuture f : closing) {
        f.addListener(x -> {
          if (--left[0] == 0) {
            done.setSuccess(null);
          }
        });
      }
    });
    return done;
  }
}
