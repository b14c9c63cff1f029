package org.vertxgossip.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vertxgossip.membership.wire.Message.Alive;
import org.vertxgossip.membership.wire.Message.Dead;
import org.vertxgossip.membership.wire.Message.JoinRequest;
import org.vertxgossip.membership.wire.Message.PushPull;
import org.vertxgossip.membership.wire.Message.ViewDelta;
import org.vertxgossip.membership.wire.Message.ViewSync;

/** View sequencing on one node: founding, admission, in-order delivery, hand-over and leave. */
class ViewSequencerTest {

  private final Random random = new Random(9);

  private static ViewDelta delta(View from, View to, NodeId coordinator, List<NodeId> removed, List<NodeId> added) {
    return new ViewDelta(to.id(), coordinator, from.hash(), to.hash(), removed, added);
  }

  /** Starts {@code n} and has it admitted into view {@code id} = [coordinator, n, others…] by a full sync. */
  private static View admitted(Node n, NodeId coordinator, long id, NodeId... others) {
    n.m.start(List.of(Node.addressOf(1)));
    n.packet(new Alive(coordinator, 1, Node.addressOf(1), new byte[0]));
    List<NodeId> members = new java.util.ArrayList<>(List.of(coordinator, n.id));
    for (int i = 0; i < others.length; i++) {
      n.packet(new Alive(others[i], 1, Node.addressOf(2 + i), new byte[0]));
      members.add(others[i]);
    }
    View v = View.of(id, members);
    n.stream(new ViewSync(new ViewSummary(id, v.hash(), members.size(), coordinator, Node.addressOf(1)), List.of(),
        v.members(), false));
    return v;
  }

  /** {@code n} founds a view alone, then admits {@code joiner}: view 2 = [n, joiner], at t = 1300 ms. */
  private static void foundAndAdmit(Node n, NodeId joiner) {
    n.m.start(List.of());
    n.env.advanceTo(n.m, 1000);
    n.stream(new JoinRequest(new MemberRecord(joiner, Node.addressOf(1), 1, MemberState.ALIVE, new byte[0])));
    n.env.advanceTo(n.m, 1300);
    assertEquals(List.of(n.id, joiner), n.m.view().members());
  }

  @Test
  void aLoneNodeFoundsAndItsCoordinatorAdmitsJoinersInBatches() {
    Node n = new Node(NodeId.random(random));
    n.m.start(List.of());
    n.env.advanceTo(n.m, 1000);
    assertEquals(1, n.views.size());
    assertEquals(List.of(n.id), n.views.get(0).members());
    assertTrue(n.m.isCoordinator());
    NodeId j1 = NodeId.random(random);
    NodeId j2 = NodeId.random(random);
    n.stream(new JoinRequest(new MemberRecord(j1, Node.addressOf(1), 1, MemberState.ALIVE, new byte[0])));
    n.stream(new JoinRequest(new MemberRecord(j2, Node.addressOf(2), 1, MemberState.ALIVE, new byte[0])));
    n.env.advanceTo(n.m, 1300);
    View v2 = n.views.get(n.views.size() - 1);
    assertEquals(2, v2.id());
    assertEquals(List.of(n.id, j1, j2), v2.members(), "join order: the coordinator first, then arrivals");
    List<ViewDelta> deltas = n.env.sentOf(ViewDelta.class);
    assertTrue(deltas.stream().anyMatch(d -> d.id() == 2 && d.added().equals(List.of(j1, j2))));
    assertTrue(n.env.sentOf(ViewSync.class).stream().anyMatch(s -> s.isFull() && s.summary().id() == 2),
        "each joiner gets the whole view to start from");
  }

  @Test
  void theCoordinatorRemovesConfirmedDeathsAndLeaves() {
    Node n = new Node(NodeId.random(random));
    NodeId j = NodeId.random(random);
    foundAndAdmit(n, j);
    n.packet(new Dead(j, 1, j));
    n.env.advanceTo(n.m, 1600);
    View last = n.views.get(n.views.size() - 1);
    assertEquals(List.of(n.id), last.members());
    assertEquals(3, last.id());
  }

  @Test
  void theCoordinatorIssuesARemovalAtOnceNotAtItsNextTick() {
    Node n = new Node(NodeId.random(random));
    NodeId j = NodeId.random(random);
    foundAndAdmit(n, j);
    n.env.advanceTo(n.m, 1350); // between two sequencing ticks (every 200 ms)
    n.packet(new Dead(j, 1, j));
    n.env.advanceTo(n.m, 1350);
    View last = n.views.get(n.views.size() - 1);
    assertEquals(List.of(n.id), last.members(), "the removal waited for the next tick");
  }

  @Test
  void theFounderAdmitsTheCandidatesItHeardWithoutWaitingForTheirJoinRequests() {
    Node n = new Node(new NodeId(0, 1));
    NodeId other = new NodeId(0, 2);
    n.m.start(List.of(Node.ADDRESS, Node.addressOf(1)));
    n.packet(new Alive(other, 1, Node.addressOf(1), new byte[0]));
    n.env.advanceTo(n.m, 1300);
    assertTrue(n.env.sentOf(JoinRequest.class).isEmpty());
    View last = n.views.get(n.views.size() - 1);
    assertEquals(List.of(n.id, other), last.members(), "the candidate heard in the discovery window is admitted");
  }

  @Test
  void deltasAreDeliveredStrictlyInOrderEvenWhenTheyArriveOutOfOrder() {
    NodeId coordinator = new NodeId(0, 1);
    Node n = new Node(NodeId.random(random));
    View v1 = admitted(n, coordinator, 1);
    NodeId a = NodeId.random(random);
    NodeId b = NodeId.random(random);
    View v2 = View.of(2, List.of(coordinator, n.id, a));
    View v3 = View.of(3, List.of(coordinator, n.id, a, b));
    n.packet(new Alive(a, 1, Node.addressOf(2), new byte[0]), new Alive(b, 1, Node.addressOf(3), new byte[0]));
    n.packet(delta(v2, v3, coordinator, List.of(), List.of(b)));
    assertEquals(1, n.views.size(), "view 3 waits for view 2");
    n.packet(delta(v1, v2, coordinator, List.of(), List.of(a)));
    assertEquals(List.of(1L, 2L, 3L), n.views.stream().map(View::id).toList());
    assertEquals(v3, n.views.get(2));
    n.packet(delta(v1, v2, coordinator, List.of(), List.of(a)));
    assertEquals(3, n.views.size(), "duplicates are ignored");
  }

  @Test
  void aMemberOfTheViewWhoseRecordGossipDoesNotBringIsFetchedFromTheIssuerThenAgainWithBackOff() {
    NodeId coordinator = new NodeId(0, 1);
    Node n = new Node(NodeId.random(random));
    View v1 = admitted(n, coordinator, 1);
    NodeId a = NodeId.random(random);
    View v2 = View.of(2, List.of(coordinator, n.id, a));
    n.env.sent.clear();
    n.packet(delta(v1, v2, coordinator, List.of(), List.of(a))); // the delta outran a's alive
    assertEquals(v2, n.m.view());
    long t = n.env.now;
    long round = Profile.LAN.config().gossipIntervalMs;
    n.env.advanceTo(n.m, t + round);
    assertEquals(0, n.m.stats().recordFetches, "not at once: gossip nearly always brings it within a few rounds");
    n.env.advanceTo(n.m, t + 3 * round + 1);
    assertEquals(1, n.m.stats().recordFetches, "asked once it was missing for the rounds a rumour takes");
    assertTrue(n.env.sent.stream().anyMatch(s -> s.stream() && s.to().equals(Node.addressOf(1))
        && s.message() instanceof PushPull pp && pp.phase() == PushPull.REQUEST && !pp.join()),
        "a digest exchange with the issuer, which holds a's record");
    n.env.advanceTo(n.m, t + 5 * round);
    assertEquals(1, n.m.stats().recordFetches, "the next one waits twice as long");
    n.env.advanceTo(n.m, t + 8 * round + 1);
    assertEquals(2, n.m.stats().recordFetches, "asked again while a's record is still missing");
    n.env.advanceTo(n.m, t + 200 * round);
    long cap = 200 / ViewSequencer.MAX_FETCH_WAIT_ROUNDS + 4;
    assertTrue(n.m.stats().recordFetches <= cap, "at most one per " + ViewSequencer.MAX_FETCH_WAIT_ROUNDS
        + " rounds once backed off: " + n.m.stats().recordFetches);
    n.packet(new Alive(a, 1, Node.addressOf(2), new byte[0]));
    long fetched = n.m.stats().recordFetches;
    n.env.advanceTo(n.m, t + 400 * round);
    assertEquals(fetched, n.m.stats().recordFetches, "nothing more once every member's record is here");
  }

  @Test
  void aRemovedMemberWhoseJoinWentToANonCoordinatorFollowsTheRedirectToTheCoordinator() {
    NodeId coordinator = new NodeId(0, 1);
    NodeId third = new NodeId(0, 2);
    Node n = new Node(NodeId.random(random));
    n.m.start(List.of(Node.addressOf(1)));
    n.packet(new Alive(coordinator, 1, Node.addressOf(1), new byte[0]),
        new Alive(third, 1, Node.addressOf(2), new byte[0]));
    View v5 = View.of(5, List.of(coordinator, third, n.id));
    n.stream(new ViewSync(new ViewSummary(5, v5.hash(), 3, coordinator, Node.addressOf(1)), List.of(),
        v5.members(), false));
    // Cut off, n wrongly believes the coordinator dead, and is removed: its own idea of the coordinator is third.
    n.packet(new Dead(coordinator, 1, third));
    View v6 = View.of(6, List.of(coordinator, third));
    n.packet(delta(v5, v6, coordinator, List.of(n.id), List.of()));
    assertFalse(n.m.inView());
    n.packet(new Alive(coordinator, 2, Node.addressOf(1), new byte[0]));
    long retry = Profile.LAN.config().joinRetryMs;
    n.env.sent.clear();
    n.env.advanceTo(n.m, n.env.now + retry + 1);
    assertTrue(joinsTo(n, Node.addressOf(2)), "its join goes to third, which is not the coordinator");
    // third redirects it with the view it follows, which names the coordinator.
    n.stream(new ViewSync(new ViewSummary(6, v6.hash(), 2, coordinator, Node.addressOf(1)), List.of(),
        v6.members(), false));
    n.env.sent.clear();
    n.env.advanceTo(n.m, n.env.now + 2 * retry + 1);
    assertTrue(joinsTo(n, Node.addressOf(1)), "after the redirect it asks the coordinator");
    assertFalse(joinsTo(n, Node.addressOf(2)), "and no longer the member that redirected it");
  }

  private static boolean joinsTo(Node n, NodeAddress to) {
    return n.env.sent.stream().anyMatch(s -> s.stream() && s.to().equals(to) && s.message() instanceof JoinRequest);
  }

  @Test
  void aDeltaThatDoesNotChainIsNotApplied() {
    NodeId coordinator = new NodeId(0, 1);
    Node n = new Node(NodeId.random(random));
    View v1 = admitted(n, coordinator, 1);
    View other = View.of(1, List.of(coordinator));
    assertFalse(other.hash() == v1.hash());
    View bad = View.of(2, List.of(coordinator, NodeId.random(random)));
    n.packet(delta(other, bad, coordinator, List.of(n.id), bad.members().subList(1, 2)));
    assertEquals(1, n.views.size());
    assertEquals(1, n.m.view().id());
  }

  @Test
  void whenTheCoordinatorDiesTheNextOldestTakesOver() {
    NodeId coordinator = new NodeId(0, 1);
    Node n = new Node(NodeId.random(random));
    NodeId third = NodeId.random(random);
    admitted(n, coordinator, 5, third);
    assertFalse(n.m.isCoordinator());
    n.packet(new Dead(coordinator, 1, third));
    assertTrue(n.m.isCoordinator(), "the second oldest is next");
    n.env.advanceTo(n.m, n.env.now + 300);
    View v2 = n.m.view();
    assertEquals(6, v2.id());
    assertEquals(List.of(n.id, third), v2.members());
    assertTrue(n.env.sentOf(ViewDelta.class).stream().anyMatch(d -> d.id() == 6 && d.removed().equals(List.of(
        coordinator))), "the new view goes out");
  }

  @Test
  void aLeavingCoordinatorHandsOverWithAViewWithoutItself() {
    Node n = new Node(NodeId.random(random));
    NodeId j = NodeId.random(random);
    foundAndAdmit(n, j);
    n.m.leave();
    View last = n.views.get(n.views.size() - 1);
    assertEquals(List.of(j), last.members());
    assertTrue(n.env.sentOf(Dead.class).stream().anyMatch(d -> d.node().equals(n.id) && d.isLeave()));
    n.env.advanceTo(n.m, 1300 + Profile.LAN.config().leaveTimeoutMs + 1);
    assertTrue(n.leaveCompleted, "leave ends within its bound");
    assertTrue(n.m.isStopped());
    int sent = n.env.sent.size();
    n.packet(new Alive(NodeId.random(random), 1, Node.addressOf(5), new byte[0]));
    n.env.advanceTo(n.m, 60_000);
    assertEquals(sent, n.env.sent.size(), "a node that left stays silent");
  }

  @Test
  void aLoneNodeFoundsWhenTheDiscoveryWindowEndsNotAtItsNextJoinRetry() {
    MembershipConfig lan = Profile.LAN.config();
    Node n = new Node(NodeId.random(random));
    n.m.start(List.of());
    n.env.advanceTo(n.m, lan.discoveryWindowMs - 1);
    assertTrue(n.views.isEmpty(), "founded inside the discovery window");
    n.env.advanceTo(n.m, lan.discoveryWindowMs);
    assertEquals(1, n.views.size(), "founded " + lan.discoveryWindowMs + " ms in, not at the join retry ("
        + lan.joinRetryMs + " ms)");

    // A seed among others listens for the whole window too.
    Node seed = new Node(NodeId.random(random));
    seed.m.start(List.of(Node.ADDRESS, Node.addressOf(1)));
    seed.env.advanceTo(seed.m, lan.discoveryWindowMs - 1);
    assertTrue(seed.views.isEmpty(), "a seed among others founded inside the window");
    seed.env.advanceTo(seed.m, lan.discoveryWindowMs);
    assertEquals(1, seed.views.size());
  }

  @Test
  void theOnlySeedConfiguredFoundsAtOnce() {
    Node n = new Node(NodeId.random(random));
    n.m.start(List.of(Node.ADDRESS));
    n.env.advanceTo(n.m, 0);
    assertEquals(1, n.views.size(), "no other node can found, so there is nothing to wait for");
    assertEquals(List.of(n.id), n.views.get(0).members());
  }

  @Test
  void aNodeWithSeedsButNoAnswerNeverFoundsAnIsland() {
    Node n = new Node(NodeId.random(random));
    n.m.start(List.of(Node.addressOf(1)));
    n.env.advanceTo(n.m, 30_000);
    assertTrue(n.views.isEmpty());
  }

  @Test
  void withFoundWhenAloneANonSeedFoundsOnlyIfItHeardOfNobody() {
    MembershipConfig.Builder b = Profile.LAN.config().toBuilder();
    b.foundWhenAlone = true;
    Node alone = new Node(NodeId.random(random), b.build());
    alone.m.start(List.of(Node.addressOf(1)));
    alone.env.advanceTo(alone.m, 1_000);
    assertEquals(1, alone.views.size(), "nobody answered: it founded");
    assertEquals(List.of(alone.id), alone.views.get(0).members());

    // One that has heard of a live member waits to join it past the discovery window, even with a smaller id.
    NodeId other = new NodeId(Long.MAX_VALUE, Long.MAX_VALUE);
    Node heard = new Node(new NodeId(0, 1), b.build());
    heard.m.start(List.of(Node.addressOf(1)));
    heard.packet(new Alive(other, 1, Node.addressOf(1), new byte[0]));
    heard.env.advanceTo(heard.m, 1_000);
    assertTrue(heard.views.isEmpty());
    assertEquals(MemberState.ALIVE, heard.stateOf(other), "still live, so still waited for");
  }
}
