package org.vertxgossip;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.spi.cluster.NodeInfo;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.vertxgossip.registry.RegistrationTable;

/**
 * The join's self-check of the event bus: the cluster manager only carries each member's event-bus address; the
 * event bus then opens connections of its own. A member whose event bus this node cannot reach, or whose TLS
 * refuses this node's certificate (or the other way round), would silently lose every message sent to its
 * consumers. So once a member's NodeInfo is known, this node connects to it as the event bus would (same TLS
 * options), says at WARNING when that fails and why, and keeps the outcome for the snapshot.
 */
final class EventBusProbe {

  private static final System.Logger LOG = System.getLogger(GossipClusterManager.class.getName());
  private static final int CONNECT_TIMEOUT_MS = 3_000;
  /** How long a connection that opened must stay open to count as reachable. */
  private static final long SETTLE_MS = 500;

  private final Vertx vertx;
  private final RegistrationTable table;
  private final String self;
  private final NetClient client;
  /** Member id to "reachable" or the reason it is not. */
  private final Map<String, String> outcomes = new ConcurrentHashMap<>();

  EventBusProbe(Vertx vertx, RegistrationTable table, String self) {
    this.vertx = vertx;
    this.table = table;
    this.self = self;
    EventBusOptions eb = eventBusOptions(vertx);
    NetClientOptions o = new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS).setSsl(eb.isSsl())
        .setTrustAll(eb.isTrustAll()).setHostnameVerificationAlgorithm("");
    if (eb.getKeyCertOptions() != null) {
      o.setKeyCertOptions(eb.getKeyCertOptions().copy());
    }
    if (eb.getTrustOptions() != null) {
      o.setTrustOptions(eb.getTrustOptions().copy());
    }
    this.client = vertx.createNetClient(o);
  }

  /**
   * The event bus's own options, TLS included. Vert.x keeps them in the clustered event bus, out of the public API,
   * so they are read reflectively; where that is not allowed (a module path that does not open vertx-core), the
   * probe connects without TLS and says so at DEBUG.
   */
  private static EventBusOptions eventBusOptions(Vertx vertx) {
    try {
      java.lang.reflect.Field f = vertx.eventBus().getClass().getDeclaredField("options");
      f.setAccessible(true);
      return (EventBusOptions) f.get(vertx.eventBus());
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(Level.DEBUG, "vertx-gossip: cannot read the event bus's options (" + e + "); its probe goes "
          + "without TLS");
      return new EventBusOptions();
    }
  }

  /** Checks {@code member}'s event bus once its NodeInfo is here (now, or when it arrives). */
  void check(String member) {
    if (member.equals(self) || outcomes.containsKey(member)) {
      return;
    }
    outcomes.put(member, "checking");
    table.whenNodeInfo(member, info -> vertx.runOnContext(v -> connect(member, info)));
  }

  void forget(String member) {
    outcomes.remove(member);
  }

  private void connect(String member, NodeInfo info) {
    client.connect(info.port(), info.host()).onComplete(ar -> {
      if (ar.failed()) {
        unreachable(member, info, String.valueOf(ar.cause().getMessage()));
        return;
      }
      // Under TLS 1.3 the client's handshake ends before the server has judged the client's certificate: a
      // member that refuses it closes the connection right after, so wait a moment for that.
      NetSocket socket = ar.result();
      boolean[] closed = {false};
      socket.closeHandler(v -> closed[0] = true);
      vertx.setTimer(SETTLE_MS, t -> {
        if (closed[0]) {
          unreachable(member, info, "it closed the connection at once (its TLS refuses this node's certificate?)");
        } else {
          outcomes.put(member, "reachable");
          socket.close();
        }
      });
    });
  }

  private void unreachable(String member, NodeInfo info, String why) {
    outcomes.put(member, why);
    LOG.log(Level.WARNING, "vertx-gossip: the event bus of member " + member + " at " + info.host() + ":"
        + info.port() + " cannot be reached from here (" + why + "): event-bus messages to its consumers will "
        + "fail; check its clusterHost/clusterPublicHost and that both sides' event-bus TLS options trust each "
        + "other (src-docs/security.md)");
  }

  /** For the snapshot: each member checked, with "reachable" or the reason it is not. */
  JsonObject toJson() {
    JsonObject json = new JsonObject();
    outcomes.forEach(json::put);
    return json;
  }

  void close() {
    client.close();
  }
}
