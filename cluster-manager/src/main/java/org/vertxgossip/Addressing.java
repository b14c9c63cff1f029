package org.vertxgossip;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.vertxgossip.membership.MembershipConfig;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.Profile;
import org.vertxgossip.node.NodeSettings;
import org.vertxgossip.security.Keyring;
import org.vertxgossip.transport.TransportSecurity;
import org.vertxgossip.transport.WireVersion;

/**
 * The one address decision, shared by the gossip transport and the event bus ({@code clusterHost()}): an explicit
 * host; else loopback when no seed or DNS name is configured (nodes on one machine find each other); else
 * {@code POD_IP} or {@code HOST_IP} from the environment; else the first site-local IPv4 address; else loopback.
 */
final class Addressing {

  /** Deletes are remembered for an hour: a member away for longer may bring a deleted key back on its return. */
  private static final long TOMBSTONE_HORIZON_MS = 3_600_000;

  private Addressing() {
  }

  static NodeSettings settings(GossipOptions o, Map<String, String> env) {
    boolean zeroConfig = o.getSeeds().isEmpty() && o.getDns() == null;
    String bind = literal("host", o.getHost() != null ? o.getHost() : detect(zeroConfig, env));
    String advertised = o.getPublicHost() != null ? literal("publicHost", o.getPublicHost()) : bind;
    if (advertised.equals("0.0.0.0") || advertised.equals("::")) {
      throw new IllegalArgumentException("vertx-gossip configuration: the wildcard address " + advertised
          + " cannot be advertised to peers; set 'publicHost' to an address they can reach");
    }
    List<Integer> ports = new ArrayList<>();
    if (o.getPort() >= 0) {
      ports.add(o.getPort());
    } else {
      for (int i = 0; i < GossipOptions.DEFAULT_PORT_COUNT; i++) {
        ports.add(GossipOptions.DEFAULT_FIRST_PORT + i);
      }
      ports.add(0); // a busy range still starts: it joins the nodes there (or founds if none answers)
    }
    List<InetSocketAddress> seeds = new ArrayList<>();
    for (String s : o.getSeeds()) {
      NodeAddress a = NodeAddress.parse(s);
      seeds.add(InetSocketAddress.createUnresolved(a.host(), a.port()));
    }
    if (zeroConfig) {
      for (int i = 0; i < GossipOptions.DEFAULT_PORT_COUNT; i++) {
        seeds.add(InetSocketAddress.createUnresolved(advertised, GossipOptions.DEFAULT_FIRST_PORT + i));
      }
    }
    InetSocketAddress dnsServer = null;
    if (o.getDnsServer() != null) {
      NodeAddress a = NodeAddress.parse(o.getDnsServer());
      dnsServer = new InetSocketAddress(a.host(), a.port());
    }
    int dnsPort = o.getPort() > 0 ? o.getPort() : GossipOptions.DEFAULT_FIRST_PORT;
    MembershipConfig.Builder membership = Profile.parse(o.getProfile()).config().toBuilder();
    membership.foundWhenAlone = zeroConfig; // the default range is where local peers may be, not a list of founders
    Keyring keyring = o.keyring();
    TransportSecurity security = keyring.isEmpty() ? TransportSecurity.none()
        : new TransportSecurity(keyring, o.isVerifyOutgoing(), o.isVerifyIncoming());
    return new NodeSettings(o.getClusterName(), bind, advertised, List.copyOf(ports), List.copyOf(seeds), o.getDns(),
        dnsPort, dnsServer, membership.build(), o.getAckTimeout(), o.getMinimumMembers(), TOMBSTONE_HORIZON_MS,
        security, WireVersion.CURRENT);
  }

  private static String detect(boolean zeroConfig, Map<String, String> env) {
    if (zeroConfig) {
      return "127.0.0.1";
    }
    for (String var : List.of("POD_IP", "HOST_IP")) {
      String v = env.get(var);
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!ni.isUp() || ni.isLoopback()) {
          continue;
        }
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
          if (a instanceof Inet4Address && a.isSiteLocalAddress()) {
            return a.getHostAddress();
          }
        }
      }
    } catch (SocketException e) {
      // fall through to loopback
    }
    return "127.0.0.1";
  }

  /** An IP literal for {@code host} (names are resolved once, here). */
  private static String literal(String key, String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("vertx-gossip configuration: '" + key + "' " + host
          + " does not resolve", e);
    }
  }
}
