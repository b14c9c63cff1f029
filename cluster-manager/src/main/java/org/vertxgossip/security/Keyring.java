package org.vertxgossip.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster keys of one member: the primary key seals what this member sends, every key opens what it receives.
 * Rotation without downtime is three steps on every member, each finished everywhere before the next starts:
 * {@link #install} the new key, {@link #use} it, {@link #remove} the old one (src-docs/security.md). Safe to call
 * from any thread; the transport reads a snapshot per packet.
 *
 * <p>Keys are 32 random bytes (AES-256), given in base64; {@link #generate()} makes one. A key is named in logs
 * and APIs only by its fingerprint, never by its bytes.
 */
public final class Keyring {

  /** The bytes of an AES-256 key. */
  public static final int KEY_BYTES = 32;
  private static final byte[] ID_LABEL = "vertx-gossip key id".getBytes(StandardCharsets.US_ASCII);

  /** One key with the id that names it on the wire (4 bytes of a hash of the key: reveals nothing of it). */
  public record Key(int id, SecretKey secret) {
    /** The id in hex, the way logs and {@link Keyring#fingerprints()} name the key. */
    public String fingerprint() {
      return String.format("%08x", id);
    }

    @Override
    public String toString() {
      return "key " + fingerprint();
    }
  }

  /** What the transport reads: the primary first; immutable. */
  public record Snapshot(List<Key> keys) {
    public Key primary() {
      return keys.isEmpty() ? null : keys.get(0);
    }

    public Key byId(int id) {
      for (Key k : keys) {
        if (k.id == id) {
          return k;
        }
      }
      return null;
    }
  }

  private volatile Snapshot snapshot;

  private Keyring(List<Key> keys) {
    this.snapshot = new Snapshot(List.copyOf(keys));
  }

  /** An empty keyring: traffic is neither sealed nor opened. */
  public static Keyring empty() {
    return new Keyring(List.of());
  }

  /**
   * A keyring from base64 keys, the first one primary.
   *
   * @throws IllegalArgumentException naming the position of a key that is not base64 of 32 bytes, or a repeated key
   */
  public static Keyring of(List<String> base64Keys) {
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < base64Keys.size(); i++) {
      Key k = parse(base64Keys.get(i), "key " + (i + 1));
      for (Key other : keys) {
        if (other.id == k.id) {
          throw new IllegalArgumentException("key " + (i + 1) + " repeats an earlier key (" + k.fingerprint() + ")");
        }
      }
      keys.add(k);
    }
    return new Keyring(keys);
  }

  /** A new random key in base64. */
  public static String generate() {
    byte[] b = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  /** The fingerprint of a base64 key (what logs and {@link #fingerprints()} call it). */
  public static String fingerprint(String base64Key) {
    return parse(base64Key, "the key").fingerprint();
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  public boolean isEmpty() {
    return snapshot.keys().isEmpty();
  }

  /** The fingerprints of the keys, the primary first. */
  public List<String> fingerprints() {
    return snapshot.keys().stream().map(Key::fingerprint).toList();
  }

  /** Adds a key that opens input; the primary stays. Adding a key already here changes nothing. */
  public synchronized void install(String base64Key) {
    Key k = parse(base64Key, "the key");
    Snapshot s = snapshot;
    if (s.byId(k.id) != null) {
      return;
    }
    List<Key> keys = new ArrayList<>(s.keys());
    keys.add(k);
    snapshot = new Snapshot(List.copyOf(keys));
  }

  /** Makes an installed key the primary. */
  public synchronized void use(String base64Key) {
    Key k = parse(base64Key, "the key");
    Snapshot s = snapshot;
    Key installed = s.byId(k.id);
    if (installed == null) {
      throw new IllegalArgumentException(k + " is not installed; install it on every member first");
    }
    List<Key> keys = new ArrayList<>(s.keys());
    keys.remove(installed);
    keys.add(0, installed);
    snapshot = new Snapshot(List.copyOf(keys));
  }

  /** Removes a key that is not the primary; removing a key that is not here changes nothing. */
  public synchronized void remove(String base64Key) {
    Key k = parse(base64Key, "the key");
    Snapshot s = snapshot;
    Key installed = s.byId(k.id);
    if (installed == null) {
      return;
    }
    if (installed == s.primary()) {
      throw new IllegalArgumentException(k + " is the primary key; use another key first");
    }
    List<Key> keys = new ArrayList<>(s.keys());
    keys.remove(installed);
    snapshot = new Snapshot(List.copyOf(keys));
  }

  private static Key parse(String base64, String what) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(what + " is not base64");
    }
    if (bytes.length != KEY_BYTES) {
      throw new IllegalArgumentException(what + " has " + bytes.length + " bytes; an AES-256 key has " + KEY_BYTES
          + " (generate one with: head -c 32 /dev/urandom | base64)");
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(ID_LABEL);
      byte[] h = sha.digest(bytes);
      int id = ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
      Key k = new Key(id, new SecretKeySpec(bytes, "AES"));
      Arrays.fill(bytes, (byte) 0);
      return k;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "Keyring" + fingerprints();
  }
}
