package org.vertxgossip.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.vertxgossip.membership.FakeEnvironment.Sent;
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
    Node n = seedWithACoSeedAt1(new NodeId(0, 1));
    NodeId other = new NodeId(0, 2);
    n.env.advanceTo(n.m, 0);
    n.stream(answer(other, Node.addressOf(1), ViewSummary.NONE));
    n.env.advanceTo(n.m, 300);
    assertTrue(n.env.sentOf(JoinRequest.class).isEmpty());
    View last = n.views.get(n.views.size() - 1);
    assertEquals(List.of(n.id, other), last.members(), "the candidate heard before founding is admitted");
  }

  /** A seed started with one co-seed, at {@code Node.addressOf(1)}. */
  private static Node seedWithACoSeedAt1(NodeId id) {
    Node n = new Node(id);
    n.m.start(List.of(Node.ADDRESS, Node.addressOf(1)));
    return n;
  }

  /** A seed's answer to a join push-pull: its own record and its view summary. */
  private static PushPull answer(NodeId seed, NodeAddress at, ViewSummary view) {
    return new PushPull(PushPull.RESPONSE, true, new MemberRecord(seed, at, 1, MemberState.ALIVE, new byte[0]), view,
        new long[0], List.of());
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
  void aNodeWithoutSeedsFoundsAtOnceAndASilentCoSeedHoldsASeedBackForTheDiscoveryWindowOnly() {
    Node n = new Node(NodeId.random(random));
    n.m.start(List.of());
    n.env.advanceTo(n.m, 0);
    assertEquals(1, n.views.size(), "nothing to wait for");

    // A co-seed that neither answers nor fails (its JVM stalled, or the network drops its packets) is waited for,
    // but only for the discovery window, checked when it ends rather than at the next join retry.
    MembershipConfig.Builder b = Profile.LAN.config().toBuilder();
    b.discoveryWindowMs = 1_500;
    MembershipConfig c = b.build();
    Node seed = new Node(NodeId.random(random), c);
    seed.m.start(List.of(Node.ADDRESS, Node.addressOf(1)));
    seed.env.advanceTo(seed.m, c.discoveryWindowMs - 1);
    assertTrue(seed.views.isEmpty(), "founded while a co-seed could still answer");
    seed.env.advanceTo(seed.m, c.discoveryWindowMs);
    assertEquals(1, seed.views.size(), "founded " + c.discoveryWindowMs + " ms in, not at the join retry ("
        + c.joinRetryMs + " ms)");
  }

  @Test
  void aSeedWhoseCoSeedsRefusedFoundsAtOnce() {
    Node n = new Node(NodeId.random(random));
    n.m.start(List.of(Node.ADDRESS, Node.addressOf(1), Node.addressOf(2)));
    n.env.advanceTo(n.m, 0);
    assertEquals(2, n.env.sentOf(PushPull.class).size(), "both co-seeds dialled");
    n.env.now = 3;
    n.m.onStreamFailed(Node.addressOf(1), StreamFailure.REFUSED);
    assertTrue(n.views.isEmpty(), "one co-seed may still answer");
    n.m.onStreamFailed(Node.addressOf(2), StreamFailure.TIMEOUT);
    assertEquals(1, n.views.size(), "nothing listens at either: one that starts later dials us and joins");
    assertEquals(List.of(n.id), n.views.get(0).members());
  }

  @Test
  void aSeedWaitsForACoSeedThatAnswersLateAndJoinsItsViewRatherThanFoundingASecond() {
    // The race two seeds started together ran into with a fixed 500 ms window: the co-seed's answer came later (its
    // JVM still starting), by when this seed had founded a view of its own; the merge kept one side's data.
    Node n = seedWithACoSeedAt1(new NodeId(0, 1));
    NodeId coSeed = new NodeId(0, 2);
    n.env.advanceTo(n.m, 1_500);
    assertTrue(n.views.isEmpty(), "founded while the co-seed it dialled had neither answered nor failed");
    View theirs = View.of(1, List.of(coSeed));
    n.stream(answer(coSeed, Node.addressOf(1), new ViewSummary(1, theirs.hash(), 1, coSeed, Node.addressOf(1))));
    n.env.advanceTo(n.m, 5_000);
    assertTrue(n.views.isEmpty(), "the co-seed founded first: this seed joins it, even with the smaller id");
    List<Sent> joins = n.env.sent.stream().filter(x -> x.message() instanceof JoinRequest).toList();
    assertFalse(joins.isEmpty());
    assertTrue(joins.stream().allMatch(x -> x.to().equals(Node.addressOf(1))), "asked the co-seed to admit it");
  }

  @Test
  void answersReadAfterAStallDoNotFoundItAsksEverySeedAgainAndJoinsTheViewFoundedMeanwhile() {
    Node x = new Node(new NodeId(0, 1));
    NodeId y = new NodeId(0, 2);
    NodeId z = new NodeId(0, 3);
    x.m.start(List.of(Node.ADDRESS, Node.addressOf(1), Node.addressOf(2)));
    x.env.advanceTo(x.m, 5);
    x.stream(answer(y, Node.addressOf(1), ViewSummary.NONE));
    x.env.advanceTo(x.m, 100);
    assertTrue(x.views.isEmpty(), "z has not answered yet");

    // x's loop is held up from 100 ms to 3 s, past the discovery window: the others may have founded without it.
    // The first input it reads is z's join push-pull, sent before z was in any view.
    x.env.now = 3_000;
    int sentBefore = x.env.sent.size();
    x.stream(new PushPull(PushPull.REQUEST, true, new MemberRecord(z, Node.addressOf(2), 1, MemberState.ALIVE,
        new byte[0]), ViewSummary.NONE, new long[0], List.of()));
    assertTrue(x.views.isEmpty(), "founded on input read before its overdue timers, which says nothing of now");
    x.env.advanceTo(x.m, 3_000);
    assertTrue(x.views.isEmpty(), "founded when its timers ran late");
    List<NodeAddress> dialled = x.env.sent.subList(sentBefore, x.env.sent.size()).stream()
        .filter(e -> e.message() instanceof PushPull pp && pp.join() && pp.phase() == PushPull.REQUEST)
        .map(Sent::to).toList();
    assertTrue(dialled.containsAll(List.of(Node.addressOf(1), Node.addressOf(2))),
        "every seed asked again: " + dialled);

    View theirs = View.of(1, List.of(y));
    x.stream(answer(y, Node.addressOf(1), new ViewSummary(1, theirs.hash(), 1, y, Node.addressOf(1))));
    x.env.advanceTo(x.m, 10_000);
    assertTrue(x.views.isEmpty(), "a view was founded meanwhile: x joins it");
    assertTrue(x.env.sent.stream()
        .anyMatch(e -> e.message() instanceof JoinRequest && e.to().equals(Node.addressOf(1))), "asked y to admit it");
  }

  @Test
  void aSeedListedLaterIsDialledAtOnceAndHoldsFoundingFromWhenItWasFirstListed() {
    Node n = new Node(NodeId.random(random));
    NodeAddress a = Node.addressOf(1);
    NodeAddress b = Node.addressOf(2);
    n.m.start(List.of(Node.ADDRESS, a));
    n.env.advanceTo(n.m, 10);
    int sentBefore = n.env.sent.size();
    n.m.updateSeeds(List.of(Node.ADDRESS, a, b)); // DNS answers with one more seed
    assertTrue(n.env.sent.subList(sentBefore, n.env.sent.size()).stream()
        .anyMatch(e -> e.to().equals(b) && e.message() instanceof PushPull pp && pp.join()), "b dialled at once");
    // Answers that rotate through the seeds do not start a seed's wait again: b was first listed at 10 ms.
    n.env.advanceTo(n.m, 1_000);
    n.m.updateSeeds(List.of(Node.ADDRESS, b));
    n.env.advanceTo(n.m, 1_500);
    n.m.updateSeeds(List.of(Node.ADDRESS, a, b));
    long window = Profile.LAN.config().discoveryWindowMs;
    n.env.advanceTo(n.m, 10 + window - 1);
    assertTrue(n.views.isEmpty(), "founded while b could still answer");
    n.env.advanceTo(n.m, 10 + window);
    assertEquals(1, n.views.size(), "a and b silent for the window since each was first listed");
  }

  @Test
  void ofTwoSeedsThatHeardEachOtherOnlyTheSmallerFoundsAndItNeedNotWait() {
    NodeId small = new NodeId(0, 1);
    NodeId large = new NodeId(0, 2);
    Node smaller = new Node(small);
    smaller.m.start(List.of(Node.ADDRESS, Node.addressOf(1)));
    smaller.env.advanceTo(smaller.m, 10);
    smaller.stream(answer(large, Node.addressOf(1), ViewSummary.NONE));
    assertEquals(1, smaller.views.size(), "heard from every co-seed, and none of them is smaller");

    Node larger = new Node(large);
    larger.env.answering = larger.m; // the smaller seed stays live: it answers every probe
    larger.m.start(List.of(Node.ADDRESS, Node.addressOf(1)));
    larger.env.advanceTo(larger.m, 10);
    larger.stream(answer(small, Node.addressOf(1), ViewSummary.NONE));
    larger.env.advanceTo(larger.m, 30_000);
    assertTrue(larger.views.isEmpty(), "a live smaller seed founds, not this one");
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
    alone.m.start(List.of(Node.addressOf(1), Node.addressOf(2)));
    alone.env.advanceTo(alone.m, 5);
    alone.m.onStreamFailed(Node.addressOf(1), StreamFailure.REFUSED);
    assertTrue(alone.views.isEmpty(), "the other seed may still answer");
    alone.env.advanceTo(alone.m, b.build().discoveryWindowMs);
    assertEquals(1, alone.views.size(), "nobody answered: it founded");
    assertEquals(List.of(alone.id), alone.views.get(0).members());

    // One that has heard of a live member waits to join it past the discovery window, even with a smaller id.
    NodeId other = new NodeId(Long.MAX_VALUE, Long.MAX_VALUE);
    Node heard = new Node(new NodeId(0, 1), b.build());
    heard.env.answering = heard.m;
    heard.m.start(List.of(Node.addressOf(1)));
    heard.packet(new Alive(other, 1, Node.addressOf(1), new byte[0]));
    heard.env.advanceTo(heard.m, 10_000);
    assertTrue(heard.views.isEmpty());
    assertEquals(MemberState.ALIVE, heard.stateOf(other), "still live, so still waited for");
  }
}
