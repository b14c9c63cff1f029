package org.vertxgossip.discovery;

import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.List;

/** A source of seed addresses, asked while joining and periodically after; answers on the gossip loop. */
public interface SeedProvider extends AutoCloseable {

  Future<List<InetSocketAddress>> seeds();

  /** What to print in the effective configuration. */
  String describe();

  @Override
  default void close() {
  }
}
