package org.vertxgossip.it;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small authoritative DNS server for tests, on netty-codec-dns: A and SRV records from maps, changed at will
 * while it serves. Public, in the test jar, for the demo's tests too.
 */
public final class TestDnsServer implements AutoCloseable {

  /** One SRV answer. */
  public record Srv(String target, int port) {
  }

  private final NioEventLoopGroup group = new NioEventLoopGroup(1);
  private final Map<String, List<String>> a = new ConcurrentHashMap<>();
  private final Map<String, List<Srv>> srv = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
  private final Channel channel;

  /** On a free port of 127.0.0.1. */
  public TestDnsServer() throws InterruptedException {
    this("127.0.0.1", 0);
  }

  /** On {@code host:port} (port 53 of a bridge's address, as Docker's embedded DNS serves its network). */
  public TestDnsServer(String host, int port) throws InterruptedException {
    channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new ChannelInitializer<DatagramChannel>() {
          @Override
          protected void initChannel(DatagramChannel ch) {
            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery q) throws Exception {
                    ctx.writeAndFlush(answer(q));
                  }
                });
          }
        }).bind(host, port).sync().channel();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Answers {@code name}'s A queries with {@code ips} from now on (none: an empty answer). */
  public TestDnsServer a(String name, String... ips) {
    a.put(name, List.of(ips));
    return this;
  }

  public TestDnsServer srv(String name, Srv... answers) {
    srv.put(name, List.of(answers));
    return this;
  }

  public int queriesFor(String name) {
    AtomicInteger n = queries.get(name);
    return n == null ? 0 : n.get();
  }

  private DatagramDnsResponse answer(DatagramDnsQuery q) throws UnknownHostException {
    DnsQuestion question = q.recordAt(DnsSection.QUESTION);
    String name = question.name().endsWith(".") ? question.name().substring(0, question.name().length() - 1)
        : question.name();
    queries.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    DatagramDnsResponse r = new DatagramDnsResponse(q.recipient(), q.sender(), q.id());
    r.setAuthoritativeAnswer(true);
    r.addRecord(DnsSection.QUESTION, question);
    if (!a.containsKey(name) && !srv.containsKey(name)) {
      // No such name, as a real server says (a resolver then tries its next search domain).
      r.setCode(DnsResponseCode.NXDOMAIN);
      return r;
    }
    if (question.type() == DnsRecordType.A) {
      for (String ip : a.getOrDefault(name, List.of())) {
        r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A, 5,
            Unpooled.wrappedBuffer(InetAddress.getByName(ip).getAddress())));
      }
    } else if (question.type() == DnsRecordType.SRV) {
      for (Srv s : srv.getOrDefault(name, List.of())) {
        ByteBuf content = Unpooled.buffer();
        content.writeShort(10).writeShort(10).writeShort(s.port());
        for (String label : s.target().split("\\.")) {
          byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
          content.writeByte(bytes.length).writeBytes(bytes);
        }
        content.writeByte(0);
        r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.SRV, 5, content));
      }
    }
    return r;
  }

  @Override
  public void close() {
    channel.close();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }
}
