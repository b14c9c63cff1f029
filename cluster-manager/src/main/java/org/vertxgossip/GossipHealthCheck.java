package org.vertxgossip;

import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.util.Locale;
import java.util.TreeMap;
import org.vertxgossip.membership.MemberState;

/**
 * Procedures for {@code io.vertx:vertx-health-check} (an optional dependency: only this class needs it), to wire
 * to a load balancer's or Kubernetes' probes:
 *
 * <pre>{@code
 * HealthChecks checks = HealthChecks.create(vertx)
 *     .register("cluster", GossipHealthCheck.readiness(clusterManager));
 * router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(checks));
 * }</pre>
 *
 * <p>{@link #readiness} is UP when this member is in a view, holds every node's state and every shared-data store
 * (its state transfer is done), and the view has at least {@code minimumMembers} members (1 when unset); DOWN with
 * the reason otherwise. {@link #liveness} is DOWN only once the member stopped for good. The data of both carry the
 * view id and size, the coordinator, the members counted by state, whether the state transfer is done, the members
 * whose event bus this member cannot reach, and the dropped input per reason.
 */
public final class GossipHealthCheck {

  private GossipHealthCheck() {
  }

  /** {@link #readiness} of the gossip cluster manager of {@code vertx}, as Hazelcast's {@code ClusterHealthCheck}. */
  public static Handler<Promise<Status>> createProcedure(Vertx vertx) {
    if (!(((VertxInternal) vertx).clusterManager() instanceof GossipClusterManager cm)) {
      throw new IllegalArgumentException("vertx-gossip: this Vert.x instance does not run GossipClusterManager");
    }
    return readiness(cm);
  }

  /** UP when this member can serve: in a view of at least {@code minimumMembers}, its state transfer done. */
  public static Handler<Promise<Status>> readiness(GossipClusterManager clusterManager) {
    return promise -> clusterManager.snapshotAsync().onComplete(ar -> promise.tryComplete(ar.succeeded()
        ? readinessOf(ar.result(), minimumMembers(clusterManager))
        : Status.KO(new JsonObject().put("reason", "no snapshot: " + ar.cause()))));
  }

  /**
   * DOWN only when the member stopped (it left, or its join failed): a member that waits for a quorum or is cut
   * off stays alive, since restarting it would not help.
   */
  public static Handler<Promise<Status>> liveness(GossipClusterManager clusterManager) {
    return promise -> clusterManager.snapshotAsync().onComplete(ar -> {
      if (ar.failed()) {
        promise.tryComplete(Status.KO(new JsonObject().put("reason", "no snapshot: " + ar.cause())));
        return;
      }
      JsonObject data = dataOf(ar.result(), minimumMembers(clusterManager));
      promise.tryComplete("stopped".equals(data.getString("state"))
          ? Status.KO(data.put("reason", "the cluster manager stopped")) : Status.OK(data));
    });
  }

  private static int minimumMembers(GossipClusterManager cm) {
    return cm.settings() == null ? 1 : Math.max(1, cm.settings().minimumMembers());
  }

  /** The readiness verdict on one snapshot ({@link GossipClusterManager#snapshot()}). */
  static Status readinessOf(JsonObject snapshot, int minimumMembers) {
    JsonObject data = dataOf(snapshot, minimumMembers);
    String state = data.getString("state");
    if (!"member".equals(state)) {
      return Status.KO(data.put("reason", "not in a view (" + state + ")"));
    }
    if (!data.getBoolean("stateTransferDone", false)) {
      return Status.KO(data.put("reason", "state transfer not done"));
    }
    int size = data.getInteger("viewSize", 0);
    if (size < minimumMembers) {
      return Status.KO(data.put("reason", "view of " + size + " below minimumMembers " + minimumMembers));
    }
    return Status.OK(data);
  }

  private static JsonObject dataOf(JsonObject s, int minimumMembers) {
    JsonObject data = new JsonObject().put("nodeId", s.getString("nodeId")).put("state", s.getString("state"))
        .put("viewId", s.getLong("viewId", 0L)).put("viewSize", s.getInteger("viewSize", 0))
        .put("coordinator", s.getString("coordinator")).put("minimumMembers", minimumMembers)
        .put("stateTransferDone", s.getBoolean("stateTransferDone", false));
    TreeMap<String, Integer> byState = new TreeMap<>();
    for (MemberState st : MemberState.values()) {
      byState.put(st.name().toLowerCase(Locale.ROOT), 0);
    }
    JsonArray members = s.getJsonArray("members", new JsonArray());
    for (int i = 0; i < members.size(); i++) {
      byState.merge(members.getJsonObject(i).getString("state").toLowerCase(Locale.ROOT), 1, Integer::sum);
    }
    data.put("members", new JsonObject(new java.util.LinkedHashMap<String, Object>(byState)));
    JsonObject eventBus = s.getJsonObject("eventBus");
    if (eventBus != null) {
      data.put("eventBus", eventBus);
    }
    data.put("dropped", s.getJsonObject("dropped", new JsonObject()));
    return data;
  }
}
