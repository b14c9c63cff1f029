package org.vertxgossip.it;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.node.ClusterNode;
import org.vertxgossip.replication.ByteKey;
import org.vertxgossip.replication.KeyedStores;
import org.vertxgossip.replication.StoredEntry;
import org.vertxgossip.shareddata.ValueCodec;

/**
 * For tests only, by reflection: what a member holds of a map key, and a divergence planted in its copy (as a bug
 * or a frame lost past every resend would leave it), which only anti-entropy can repair.
 */
final class StoreBackdoor {

  private StoreBackdoor() {
  }

  private static KeyedStores stores(GossipClusterManager cm) throws ReflectiveOperationException {
    Field node = GossipClusterManager.class.getDeclaredField("node");
    node.setAccessible(true);
    return ((ClusterNode) node.get(cm)).stores();
  }

  /** The SHA-256 of the value this member holds for {@code key} (whether or not it may answer it), or "absent". */
  static String peek(GossipClusterManager cm, String map, String key) throws Exception {
    byte[] v = stores(cm).get(map, ValueCodec.encode(key));
    return v == null ? "absent" : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(v));
  }

  /** Replaces this member's copy of {@code key} with an older entry holding {@code value}. */
  static void diverge(GossipClusterManager cm, String map, String key, String value) throws Exception {
    KeyedStores stores = stores(cm);
    Field tableField = KeyedStores.class.getDeclaredField("table");
    tableField.setAccessible(true);
    Object table = tableField.get(stores);
    ByteKey k = new ByteKey(ValueCodec.encode(key));
    Method get = table.getClass().getDeclaredMethod("get", String.class, ByteKey.class);
    Method put = table.getClass().getDeclaredMethod("put", String.class, ByteKey.class, StoredEntry.class);
    get.setAccessible(true);
    put.setAccessible(true);
    StoredEntry current = (StoredEntry) get.invoke(table, map, k);
    long older = current == null ? 1 : current.version() - 1;
    put.invoke(table, map, k, new StoredEntry(ValueCodec.encode(value), older, 0));
  }
}
