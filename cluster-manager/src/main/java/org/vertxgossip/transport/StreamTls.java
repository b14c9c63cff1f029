package org.vertxgossip.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Mutual TLS on the gossip streams (both lanes): every member presents its certificate and accepts a peer only
 * if the trust store accepts the peer's. Members are addressed by IP, so there is no host-name check: the trust
 * store (the cluster's own CA) is what decides. Datagrams are not covered; they stay sealed by the cluster key.
 *
 * @param server for inbound connections
 * @param client for outbound connections
 */
public record StreamTls(SslContext server, SslContext client) {

  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  public static StreamTls of(KeyManagerFactory keys, TrustManagerFactory trust) throws SSLException {
    SslContext server = SslContextBuilder.forServer(keys).trustManager(trust).clientAuth(ClientAuth.REQUIRE)
        .protocols(PROTOCOLS).build();
    // Netty 4.2 checks host names by default; members are dialled by IP, and the cluster's CA is the check.
    SslContext client = SslContextBuilder.forClient().keyManager(keys).trustManager(trust).protocols(PROTOCOLS)
        .endpointIdentificationAlgorithm(null).build();
    return new StreamTls(server, client);
  }
}
