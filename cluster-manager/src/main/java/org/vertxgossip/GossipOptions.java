package org.vertxgossip;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.Profile;
import org.vertxgossip.security.Keyring;
import org.vertxgossip.shareddata.ValueFilter;

/**
 * Options of the gossip cluster manager. Each option comes from, highest first: a setter call, the system property
 * {@code vertx.gossip.<option>}, the environment variable {@code VERTX_GOSSIP_<OPTION>} (upper snake case), a JSON
 * file ({@code -Dvertx.gossip.config=path} or {@code classpath:name}, else {@code gossip.json} on the class path),
 * then the default. With nothing set, nodes on one machine find each other over loopback.
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><td>{@code clusterName}</td><td>label on every packet; clusters with different names ignore each other
 *   (default {@code vertx-gossip})</td></tr>
 *   <tr><td>{@code host}</td><td>address to bind; default loopback without seeds, else POD_IP, HOST_IP or the first
 *   site-local address</td></tr>
 *   <tr><td>{@code publicHost}</td><td>address advertised to peers and to the event bus (default {@code host})</td></tr>
 *   <tr><td>{@code port}</td><td>UDP and TCP port; default the first free of 7946-7955</td></tr>
 *   <tr><td>{@code seeds}</td><td>comma-separated {@code host:port} list</td></tr>
 *   <tr><td>{@code dns}</td><td>a DNS name whose A/AAAA records are seeds, or an SRV name starting with
 *   {@code _}</td></tr>
 *   <tr><td>{@code dnsServer}</td><td>{@code host:port} of the DNS server to ask (default: the system's)</td></tr>
 *   <tr><td>{@code profile}</td><td>{@code lan} (default), {@code wan} or {@code local}</td></tr>
 *   <tr><td>{@code ackTimeout}</td><td>ms to wait for members to acknowledge a replicated write (default
 *   5000)</td></tr>
 *   <tr><td>{@code minimumMembers}</td><td>quorum: in a smaller view, every shared-data read and write fails at
 *   once (default 0, none)</td></tr>
 *   <tr><td>{@code keys}</td><td>comma-separated base64 AES-256 keys, the first one primary: all traffic is
 *   encrypted and authenticated (default none); never logged</td></tr>
 *   <tr><td>{@code keysFile}</td><td>a file holding the keys (comma- or line-separated) instead of
 *   {@code keys}</td></tr>
 *   <tr><td>{@code verifyIncoming}</td><td>with keys, refuse input that is not encrypted (default true; false only
 *   while encryption is being turned on)</td></tr>
 *   <tr><td>{@code verifyOutgoing}</td><td>with keys, encrypt what is sent (default true; false only while
 *   encryption is being turned on)</td></tr>
 *   <tr><td>{@code serializableClasses}</td><td>comma-separated class patterns ({@code com.example.Dto},
 *   {@code com.example.*}, {@code com.example.**}) that Java-serialized shared-data values may contain beyond the
 *   JDK's value types (default none)</td></tr>
 *   <tr><td>{@code clusterSerializableClasses}</td><td>comma-separated class names, or package prefixes ending in
 *   {@code .}, of the ClusterSerializable values this member may create (default {@code io.vertx.})</td></tr>
 *   <tr><td>{@code tlsCertPath}, {@code tlsKeyPath}, {@code tlsTrustPath}</td><td>PEM files: this member's
 *   certificate (chain) and key, and the CA certificates it trusts, for mutual TLS on the gossip streams (with
 *   keys; default none). {@link #setTlsKeyCert} and {@link #setTlsTrust} take any Vert.x key and trust options
 *   instead</td></tr>
 * </table>
 */
public final class GossipOptions {

  public static final String DEFAULT_CLUSTER_NAME = "vertx-gossip";
  /** The default port range: memberlist's port and the nine after it. */
  public static final int DEFAULT_FIRST_PORT = 7946;
  public static final int DEFAULT_PORT_COUNT = 10;
  static final String PROPERTY_PREFIX = "vertx.gossip.";
  static final String ENV_PREFIX = "VERTX_GOSSIP_";
  static final String CONFIG_KEY = "config";

  private static final List<String> KEYS = List.of("clusterName", "host", "publicHost", "port", "seeds", "dns",
      "dnsServer", "profile", "ackTimeout", "minimumMembers", "keys", "keysFile", "verifyIncoming", "verifyOutgoing",
      "serializableClasses", "clusterSerializableClasses", "tlsCertPath", "tlsKeyPath", "tlsTrustPath");
  /** Options whose values are secrets: masked in logs, in {@link #toString()} and in error messages. */
  private static final Set<String> SECRET = Set.of("keys");

  private String clusterName = DEFAULT_CLUSTER_NAME;
  private String host;
  private String publicHost;
  private int port = -1;
  private List<String> seeds = List.of();
  private String dns;
  private String dnsServer;
  private String profile = "lan";
  private long ackTimeout = 5000;
  private int minimumMembers;
  private List<String> keys = List.of();
  private String keysFile;
  private boolean verifyIncoming = true;
  private boolean verifyOutgoing = true;
  private List<String> serializableClasses = List.of();
  private List<String> clusterSerializableClasses = List.of(ValueFilter.DEFAULT_CLUSTER_SERIALIZABLE);
  private String tlsCertPath;
  private String tlsKeyPath;
  private String tlsTrustPath;
  /** Set by the programmatic TLS setters only (not JSON); they win over the PEM paths. */
  private KeyCertOptions tlsKeyCert;
  private TrustOptions tlsTrust;
  /** Keys set by a setter or a JSON constructor: they win over every other source. */
  private final Set<String> explicit = new LinkedHashSet<>();

  public GossipOptions() {
  }

  public GossipOptions(GossipOptions other) {
    fromJson(other.toJson(), "a copy");
    explicit.clear();
    explicit.addAll(other.explicit);
    tlsKeyCert = other.tlsKeyCert == null ? null : other.tlsKeyCert.copy();
    tlsTrust = other.tlsTrust == null ? null : other.tlsTrust.copy();
  }

  /** Options from JSON; every key given counts as set programmatically. */
  public GossipOptions(JsonObject json) {
    fromJson(json, "JSON options");
    explicit.addAll(json.fieldNames());
  }

  // ---- accessors ---------------------------------------------------------------------------------------------

  public String getClusterName() {
    return clusterName;
  }

  public GossipOptions setClusterName(String clusterName) {
    this.clusterName = check("clusterName", clusterName, "setter", GossipOptions::validClusterName);
    explicit.add("clusterName");
    return this;
  }

  public String getHost() {
    return host;
  }

  public GossipOptions setHost(String host) {
    this.host = host;
    explicit.add("host");
    return this;
  }

  public String getPublicHost() {
    return publicHost;
  }

  public GossipOptions setPublicHost(String publicHost) {
    this.publicHost = publicHost;
    explicit.add("publicHost");
    return this;
  }

  /** The port, or -1 for the first free one of the default range. */
  public int getPort() {
    return port;
  }

  public GossipOptions setPort(int port) {
    set("port", Integer.toString(port), "setter");
    explicit.add("port");
    return this;
  }

  public List<String> getSeeds() {
    return seeds;
  }

  public GossipOptions setSeeds(List<String> seeds) {
    set("seeds", String.join(",", seeds), "setter");
    explicit.add("seeds");
    return this;
  }

  public String getDns() {
    return dns;
  }

  public GossipOptions setDns(String dns) {
    this.dns = dns;
    explicit.add("dns");
    return this;
  }

  public String getDnsServer() {
    return dnsServer;
  }

  public GossipOptions setDnsServer(String dnsServer) {
    set("dnsServer", dnsServer, "setter");
    explicit.add("dnsServer");
    return this;
  }

  public String getProfile() {
    return profile;
  }

  public GossipOptions setProfile(String profile) {
    set("profile", profile, "setter");
    explicit.add("profile");
    return this;
  }

  public long getAckTimeout() {
    return ackTimeout;
  }

  public GossipOptions setAckTimeout(long ackTimeoutMs) {
    set("ackTimeout", Long.toString(ackTimeoutMs), "setter");
    explicit.add("ackTimeout");
    return this;
  }

  /** The quorum below which every shared-data read and write fails at once (0: no quorum). */
  public int getMinimumMembers() {
    return minimumMembers;
  }

  public GossipOptions setMinimumMembers(int minimumMembers) {
    set("minimumMembers", Integer.toString(minimumMembers), "setter");
    explicit.add("minimumMembers");
    return this;
  }

  /** The cluster keys in base64, the primary first (empty: traffic is neither encrypted nor authenticated). */
  public List<String> getKeys() {
    return keys;
  }

  /** Sets the cluster keys (base64 of 32 random bytes each, the first one primary). */
  public GossipOptions setKeys(List<String> keys) {
    set("keys", String.join(",", keys), "setter");
    explicit.add("keys");
    return this;
  }

  public String getKeysFile() {
    return keysFile;
  }

  /** A file holding the keys, comma- or line-separated, the first one primary (read when the node joins). */
  public GossipOptions setKeysFile(String keysFile) {
    this.keysFile = blankToNull(keysFile);
    explicit.add("keysFile");
    return this;
  }

  public boolean isVerifyIncoming() {
    return verifyIncoming;
  }

  /** With keys: whether input that is not encrypted is refused (false only while turning encryption on). */
  public GossipOptions setVerifyIncoming(boolean verifyIncoming) {
    this.verifyIncoming = verifyIncoming;
    explicit.add("verifyIncoming");
    return this;
  }

  public boolean isVerifyOutgoing() {
    return verifyOutgoing;
  }

  /** With keys: whether what this node sends is encrypted (false only while turning encryption on). */
  public GossipOptions setVerifyOutgoing(boolean verifyOutgoing) {
    this.verifyOutgoing = verifyOutgoing;
    explicit.add("verifyOutgoing");
    return this;
  }

  public List<String> getSerializableClasses() {
    return serializableClasses;
  }

  /** Class patterns that Java-serialized values may contain beyond the JDK's value types. */
  public GossipOptions setSerializableClasses(List<String> patterns) {
    set("serializableClasses", String.join(",", patterns), "setter");
    explicit.add("serializableClasses");
    return this;
  }

  public List<String> getClusterSerializableClasses() {
    return clusterSerializableClasses;
  }

  /** Class names, or package prefixes ending in {@code .}, of the ClusterSerializable values members may create. */
  public GossipOptions setClusterSerializableClasses(List<String> classes) {
    set("clusterSerializableClasses", String.join(",", classes), "setter");
    explicit.add("clusterSerializableClasses");
    return this;
  }

  public String getTlsCertPath() {
    return tlsCertPath;
  }

  /** A PEM file with this member's certificate (chain), for mutual TLS on the gossip streams. */
  public GossipOptions setTlsCertPath(String path) {
    this.tlsCertPath = blankToNull(path);
    explicit.add("tlsCertPath");
    return this;
  }

  public String getTlsKeyPath() {
    return tlsKeyPath;
  }

  /** A PEM file with this member's private key (PKCS#8 or PKCS#1). */
  public GossipOptions setTlsKeyPath(String path) {
    this.tlsKeyPath = blankToNull(path);
    explicit.add("tlsKeyPath");
    return this;
  }

  public String getTlsTrustPath() {
    return tlsTrustPath;
  }

  /** A PEM file with the CA certificates this member trusts (the cluster's CA only, normally). */
  public GossipOptions setTlsTrustPath(String path) {
    this.tlsTrustPath = blankToNull(path);
    explicit.add("tlsTrustPath");
    return this;
  }

  /** This member's certificate and key for TLS on the gossip streams, as any Vert.x key options (JKS, PKCS#12, PEM). */
  public GossipOptions setTlsKeyCert(KeyCertOptions keyCert) {
    this.tlsKeyCert = keyCert;
    return this;
  }

  /** The certificates this member trusts for TLS on the gossip streams, as any Vert.x trust options. */
  public GossipOptions setTlsTrust(TrustOptions trust) {
    this.tlsTrust = trust;
    return this;
  }

  /** Whether TLS on the streams is configured. */
  public boolean hasTls() {
    return tlsKeyCert != null || tlsTrust != null || tlsCertPath != null || tlsKeyPath != null
        || tlsTrustPath != null;
  }

  /**
   * The key and trust options for TLS on the streams: the programmatic ones, else the PEM paths.
   *
   * @throws IllegalArgumentException when only some of them are set (mutual TLS needs a certificate, its key and
   *                                  a trust store)
   */
  public KeyCertOptions tlsKeyCert() {
    if (tlsKeyCert != null) {
      return tlsKeyCert;
    }
    if (tlsCertPath == null || tlsKeyPath == null) {
      throw new IllegalArgumentException("vertx-gossip configuration: TLS needs 'tlsCertPath' and 'tlsKeyPath' "
          + "(or setTlsKeyCert) as well as 'tlsTrustPath' (or setTlsTrust)");
    }
    return new PemKeyCertOptions().setCertPath(tlsCertPath).setKeyPath(tlsKeyPath);
  }

  /** See {@link #tlsKeyCert()}. */
  public TrustOptions tlsTrust() {
    if (tlsTrust != null) {
      return tlsTrust;
    }
    if (tlsTrustPath == null) {
      throw new IllegalArgumentException("vertx-gossip configuration: TLS needs 'tlsTrustPath' (or setTlsTrust): "
          + "the CA certificates a peer's certificate must chain to");
    }
    return new PemTrustOptions().addCertPath(tlsTrustPath);
  }

  // ---- JSON ----------------------------------------------------------------------------------------------------

  /** Every option, keys included: a copy of these options. Log {@link #toString()} instead, which masks them. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("clusterName", clusterName).put("port", port)
        .put("seeds", new JsonArray(new ArrayList<>(seeds))).put("profile", profile).put("ackTimeout", ackTimeout)
        .put("minimumMembers", minimumMembers).put("verifyIncoming", verifyIncoming)
        .put("verifyOutgoing", verifyOutgoing)
        .put("serializableClasses", new JsonArray(new ArrayList<>(serializableClasses)))
        .put("clusterSerializableClasses", new JsonArray(new ArrayList<>(clusterSerializableClasses)));
    putIfSet(json, "host", host);
    putIfSet(json, "publicHost", publicHost);
    putIfSet(json, "dns", dns);
    putIfSet(json, "dnsServer", dnsServer);
    putIfSet(json, "keysFile", keysFile);
    putIfSet(json, "tlsCertPath", tlsCertPath);
    putIfSet(json, "tlsKeyPath", tlsKeyPath);
    putIfSet(json, "tlsTrustPath", tlsTrustPath);
    json.put("keys", new JsonArray(new ArrayList<>(keys)));
    return json;
  }

  /** {@link #toJson()} with each key replaced by its fingerprint: what may be logged. */
  public JsonObject toMaskedJson() {
    return toJson().put("keys", new JsonArray(keys.stream().map(k -> "fingerprint:" + Keyring.fingerprint(k))
        .toList()));
  }

  private static void putIfSet(JsonObject json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  private void fromJson(JsonObject json, String source) {
    for (Map.Entry<String, Object> e : json) {
      Object v = e.getValue();
      String text;
      if (v instanceof JsonArray a) {
        List<String> parts = new ArrayList<>();
        a.forEach(x -> parts.add(String.valueOf(x)));
        text = String.join(",", parts);
      } else {
        text = v == null ? null : String.valueOf(v);
      }
      set(e.getKey(), text, source);
    }
  }

  // ---- sources ---------------------------------------------------------------------------------------------------

  /**
   * The options in effect: these (their explicitly set keys), over system properties, over the environment, over
   * the configuration file, over defaults.
   *
   * @throws IllegalArgumentException naming the key and its source, for unknown keys, bad values or an unreadable
   *                                  file
   */
  public GossipOptions effective(Map<String, String> systemProperties, Map<String, String> environment,
                                 ClassLoader loader) {
    GossipOptions out = new GossipOptions();
    Map<String, String> props = new LinkedHashMap<>();
    systemProperties.forEach((k, v) -> {
      if (k.startsWith(PROPERTY_PREFIX)) {
        props.put(k.substring(PROPERTY_PREFIX.length()), v);
      }
    });
    Map<String, String> env = new LinkedHashMap<>();
    environment.forEach((k, v) -> {
      if (k.startsWith(ENV_PREFIX)) {
        env.put(camel(k.substring(ENV_PREFIX.length())), v);
      }
    });
    String file = props.containsKey(CONFIG_KEY) ? props.get(CONFIG_KEY) : env.get(CONFIG_KEY);
    JsonObject fromFile = readFile(file, loader);
    if (fromFile != null) {
      out.fromJson(fromFile, file == null ? "classpath:gossip.json" : file);
    }
    env.forEach((k, v) -> {
      if (!k.equals(CONFIG_KEY)) {
        out.set(k, v, "environment variable " + ENV_PREFIX + snake(k));
      }
    });
    props.forEach((k, v) -> {
      if (!k.equals(CONFIG_KEY)) {
        out.set(k, v, "system property " + PROPERTY_PREFIX + k);
      }
    });
    out.tlsKeyCert = tlsKeyCert; // programmatic only: no other source has them
    out.tlsTrust = tlsTrust;
    JsonObject mine = toJson();
    for (String key : explicit) {
      out.set(key, mine.getValue(key) == null ? null : String.valueOf(
          mine.getValue(key) instanceof JsonArray a ? String.join(",", a.stream().map(String::valueOf).toList())
              : mine.getValue(key)), "setter");
    }
    return out;
  }

  /** {@link #effective(Map, Map, ClassLoader)} with this JVM's properties, environment and context class loader. */
  public GossipOptions effective() {
    Map<String, String> props = new LinkedHashMap<>();
    System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return effective(props, System.getenv(), loader != null ? loader : GossipOptions.class.getClassLoader());
  }

  private static JsonObject readFile(String location, ClassLoader loader) {
    String text;
    String where = location == null ? "classpath:gossip.json" : location;
    try {
      if (location == null || location.startsWith("classpath:")) {
        String name = location == null ? "gossip.json" : location.substring("classpath:".length());
        try (InputStream in = loader.getResourceAsStream(name)) {
          if (in == null) {
            if (location == null) {
              return null;
            }
            throw new IllegalArgumentException("vertx-gossip configuration: " + where + " not found");
          }
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } else {
        text = Files.readString(Path.of(location));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("vertx-gossip configuration: cannot read " + where + ": " + e.getMessage(),
          e);
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("vertx-gossip configuration: " + where + " is not a JSON object: "
          + e.getMessage(), e);
    }
  }

  /** Sets one option from text, failing with a message that names the key, the source and what was expected. */
  private void set(String key, String value, String source) {
    switch (key) {
      case "clusterName" -> clusterName = check(key, value, source, GossipOptions::validClusterName);
      case "host" -> host = blankToNull(value);
      case "publicHost" -> publicHost = blankToNull(value);
      case "port" -> port = (int) number(key, value, source, -1, 65535);
      case "seeds" -> seeds = check(key, value, source, GossipOptions::parseSeeds);
      case "dns" -> dns = blankToNull(value);
      case "dnsServer" -> dnsServer = check(key, value, source, v -> {
        String s = blankToNull(v);
        if (s != null) {
          NodeAddress.parse(s);
        }
        return s;
      });
      case "profile" -> profile = check(key, value, source, v -> Profile.parse(v).name().toLowerCase(Locale.ROOT));
      case "ackTimeout" -> ackTimeout = number(key, value, source, 1, 3_600_000);
      case "minimumMembers" -> minimumMembers = (int) number(key, value, source, 0, 100_000);
      case "keys" -> keys = check(key, value, source, GossipOptions::parseKeys);
      case "keysFile" -> keysFile = blankToNull(value);
      case "tlsCertPath" -> tlsCertPath = blankToNull(value);
      case "tlsKeyPath" -> tlsKeyPath = blankToNull(value);
      case "tlsTrustPath" -> tlsTrustPath = blankToNull(value);
      case "verifyIncoming" -> verifyIncoming = check(key, value, source, GossipOptions::bool);
      case "verifyOutgoing" -> verifyOutgoing = check(key, value, source, GossipOptions::bool);
      case "serializableClasses" -> serializableClasses = check(key, value, source, v -> {
        List<String> patterns = list(v);
        new ValueFilter(patterns, List.of()); // parses them now, not at the first read
        return patterns;
      });
      case "clusterSerializableClasses" -> clusterSerializableClasses = check(key, value, source,
          GossipOptions::list);
      default -> throw new IllegalArgumentException("vertx-gossip configuration: unknown option '" + key + "' from "
          + source + " (known: " + String.join(", ", KEYS) + ")");
    }
  }

  private static long number(String key, String value, String source, long min, long max) {
    return check(key, value, source, v -> {
      long n = Long.parseLong(v.trim());
      if (n < min || n > max) {
        throw new IllegalArgumentException("expected " + min + " to " + max);
      }
      return n;
    });
  }

  private interface Parser<T> {
    T parse(String value);
  }

  private static <T> T check(String key, String value, String source, Parser<T> parser) {
    try {
      return parser.parse(Objects.requireNonNull(value, "a value is required"));
    } catch (RuntimeException e) {
      String why = e instanceof NumberFormatException ? "expected a number" : e.getMessage();
      String shown = SECRET.contains(key) ? "(not shown)" : "'" + value + "'";
      throw new IllegalArgumentException("vertx-gossip configuration: bad value " + shown + " for '" + key
          + "' from " + source + ": " + why, SECRET.contains(key) ? null : e);
    }
  }

  private static String validClusterName(String v) {
    if (v.isBlank() || v.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("expected 1 to 255 bytes");
    }
    return v;
  }

  private static List<String> parseSeeds(String v) {
    List<String> out = new ArrayList<>();
    for (String part : v.split(",")) {
      if (!part.isBlank()) {
        out.add(NodeAddress.parse(part.trim()).toString());
      }
    }
    return List.copyOf(out);
  }

  private static List<String> parseKeys(String v) {
    List<String> out = list(v);
    Keyring.of(out); // each must be base64 of 32 bytes; the message names the key's position, never its bytes
    return out;
  }

  private static List<String> list(String v) {
    List<String> out = new ArrayList<>();
    for (String part : v.split("[,\\s]+")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return List.copyOf(out);
  }

  private static boolean bool(String v) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  /**
   * The keyring these options describe: {@code keys}, or the keys in {@code keysFile} (read now); empty when
   * neither is set.
   *
   * @throws IllegalArgumentException both are set, the file cannot be read, or a key is not base64 of 32 bytes
   */
  public Keyring keyring() {
    if (keysFile == null) {
      return Keyring.of(keys);
    }
    if (!keys.isEmpty()) {
      throw new IllegalArgumentException("vertx-gossip configuration: set 'keys' or 'keysFile', not both");
    }
    String text;
    try {
      text = Files.readString(Path.of(keysFile));
    } catch (IOException e) {
      throw new IllegalArgumentException("vertx-gossip configuration: cannot read keysFile " + keysFile + ": "
          + e.getMessage(), e);
    }
    try {
      Keyring ring = Keyring.of(list(text));
      if (ring.isEmpty()) {
        throw new IllegalArgumentException("it holds no key");
      }
      return ring;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("vertx-gossip configuration: keysFile " + keysFile + ": " + e.getMessage());
    }
  }

  /** The shared-data value filter these options describe. */
  public ValueFilter valueFilter() {
    return new ValueFilter(serializableClasses, clusterSerializableClasses);
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** CLUSTER_NAME to clusterName. */
  static String camel(String snake) {
    StringBuilder sb = new StringBuilder();
    boolean upper = false;
    for (char c : snake.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
  }

  static String snake(String camel) {
    return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  /** The options with keys masked. */
  @Override
  public String toString() {
    return toMaskedJson().encode();
  }
}
