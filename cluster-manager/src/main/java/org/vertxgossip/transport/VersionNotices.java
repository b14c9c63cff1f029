package org.vertxgossip.transport;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Members of different major protocol versions refuse each other's input, and say so on both sides: the receiver
 * logs one WARNING per source host and answers with a notice (at most one per host every {@link #NOTICE_EVERY_MS});
 * the sender, on the notice, logs one WARNING per refusing host. Bounded: both remember the last {@link #MAX_HOSTS}
 * hosts (a host forgotten is told and said again). On the transport's loop.
 */
final class VersionNotices {

  private static final System.Logger LOG = System.getLogger(GossipTransport.class.getName());
  static final long NOTICE_EVERY_MS = 5_000;
  static final int MAX_HOSTS = 1024;
  static final String RULES = "src-docs/operations.md#rolling-restarts-and-upgrades";

  private final String cluster;
  private final int version;
  private final Map<String, Long> noticed = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > MAX_HOSTS;
    }
  };
  /** Hosts already said, least recent first: a flood of sources pushes old ones out rather than silencing new ones. */
  private final Map<String, Boolean> said = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > MAX_HOSTS;
    }
  };

  VersionNotices(String cluster, int version) {
    this.cluster = cluster;
    this.version = version;
  }

  /** Input of major version {@code theirs} from {@code from}: says so once; whether to send it a notice now. */
  boolean refused(InetSocketAddress from, int theirs, long now) {
    String host = host(from);
    sayOnce("in " + host, "vertx-gossip [" + cluster + "]: refused input from " + host + ": it speaks protocol "
        + "version " + theirs + ", this node speaks " + version + "; members of different major versions cannot "
        + "form one cluster (" + RULES + "). It is told so; counted as UNKNOWN_VERSION, said once per host");
    Long last = noticed.get(host);
    if (last != null && now - last < NOTICE_EVERY_MS) {
      return false;
    }
    noticed.put(host, now);
    return true;
  }

  /** A notice from {@code from}, which speaks version {@code theirs}: says so once per host. */
  void noticed(InetSocketAddress from, int theirs) {
    String host = host(from);
    sayOnce("notice " + host, "vertx-gossip [" + cluster + "]: " + host + " refuses this node's input: it speaks "
        + "protocol version " + theirs + ", this node speaks " + version + "; members of different major versions "
        + "cannot form one cluster (" + RULES + "). Counted as VERSION_REFUSED, said once per host");
  }

  private void sayOnce(String key, String line) {
    if (said.put(key, Boolean.TRUE) == null) {
      LOG.log(Level.WARNING, line);
    }
  }

  private static String host(InetSocketAddress a) {
    return a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
  }
}
