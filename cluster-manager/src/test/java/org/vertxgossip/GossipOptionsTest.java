package org.vertxgossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vertxgossip.node.NodeSettings;

class GossipOptionsTest {

  @TempDir
  Path dir;

  private static final ClassLoader NO_FILE = new URLClassLoader(new URL[0], null);

  @Test
  void sourcesApplyHighestFirst() throws IOException {
    Path file = dir.resolve("gossip.json");
    Files.writeString(file, "{\"clusterName\":\"from-file\",\"port\":7000,\"profile\":\"wan\",\"ackTimeout\":9}");
    Map<String, String> env = Map.of("VERTX_GOSSIP_PORT", "7001", "VERTX_GOSSIP_PROFILE", "local",
        "VERTX_GOSSIP_CONFIG", file.toString());
    Map<String, String> props = Map.of("vertx.gossip.profile", "lan", "vertx.gossip.seeds", "10.0.0.1:7946, b:1");
    GossipOptions o = new GossipOptions().setSeeds(List.of("c:2")).effective(props, env, NO_FILE);
    assertEquals("from-file", o.getClusterName(), "file over default");
    assertEquals(9, o.getAckTimeout(), "file over default");
    assertEquals(7001, o.getPort(), "environment over file");
    assertEquals("lan", o.getProfile(), "system property over environment");
    assertEquals(List.of("c:2"), o.getSeeds(), "setter over system property");
  }

  @Test
  void aClasspathGossipJsonIsReadWhenNoFileIsNamed() throws IOException {
    Files.writeString(dir.resolve("gossip.json"), "{\"clusterName\":\"on-the-classpath\"}");
    ClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
    assertEquals("on-the-classpath", new GossipOptions().effective(Map.of(), Map.of(), loader).getClusterName());
    assertEquals(GossipOptions.DEFAULT_CLUSTER_NAME,
        new GossipOptions().effective(Map.of(), Map.of(), NO_FILE).getClusterName());
  }

  @Test
  void badInputFailsWithOneMessageNamingTheKeyAndItsSource() throws IOException {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> new GossipOptions()
        .effective(Map.of("vertx.gossip.prot", "1"), Map.of(), NO_FILE));
    assertTrue(unknown.getMessage().contains("unknown option 'prot' from system property vertx.gossip.prot"),
        unknown.getMessage());
    IllegalArgumentException port = assertThrows(IllegalArgumentException.class, () -> new GossipOptions()
        .effective(Map.of(), Map.of("VERTX_GOSSIP_PORT", "abc"), NO_FILE));
    assertTrue(port.getMessage().contains("'port' from environment variable VERTX_GOSSIP_PORT"), port.getMessage());
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> new GossipOptions()
        .setPort(70_000));
    assertTrue(range.getMessage().contains("'port'"), range.getMessage());
    IllegalArgumentException seeds = assertThrows(IllegalArgumentException.class, () -> new GossipOptions()
        .effective(Map.of("vertx.gossip.seeds", "no-port"), Map.of(), NO_FILE));
    assertTrue(seeds.getMessage().contains("'seeds'"), seeds.getMessage());
    IllegalArgumentException profile = assertThrows(IllegalArgumentException.class, () -> new GossipOptions()
        .setProfile("fast"));
    assertTrue(profile.getMessage().contains("unknown profile 'fast'"), profile.getMessage());
    String missing = dir.resolve("absent.json").toString();
    IllegalArgumentException file = assertThrows(IllegalArgumentException.class, () -> new GossipOptions()
        .effective(Map.of("vertx.gossip.config", missing), Map.of(), NO_FILE));
    assertTrue(file.getMessage().contains("cannot read " + missing), file.getMessage());
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{ not json");
    IllegalArgumentException json = assertThrows(IllegalArgumentException.class, () -> new GossipOptions()
        .effective(Map.of("vertx.gossip.config", broken.toString()), Map.of(), NO_FILE));
    assertTrue(json.getMessage().contains("is not a JSON object"), json.getMessage());
    IllegalArgumentException classpath = assertThrows(IllegalArgumentException.class, () -> new GossipOptions()
        .effective(Map.of("vertx.gossip.config", "classpath:nope.json"), Map.of(), NO_FILE));
    assertTrue(classpath.getMessage().contains("classpath:nope.json not found"), classpath.getMessage());
  }

  @Test
  void jsonRoundTripsAndJsonKeysCountAsSet() {
    GossipOptions o = new GossipOptions(new JsonObject().put("clusterName", "j").put("seeds",
        new io.vertx.core.json.JsonArray().add("a:1").add("b:2")).put("minimumMembers", 2));
    assertEquals(o.toJson(), new GossipOptions(o.toJson()).toJson());
    GossipOptions effective = o.effective(Map.of("vertx.gossip.clusterName", "prop"), Map.of(), NO_FILE);
    assertEquals("j", effective.getClusterName(), "a JSON key is a programmatic setting");
    assertEquals(2, effective.getMinimumMembers());
  }

  @Test
  void theAddressDecision() {
    NodeSettings zero = Addressing.settings(new GossipOptions(), Map.of("POD_IP", "10.1.2.3"));
    assertEquals("127.0.0.1", zero.bindHost(), "no seeds, no DNS: loopback, whatever the environment says");
    assertEquals(GossipOptions.DEFAULT_PORT_COUNT, zero.seeds().size(), "the default range as seeds");
    assertEquals(GossipOptions.DEFAULT_PORT_COUNT + 1, zero.ports().size(), "the range, then any free port");
    assertTrue(zero.membership().foundWhenAlone, "with no seeds configured, wherever it binds, a node may found");
    NodeSettings pod = Addressing.settings(new GossipOptions().setSeeds(List.of("10.1.2.4:7946")),
        Map.of("POD_IP", "10.1.2.3"));
    assertEquals("10.1.2.3", pod.bindHost());
    assertEquals("10.1.2.3", pod.publicHost());
    assertFalse(pod.membership().foundWhenAlone, "with seeds configured, only they may found");
    NodeSettings explicit = Addressing.settings(new GossipOptions().setHost("127.0.0.5").setPublicHost("127.0.0.6")
        .setPort(0), Map.of());
    assertEquals("127.0.0.5", explicit.bindHost());
    assertEquals("127.0.0.6", explicit.publicHost());
    assertEquals(List.of(0), explicit.ports());
    IllegalArgumentException wildcard = assertThrows(IllegalArgumentException.class, () -> Addressing.settings(
        new GossipOptions().setHost("0.0.0.0"), Map.of()));
    assertTrue(wildcard.getMessage().contains("publicHost"), wildcard.getMessage());
    assertNull(new GossipOptions().getDns());
  }

  @Test
  void keysComeFromEverySourceAndAreNeverShown() throws IOException {
    String k1 = org.vertxgossip.security.Keyring.generate();
    String k2 = org.vertxgossip.security.Keyring.generate();
    GossipOptions fromEnv = new GossipOptions().effective(Map.of(), Map.of("VERTX_GOSSIP_KEYS", k1 + "," + k2),
        NO_FILE);
    assertEquals(List.of(k1, k2), fromEnv.getKeys());
    GossipOptions fromProp = new GossipOptions().effective(Map.of("vertx.gossip.keys", k2), Map.of(), NO_FILE);
    assertEquals(List.of(k2), fromProp.getKeys());
    Path json = dir.resolve("keyed.json");
    Files.writeString(json, "{\"keys\":[\"" + k1 + "\"]}");
    assertEquals(List.of(k1), new GossipOptions().effective(Map.of("vertx.gossip.config", json.toString()), Map.of(),
        NO_FILE).getKeys());
    assertEquals(List.of(k1), new GossipOptions().setKeys(List.of(k1)).effective(Map.of(), Map.of(), NO_FILE)
        .getKeys());
    String shown = fromEnv.toString() + fromEnv.toMaskedJson().encode();
    assertFalse(shown.contains(k1) || shown.contains(k2), shown);
    assertTrue(shown.contains(org.vertxgossip.security.Keyring.fingerprint(k1)), shown);
    assertEquals(List.of(k1, k2), new GossipOptions(fromEnv).getKeys(), "a copy keeps them");
  }

  @Test
  void aBadKeyIsRefusedWithoutShowingIt() {
    String secretish = java.util.Base64.getEncoder().encodeToString("sixteen byte key".getBytes());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GossipOptions()
        .effective(Map.of(), Map.of("VERTX_GOSSIP_KEYS", org.vertxgossip.security.Keyring.generate() + ","
            + secretish), NO_FILE));
    assertTrue(e.getMessage().contains("key 2 has 16 bytes"), e.getMessage());
    assertFalse(e.getMessage().contains(secretish), e.getMessage());
    assertNull(e.getCause(), "the cause could carry the value");
    IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class,
        () -> new GossipOptions().setKeys(List.of("not*base64")));
    assertFalse(notBase64.getMessage().contains("not*base64"), notBase64.getMessage());
  }

  @Test
  void aKeysFileIsReadWhenTheNodeJoinsAndClashesWithKeys() throws IOException {
    String k1 = org.vertxgossip.security.Keyring.generate();
    String k2 = org.vertxgossip.security.Keyring.generate();
    Path file = dir.resolve("keys");
    Files.writeString(file, k1 + "\n" + k2 + "\n");
    GossipOptions o = new GossipOptions().setKeysFile(file.toString());
    assertEquals(List.of(org.vertxgossip.security.Keyring.fingerprint(k1),
        org.vertxgossip.security.Keyring.fingerprint(k2)), o.keyring().fingerprints());
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
        () -> new GossipOptions().setKeysFile(file.toString()).setKeys(List.of(k1)).keyring());
    assertTrue(both.getMessage().contains("not both"), both.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> new GossipOptions().setKeysFile(dir.resolve("nope").toString()).keyring());
    assertTrue(missing.getMessage().contains("cannot read keysFile"), missing.getMessage());
    Files.writeString(file, "\n");
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> new GossipOptions().setKeysFile(file.toString()).keyring());
    assertTrue(empty.getMessage().contains("holds no key"), empty.getMessage());
  }

  @Test
  void theSecuritySwitchesAndFiltersParse() {
    GossipOptions o = new GossipOptions().effective(Map.of("vertx.gossip.verifyIncoming", "false",
        "vertx.gossip.serializableClasses", "com.example.**, com.acme.Dto"), Map.of(
        "VERTX_GOSSIP_CLUSTER_SERIALIZABLE_CLASSES", "com.example."), NO_FILE);
    assertFalse(o.isVerifyIncoming());
    assertTrue(o.isVerifyOutgoing());
    assertEquals(List.of("com.example.**", "com.acme.Dto"), o.getSerializableClasses());
    assertEquals(List.of("com.example."), o.getClusterSerializableClasses());
    IllegalArgumentException bool = assertThrows(IllegalArgumentException.class, () -> new GossipOptions()
        .effective(Map.of("vertx.gossip.verifyOutgoing", "yes"), Map.of(), NO_FILE));
    assertTrue(bool.getMessage().contains("expected true or false"), bool.getMessage());
    IllegalArgumentException pattern = assertThrows(IllegalArgumentException.class, () -> new GossipOptions()
        .setSerializableClasses(List.of("!java.lang.*")));
    assertTrue(pattern.getMessage().contains("serializableClasses"), pattern.getMessage());
  }
}
