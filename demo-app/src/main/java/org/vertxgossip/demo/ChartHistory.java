package org.vertxgossip.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the dashboard's charts draw, one sample per second over the last {@link #CAPACITY} seconds: each member's
 * state as this node saw it ({@code OUT_OF_VIEW} for a live record outside the view, and before a record exists or
 * after it went), requests answered per node per wall-clock second (every node publishes its own count after each
 * second it answered some), and this node's gossip bytes per second in and out. Bounded; used on one event loop.
 */
final class ChartHistory {

  static final int CAPACITY = 300;

  private record Sample(long at, Map<String, String> states, long bytesIn, long bytesOut) {
  }

  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  /** Answers per wall-clock second and node, as the nodes report them (a second's report comes after it ends). */
  private final TreeMap<Long, Map<String, Long>> answered = new TreeMap<>();
  private long lastBytesIn = -1;
  private long lastBytesOut = -1;

  /** A node said it answered {@code count} requests in the wall-clock second {@code second}. */
  void answered(String node, long second, long count) {
    long now = System.currentTimeMillis() / 1000;
    if (second < now - CAPACITY || second > now + 5) {
      return; // outside what the charts show (or a clock far off)
    }
    Map<String, Long> bySecond = answered.computeIfAbsent(second, k -> new HashMap<>());
    if (bySecond.size() < 1_000) { // a bound, whatever arrives on the address
      bySecond.merge(node, count, Long::sum);
    }
    while (answered.size() > CAPACITY + 10) {
      answered.pollFirstEntry();
    }
  }

  /** Takes one sample from this node's latest snapshot. */
  void sample(JsonObject snapshot, long wallTimeMs) {
    Map<String, String> states = new LinkedHashMap<>();
    JsonArray members = snapshot.getJsonArray("members", new JsonArray());
    for (int i = 0; i < members.size(); i++) {
      JsonObject m = members.getJsonObject(i);
      String state = m.getString("state");
      boolean gone = "DEAD".equals(state) || "LEFT".equals(state);
      // A live record outside the view is joining (or cut off and not yet removed): out of view.
      states.put(m.getString("id"), m.getBoolean("inView", false) || gone ? state : "OUT_OF_VIEW");
    }
    JsonObject transport = snapshot.getJsonObject("transport");
    long inRate = 0;
    long outRate = 0;
    if (transport != null && transport.containsKey("bytesIn")) { // none while starting or once stopped
      long in = transport.getLong("bytesIn");
      long out = transport.getLong("bytesOut");
      inRate = lastBytesIn < 0 ? 0 : Math.max(0, in - lastBytesIn);
      outRate = lastBytesOut < 0 ? 0 : Math.max(0, out - lastBytesOut);
      lastBytesIn = in;
      lastBytesOut = out;
    }
    samples.addLast(new Sample(wallTimeMs, states, inRate, outRate));
    while (samples.size() > CAPACITY) {
      samples.removeFirst();
    }
  }

  /**
   * The samples as columns: {@code at}, {@code members} (id to states), {@code bytesIn}, {@code bytesOut}, and
   * {@code answered} (node to counts).
   */
  JsonObject toJson() {
    Set<String> memberIds = new LinkedHashSet<>();
    Set<String> nodes = new LinkedHashSet<>();
    samples.forEach(s -> memberIds.addAll(s.states().keySet()));
    answered.values().forEach(m -> nodes.addAll(m.keySet()));
    JsonArray at = new JsonArray();
    JsonArray in = new JsonArray();
    JsonArray out = new JsonArray();
    JsonObject members = new JsonObject();
    JsonObject perNode = new JsonObject();
    memberIds.forEach(id -> members.put(id, new JsonArray()));
    nodes.forEach(n -> perNode.put(n, new JsonArray()));
    for (Sample s : samples) {
      at.add(s.at());
      in.add(s.bytesIn());
      out.add(s.bytesOut());
      memberIds.forEach(id -> members.getJsonArray(id).add(s.states().getOrDefault(id, "OUT_OF_VIEW")));
      // A sample stands for the second before it: the one its byte counts cover.
      Map<String, Long> second = answered.getOrDefault(s.at() / 1000 - 1, Map.of());
      nodes.forEach(n -> perNode.getJsonArray(n).add(second.getOrDefault(n, 0L)));
    }
    return new JsonObject().put("at", at).put("members", members).put("bytesIn", in).put("bytesOut", out)
        .put("answered", perNode);
  }
}
