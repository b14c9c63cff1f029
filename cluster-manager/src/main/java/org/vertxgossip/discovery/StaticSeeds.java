package org.vertxgossip.discovery;

import io.netty.resolver.dns.DnsNameResolver;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed list of {@code host:port}; host names are resolved (every A/AAAA record counts) on each call, so a name
 * that moves is followed. Names that do not resolve are skipped (and resolved again next time).
 */
public final class StaticSeeds implements SeedProvider {

  private final List<InetSocketAddress> seeds;
  private final EventExecutor loop;
  private final DnsNameResolver resolver;

  /** {@code resolver} may be null when every host is an IP literal. */
  public StaticSeeds(List<InetSocketAddress> unresolved, EventExecutor loop, DnsNameResolver resolver) {
    this.seeds = List.copyOf(unresolved);
    this.loop = loop;
    this.resolver = resolver;
  }

  public static boolean allLiteral(List<InetSocketAddress> seeds) {
    return seeds.stream().allMatch(s -> NetUtil.isValidIpV4Address(s.getHostString())
        || NetUtil.isValidIpV6Address(s.getHostString()));
  }

  @Override
  public Future<List<InetSocketAddress>> seeds() {
    Promise<List<InetSocketAddress>> result = loop.newPromise();
    List<InetSocketAddress> out = new ArrayList<>();
    int[] left = {seeds.size()};
    if (seeds.isEmpty()) {
      return result.setSuccess(out);
    }
    for (InetSocketAddress s : seeds) {
      String host = s.getHostString();
      if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host) || resolver == null) {
        if (!s.isUnresolved() || NetUtil.createInetAddressFromIpAddressString(host) != null) {
          out.add(new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(host), s.getPort()));
        }
        if (--left[0] == 0) {
          result.trySuccess(out);
        }
        continue;
      }
      resolver.resolveAll(host).addListener((Future<List<InetAddress>> f) -> {
        if (f.isSuccess()) {
          for (InetAddress a : f.getNow()) {
            out.add(new InetSocketAddress(a, s.getPort()));
          }
        }
        if (--left[0] == 0) {
          result.trySuccess(out);
        }
      });
    }
    return result;
  }

  @Override
  public String describe() {
    return seeds.toString();
  }
}
