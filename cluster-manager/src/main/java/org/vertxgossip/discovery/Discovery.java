package org.vertxgossip.discovery;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** All configured seed sources together; the union of their answers. Lives on the gossip loop. */
public final class Discovery implements AutoCloseable {

  private final EventLoop loop;
  private final List<SeedProvider> providers = new ArrayList<>();
  private DnsNameResolver resolver;
  private final InetSocketAddress dnsServer;

  /** {@code dnsServer} null means the system's resolvers. */
  public Discovery(EventLoop loop, InetSocketAddress dnsServer) {
    this.loop = loop;
    this.dnsServer = dnsServer;
  }

  /** The resolver, created on first use so that a node with only IP seeds never opens a DNS socket. */
  public DnsNameResolver resolver() {
    if (resolver == null) {
      DnsNameResolverBuilder b = new DnsNameResolverBuilder(loop)
          .datagramChannelType(NioDatagramChannel.class)
          .queryTimeoutMillis(2000)
          .maxQueriesPerResolve(4);
      b.nameServerProvider(dnsServer != null ? new SingletonDnsServerAddressStreamProvider(dnsServer)
          : DnsServerAddressStreamProviders.platformDefault());
      resolver = b.build();
    }
    return resolver;
  }

  public Discovery add(SeedProvider provider) {
    providers.add(provider);
    return this;
  }

  public boolean isEmpty() {
    return providers.isEmpty();
  }

  public Future<List<InetSocketAddress>> seeds() {
    Promise<List<InetSocketAddress>> result = loop.newPromise();
    Set<InetSocketAddress> all = new LinkedHashSet<>();
    if (providers.isEmpty()) {
      return result.setSuccess(List.of());
    }
    int[] left = {providers.size()};
    for (SeedProvider p : providers) {
      p.seeds().addListener((Future<List<InetSocketAddress>> f) -> {
        if (f.isSuccess()) {
          all.addAll(f.getNow());
        }
        if (--left[0] == 0) {
          result.setSuccess(new ArrayList<>(all));
        }
      });
    }
    return result;
  }

  public String describe() {
    List<String> parts = new ArrayList<>();
    providers.forEach(p -> parts.add(p.describe()));
    return String.join(", ", parts);
  }

  @Override
  public void close() {
    providers.forEach(SeedProvider::close);
    if (resolver != null) {
      resolver.close();
    }
  }
}
