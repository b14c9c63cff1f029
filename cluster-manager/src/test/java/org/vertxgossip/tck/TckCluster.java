package org.vertxgossip.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.security.Keyring;

/**
 * What every suite class does, as a user's build would: a fresh cluster name per test (so that nodes of an earlier
 * test, still closing, never join a later one) and default options otherwise. The suite stores values of its own
 * Serializable test class, which a user allows the same way ({@code serializableClasses}); the encrypted classes
 * also give every member a fresh key.
 */
final class TckCluster {

  static final String PROPERTY = "vertx.gossip.clusterName";
  static final String KEYS = "vertx.gossip.keys";
  /** Mutual TLS on the streams, with the Vert.x suite's own test certificates (one root CA). */
  static final java.util.Map<String, String> TLS = java.util.Map.of(
      "vertx.gossip.tlsCertPath", "tls/server-cert-root-ca.pem", "vertx.gossip.tlsKeyPath", "tls/server-key.pem",
      "vertx.gossip.tlsTrustPath", "tls/root-ca/ca-cert.pem");
  static final String SERIALIZABLE = "vertx.gossip.serializableClasses";
  /** The one Java-serialized class the suite stores. */
  static final String SUITE_SERIALIZABLE = "io.vertx.tests.shareddata.AsyncMapTest$SomeSerializableObject";

  /** The managers made since the last fresh cluster. */
  private static final List<GossipClusterManager> MANAGERS = new ArrayList<>();

  private TckCluster() {
  }

  static void freshName() {
    synchronized (MANAGERS) {
      MANAGERS.clear();
    }
    System.setProperty(PROPERTY, "tck-" + UUID.randomUUID());
    System.setProperty(SERIALIZABLE, SUITE_SERIALIZABLE);
    System.clearProperty(KEYS);
    TLS.keySet().forEach(System::clearProperty);
  }

  /** A fresh name and a fresh key that every member of the test holds: all traffic is sealed. */
  static void freshEncrypted() {
    freshName();
    System.setProperty(KEYS, Keyring.generate());
  }

  /** A fresh name, a fresh key, and mutual TLS on the gossip streams. */
  static void freshTls() {
    freshEncrypted();
    TLS.forEach(System::setProperty);
  }

  static GossipClusterManager manager() {
    GossipClusterManager cm = new GossipClusterManager();
    synchronized (MANAGERS) {
      MANAGERS.add(cm);
    }
    return cm;
  }

  /**
   * Every member of an encrypted test that is still up holds the test's key and never received plain input: the
   * suite really ran sealed.
   */
  static void assertSealed() {
    String fingerprint = Keyring.fingerprint(System.getProperty(KEYS));
    synchronized (MANAGERS) {
      for (GossipClusterManager cm : MANAGERS) {
        if (cm.isActive()) {
          if (!cm.keyring().fingerprints().equals(List.of(fingerprint))) {
            throw new AssertionError(cm + " does not hold the test's key");
          }
          io.vertx.core.json.JsonObject snapshot = cm.snapshot();
          long plain = snapshot.getJsonObject("dropped").getLong("NOT_SEALED");
          if (plain != 0) {
            throw new AssertionError(cm + " received " + plain + " plain inputs");
          }
          boolean tls = System.getProperty("vertx.gossip.tlsCertPath") != null;
          if (snapshot.getJsonObject("transport").getBoolean("tls") != tls) {
            throw new AssertionError(cm + " does not run TLS on its streams as the test set it");
          }
        }
      }
      MANAGERS.clear();
    }
  }

  /** System properties for the suite's external JVMs: the same cluster name (and key). */
  static List<String> externalProperties() {
    List<String> out = new ArrayList<>(List.of("-D" + PROPERTY + "=" + System.getProperty(PROPERTY),
        "-D" + SERIALIZABLE + "=" + SUITE_SERIALIZABLE, "-Djava.net.preferIPv4Stack=true"));
    if (System.getProperty(KEYS) != null) {
      out.add("-D" + KEYS + "=" + System.getProperty(KEYS));
    }
    return out;
  }
}
