package org.vertxgossip.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * What the dashboard shows, refreshed by its verticle: the cluster manager's snapshot, the demo's shared data, and
 * the membership changes this node saw between refreshes (the last {@link #MAX_EVENTS}). Used on one event loop.
 */
final class ClusterState {

  static final int MAX_EVENTS = 50;

  private final String nodeId;
  private final String dashboardUrl;
  private final Map<String, String> lastSeen = new HashMap<>();
  private final ArrayDeque<JsonObject> events = new ArrayDeque<>();
  private JsonObject current;

  ClusterState(String nodeId, String dashboardUrl) {
    this.nodeId = nodeId;
    this.dashboardUrl = dashboardUrl;
    this.current = new JsonObject().put("self", self()).put("snapshot", new JsonObject().put("state", "starting"));
  }

  JsonObject current() {
    return current;
  }

  /**
   * Takes a new snapshot and the demo's figures.
   *
   * @param handled    the cluster-wide count of handled requests, or null if it could not be read
   * @param dashboards node id to dashboard address, as the nodes published them
   */
  void update(JsonObject snapshot, Long handled, int mapSize, JsonObject dashboards, long wallTimeMs) {
    recordChanges(snapshot, wallTimeMs);
    JsonArray log = new JsonArray();
    events.descendingIterator().forEachRemaining(log::add);
    current = new JsonObject()
        .put("self", self())
        .put("snapshot", snapshot)
        .put("handled", handled)
        .put("mapSize", mapSize)
        .put("dashboards", dashboards)
        .put("events", log);
  }

  private JsonObject self() {
    return new JsonObject().put("nodeId", nodeId).put("dashboard", dashboardUrl);
  }

  /** One event per member whose state or membership of the view changed since the last snapshot. */
  private void recordChanges(JsonObject snapshot, long wallTimeMs) {
    JsonArray members = snapshot.getJsonArray("members");
    if (members == null) {
      return;
    }
    Map<String, String> seen = new HashMap<>();
    for (Object o : members) {
      JsonObject m = (JsonObject) o;
      String id = m.getString("id");
      String now = m.getString("state") + (m.getBoolean("inView", false) ? "" : " (not in view)");
      seen.put(id, now);
      String before = lastSeen.get(id);
      if (!now.equals(before)) {
        event(wallTimeMs, id, before == null ? "new" : before, now, m.getLong("incarnation"));
      }
    }
    for (Map.Entry<String, String> e : lastSeen.entrySet()) {
      if (!seen.containsKey(e.getKey())) {
        event(wallTimeMs, e.getKey(), e.getValue(), "forgotten", null);
      }
    }
    lastSeen.clear();
    lastSeen.putAll(seen);
  }

  private void event(long at, String member, String from, String to, Long incarnation) {
    events.addLast(new JsonObject()
        .put("at", Instant.ofEpochMilli(at).toString())
        .put("member", member)
        .put("from", from)
        .put("to", to)
        .put("incarnation", incarnation));
    while (events.size() > MAX_EVENTS) {
      events.pollFirst();
    }
  }
}
