package org.vertxgossip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;
import org.vertxgossip.security.Keyring;

/**
 * Mutual TLS on the gossip streams, with the Vert.x suite's test certificates (one root CA): members with a
 * certificate of that CA form a cluster and serve, whether they name PEM files or pass JKS options; a member with
 * the cluster key but a certificate of another CA is never admitted, and a stream without TLS, or with TLS but no
 * client certificate, is refused and counted.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TlsClusterTest {

  private static final String HOST = "127.0.0.22";
  private static final int PORT = 28500;

  /** The Vert.x suite's test certificate of its root CA, its key, and that CA. */
  private static final String CERT = "tls/server-cert-root-ca.pem";
  private static final String KEY = "tls/server-key.pem";
  private static final String CA = "tls/root-ca/ca-cert.pem";

  static GossipOptions pem(GossipOptions o) {
    return o.setTlsCertPath(CERT).setTlsKeyPath(KEY).setTlsTrustPath(CA);
  }

  @Test
  void membersWithCertificatesOfTheClusterCaServeAndOthersAreRefused() throws Exception {
    String cluster = "tls-" + UUID.randomUUID();
    String key = Keyring.generate();
    try (InJvmNodes nodes = new InJvmNodes()) {
      GossipClusterManager a = nodes.start(pem(options(cluster, PORT, key)));
      GossipClusterManager b = nodes.start(options(cluster, PORT + 1, key)
          .setTlsKeyCert(new JksOptions().setPath("tls/server-keystore-root-ca.jks").setPassword("wibble"))
          .setTlsTrust(new JksOptions().setPath("tls/client-truststore-root-ca.jks").setPassword("wibble")));
      GossipClusterManager c = nodes.start(pem(options(cluster, PORT + 2, key)));
      nodes.assertServe(a, b, c);
      assertEquals(true, a.snapshot().getJsonObject("transport").getBoolean("tls"));
      long before = a.snapshot().getJsonObject("dropped").getLong("TLS_REFUSED");
      assertEquals(0, before, "members refused each other");

      // The right key, a certificate of another CA: its streams are refused, so no view admits it.
      GossipClusterManager stranger = new GossipClusterManager(options(cluster, PORT + 3, key)
          .setTlsCertPath("tls/server-cert-other-ca.pem").setTlsKeyPath("tls/server-key.pem")
          .setTlsTrustPath("tls/root-ca/ca-cert.pem"));
      var starting = Vertx.builder().withClusterManager(stranger).buildClustered();
      ClusterFixture.awaitTrue(() -> a.snapshot().getJsonObject("dropped").getLong("TLS_REFUSED") > before, 20_000,
          "the stranger's handshake refused");
      assertThrows(Exception.class, () -> starting.await(5, TimeUnit.SECONDS), "the stranger was admitted");
      assertEquals(3, a.getNodes().size());
      Promise<Void> left = Promise.promise();
      stranger.leave(left);
      left.future().await(10, TimeUnit.SECONDS);

      // A plain connection, and a TLS one without a client certificate: refused and counted.
      long refused = a.snapshot().getJsonObject("dropped").getLong("TLS_REFUSED");
      InetSocketAddress to = new InetSocketAddress(HOST, PORT);
      try (Socket plain = new Socket()) {
        plain.connect(to, 5000);
        plain.getOutputStream().write(Attacker.lengthPrefixed(new byte[64]));
        plain.setSoTimeout(10_000);
        assertEquals(-1, plain.getInputStream().read(), "a plain stream is closed");
      }
      try (SSLSocket tls = (SSLSocket) trustingEverything().createSocket()) {
        tls.connect(to, 5000);
        tls.setSoTimeout(10_000);
        assertThrows(Exception.class, () -> {
          tls.startHandshake();
          tls.getOutputStream().write(new byte[16]);
          tls.getOutputStream().flush();
          if (tls.getInputStream().read() == -1) {
            throw new java.io.EOFException("closed");
          }
        }, "a stream without a client certificate was kept");
      }
      ClusterFixture.awaitTrue(() -> a.snapshot().getJsonObject("dropped").getLong("TLS_REFUSED") >= refused + 2,
          10_000, "both counted");
      JsonObject dropped = a.snapshot().getJsonObject("dropped");
      assertEquals(0L, dropped.getLong("NOT_SEALED"), dropped.encode());
      assertTrue(a.getNodes().size() == 3);
    }
  }

  /**
   * The whole cluster secured with one set of files, as src-docs/security.md says: the gossip streams and the event
   * bus both on mutual TLS with the same member certificate and CA, the datagrams sealed by the key. Requests and
   * shared data work, and every member's event-bus self-check finds every other member reachable.
   */
  @Test
  void theEventBusAndTheGossipStreamsShareOneSetOfCertificates() throws Exception {
    String cluster = "tls-eb-" + UUID.randomUUID();
    String key = Keyring.generate();
    try (InJvmNodes nodes = new InJvmNodes()) {
      List<GossipClusterManager> members = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        VertxOptions vo = new VertxOptions().setEventBusOptions(new EventBusOptions().setHost(HOST).setSsl(true)
            .setClientAuth(io.vertx.core.http.ClientAuth.REQUIRED)
            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(CERT).setKeyPath(KEY))
            .setTrustOptions(new PemTrustOptions().addCertPath(CA)));
        members.add(nodes.start(pem(options(cluster, PORT + 20 + i, key, PORT + 20)), vo));
      }
      nodes.assertServe(members.toArray(new GossipClusterManager[0]));
      for (GossipClusterManager cm : members) {
        ClusterFixture.awaitTrue(() -> cm.snapshot().getJsonObject("eventBus").stream()
            .filter(e -> "reachable".equals(e.getValue())).count() == 2, 10_000, cm + " reaches both event buses");
        assertEquals(true, cm.snapshot().getJsonObject("transport").getBoolean("tls"));
      }
    }
  }

  @Test
  void tlsWithoutAKeyOrWithoutATrustStoreIsAConfigurationError() {
    GossipClusterManager noKey = new GossipClusterManager(pem(new GossipOptions().setClusterName("tls-cfg")
        .setHost(HOST).setPort(PORT + 9)));
    Exception e = assertThrows(Exception.class, () -> Vertx.builder().withClusterManager(noKey).buildClustered()
        .await(20, TimeUnit.SECONDS));
    assertTrue(String.valueOf(e.getMessage()).contains("set 'keys'"), String.valueOf(e));
    GossipClusterManager noTrust = new GossipClusterManager(new GossipOptions().setClusterName("tls-cfg")
        .setHost(HOST).setPort(PORT + 9).setKeys(List.of(Keyring.generate()))
        .setTlsCertPath("tls/server-cert-root-ca.pem").setTlsKeyPath("tls/server-key.pem"));
    Exception e2 = assertThrows(Exception.class, () -> Vertx.builder().withClusterManager(noTrust)
        .buildClustered().await(20, TimeUnit.SECONDS));
    assertTrue(String.valueOf(e2.getMessage()).contains("tlsTrustPath"), String.valueOf(e2));
  }

  private static SSLSocketFactory trustingEverything() throws Exception {
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
      @Override
      public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
      }

      @Override
      public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
      }

      @Override
      public java.security.cert.X509Certificate[] getAcceptedIssuers() {
        return new java.security.cert.X509Certificate[0];
      }
    }}, null);
    return ctx.getSocketFactory();
  }

  private static GossipOptions options(String cluster, int port, String key) {
    return options(cluster, port, key, PORT);
  }

  private static GossipOptions options(String cluster, int port, String key, int seed) {
    return new GossipOptions().setClusterName(cluster).setHost(HOST).setPort(port)
        .setSeeds(List.of(HOST + ":" + seed)).setKeys(List.of(key)).setProfile("local");
  }
}
