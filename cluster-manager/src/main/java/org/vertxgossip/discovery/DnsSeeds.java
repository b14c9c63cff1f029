package org.vertxgossip.discovery;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Seeds from DNS: every A/AAAA record of a name (each with the gossip port), or, for a service name starting with
 * an underscore ({@code _gossip._tcp.example.com}), every SRV record's target and port. A headless Kubernetes
 * service gives exactly this. Failures yield an empty list; the caller asks again.
 */
public final class DnsSeeds implements SeedProvider {

  private final String name;
  private final int port;
  private final EventExecutor loop;
  private final DnsNameResolver resolver;

  public DnsSeeds(String name, int port, EventExecutor loop, DnsNameResolver resolver) {
    this.name = name;
    this.port = port;
    this.loop = loop;
    this.resolver = resolver;
  }

  public boolean isService() {
    return name.startsWith("_");
  }

  @Override
  public Future<List<InetSocketAddress>> seeds() {
    Promise<List<InetSocketAddress>> result = loop.newPromise();
    if (isService()) {
      resolver.resolveAll(new DefaultDnsQuestion(name, DnsRecordType.SRV)).addListener(
          (Future<List<DnsRecord>> f) -> {
            if (!f.isSuccess()) {
              result.setSuccess(List.of());
              return;
            }
            List<InetSocketAddress> targets = new ArrayList<>();
            for (DnsRecord r : f.getNow()) {
              try {
                if (r instanceof DnsRawRecord raw && r.type() == DnsRecordType.SRV) {
                  ByteBuf content = raw.content().duplicate();
                  content.skipBytes(4); // priority, weight
                  int srvPort = content.readUnsignedShort();
                  String target = DefaultDnsRecordDecoder.decodeName(content);
                  targets.add(InetSocketAddress.createUnresolved(stripDot(target), srvPort));
                }
              } catch (RuntimeException ignored) {
                // A malformed record is skipped; the others still count.
              } finally {
                ReferenceCountUtil.release(r);
              }
            }
            addresses(targets, result);
          });
    } else {
      addresses(List.of(InetSocketAddress.createUnresolved(name, port)), result);
    }
    return result;
  }

  private void addresses(List<InetSocketAddress> names, Promise<List<InetSocketAddress>> result) {
    List<InetSocketAddress> out = new ArrayList<>();
    if (names.isEmpty()) {
      result.setSuccess(out);
      return;
    }
    int[] left = {names.size()};
    for (InetSocketAddress n : names) {
      resolver.resolveAll(n.getHostString()).addListener((Future<List<InetAddress>> f) -> {
        if (f.isSuccess()) {
          for (InetAddress a : f.getNow()) {
            out.add(new InetSocketAddress(a, n.getPort()));
          }
        }
        if (--left[0] == 0) {
          result.setSuccess(out);
        }
      });
    }
  }

  private static String stripDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  @Override
  public String describe() {
    return (isService() ? "dns-srv:" : "dns:") + name;
  }
}
