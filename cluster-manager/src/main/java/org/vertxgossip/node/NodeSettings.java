package org.vertxgossip.node;

import java.net.InetSocketAddress;
import java.util.List;
import org.vertxgossip.membership.MembershipConfig;
import org.vertxgossip.transport.TransportSecurity;
import org.vertxgossip.transport.WireVersion;

/**
 * Everything a {@link ClusterNode} needs, already validated and resolved from the user's options.
 *
 * @param clusterName    the envelope label
 * @param bindHost       the address both sockets bind to (an IP literal)
 * @param publicHost     the address advertised to peers
 * @param ports          ports to try in order; the first free for both UDP and TCP wins
 * @param seeds          static seeds (host names allowed)
 * @param dnsName        a DNS name (A/AAAA) or service name (SRV, starting with "_"), or null
 * @param dnsPort        the gossip port assumed for A/AAAA answers
 * @param dnsServer      a specific DNS server, or null for the system's
 * @param membership     the membership core's configuration
 * @param ackTimeoutMs   the bound on waiting for acknowledgements of replicated writes
 * @param minimumMembers quorum for every shared-data read and write (0: none)
 * @param tombstoneHorizonMs how long deletes of keyed stores are remembered
 * @param security       keys and whether traffic is sealed and must be
 * @param wire           the protocol version spoken ({@link WireVersion#CURRENT}; another only behind the test switch)
 */
public record NodeSettings(String clusterName, String bindHost, String publicHost, List<Integer> ports,
                           List<InetSocketAddress> seeds, String dnsName, int dnsPort, InetSocketAddress dnsServer,
                           MembershipConfig membership, long ackTimeoutMs, int minimumMembers,
                           long tombstoneHorizonMs, TransportSecurity security, WireVersion wire) {

  /** These settings with other security (TLS is added once the Vert.x instance can read its key stores). */
  public NodeSettings withSecurity(TransportSecurity other) {
    return new NodeSettings(clusterName, bindHost, publicHost, ports, seeds, dnsName, dnsPort, dnsServer, membership,
        ackTimeoutMs, minimumMembers, tombstoneHorizonMs, other, wire);
  }

  /** These settings speaking another protocol version: the test switch that stands in for a next release. */
  public NodeSettings withWire(WireVersion other) {
    return new NodeSettings(clusterName, bindHost, publicHost, ports, seeds, dnsName, dnsPort, dnsServer, membership,
        ackTimeoutMs, minimumMembers, tombstoneHorizonMs, security, other);
  }
}
