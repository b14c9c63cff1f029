package org.vertxgossip.replication;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;

/**
 * Well-formed keyed-store frames an attacker would forge, encoded by the real codec: an apply that overwrites a
 * key, a pull that asks for every store, and anti-entropy digests that ask for entries.
 */
public final class ForgedStoreMessages {

  private ForgedStoreMessages() {
  }

  private static StoreCodec codec() {
    return new StoreCodec(1 << 20);
  }

  /** An apply of {@code value} to {@code key} of {@code map}, claimed by {@code owner} in view {@code viewId}. */
  public static byte[] apply(NodeId owner, NodeAddress ownerAddress, long viewId, String map, String key,
                             byte[] value) {
    StoredEntry entry = new StoredEntry(value, System.currentTimeMillis() << 12, 0);
    return codec().encode(new StoreMessage.Apply(owner, ownerAddress, 1, new Epoch(viewId, 0), 0, map,
        key.getBytes(StandardCharsets.UTF_8), entry, List.of()));
  }

  /** A joiner's pull of every store, answered to {@code replyTo}. */
  public static byte[] pull(NodeId from, NodeAddress replyTo, long viewId) {
    return codec().encode(new StoreMessage.Pull(from, replyTo, new Epoch(viewId, 0), 1));
  }

  /** Top-level digests of {@code map} that differ from everything, so that the receiver answers with more. */
  public static byte[] digests(NodeId from, NodeAddress replyTo, long viewId, String map) {
    long[] digests = new long[32];
    java.util.Arrays.fill(digests, 42);
    return codec().encode(new StoreMessage.Digests(from, replyTo, new Epoch(viewId, 0), map, 0, new int[0],
        digests));
  }
}
