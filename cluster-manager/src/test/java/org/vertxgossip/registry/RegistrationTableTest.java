package org.vertxgossip.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.replication.Change;

/** The NodeInfo lookups a reply depends on: known at once, awaited while in flight, bounded. */
class RegistrationTableTest {

  private final RegistrationTable table = new RegistrationTable();
  private final NodeId node = NodeId.random(new Random());
  private final NodeInfo info = new NodeInfo("10.0.0.7", 41234, new JsonObject().put("zone", "a"));

  @Test
  void aWaiterForANodeWhoseStateIsInFlightGetsItsNodeInfoWhenItArrives() {
    List<NodeInfo> got = new ArrayList<>();
    assertTrue(table.whenNodeInfo(node.toString(), got::add));
    assertEquals(List.of(), got, "nothing known yet");
    arrives();
    assertEquals(List.of(info), got);
    arrives(); // a later full state of the same node
    assertEquals(1, got.size(), "a waiter is answered once");

    List<NodeInfo> now = new ArrayList<>();
    assertTrue(table.whenNodeInfo(node.toString(), now::add));
    assertEquals(List.of(info), now, "a known node is answered at once");
  }

  @Test
  void aWaiterThatGaveUpIsNotAnswered() {
    List<NodeInfo> got = new ArrayList<>();
    Consumer<NodeInfo> waiter = got::add;
    assertTrue(table.whenNodeInfo(node.toString(), waiter));
    table.stopWaiting(node.toString(), waiter);
    arrives();
    assertEquals(List.of(), got);
  }

  @Test
  void waitersAreBounded() {
    for (int i = 0; i < NodeInfoWaiters.MAX_WAITERS; i++) {
      assertTrue(table.whenNodeInfo("n" + i, x -> { }));
    }
    assertFalse(table.whenNodeInfo("one-too-many", x -> { }));
    table.changed(NodeId.random(new Random()), List.of()); // unrelated changes leave the waiters alone
    assertFalse(table.whenNodeInfo("one-too-many", x -> { }));
  }

  private void arrives() {
    table.changed(node, List.of(new Change(OwnedKeys.NODE_INFO, null, RegistrationTable.encode(info))));
  }
}
