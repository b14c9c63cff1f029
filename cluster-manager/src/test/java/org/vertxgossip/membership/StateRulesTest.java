package org.vertxgossip.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vertxgossip.membership.wire.Message.Alive;
import org.vertxgossip.membership.wire.Message.Dead;
import org.vertxgossip.membership.wire.Message.StreamPing;
import org.vertxgossip.membership.wire.Message.Suspect;

/** SWIM's precedence rules, tombstones, refutation and the suspicion timer, driven through the public inputs. */
class StateRulesTest {

  private final Random random = new Random(5);
  private Node node;
  private final NodeId x = NodeId.random(random);
  private final NodeAddress xAddr = Node.addressOf(1);

  @BeforeEach
  void start() {
    node = new Node(NodeId.random(random));
    node.m.start(List.of());
  }

  /**
   * Seven live members (this node, x and five more), so that three confirmations are wanted; every ping is
   * answered, so that this node's own probes neither fail nor confirm anything.
   */
  private void sevenAnsweringMembers() {
    node.env.answering = node.m;
    for (int i = 0; i < 5; i++) {
      node.packet(new Alive(NodeId.random(random), 1, Node.addressOf(10 + i), new byte[0]));
    }
    node.packet(new Alive(x, 1, xAddr, new byte[0]));
  }

  @Test
  void aliveAddsAndOnlyNewerIncarnationsUpdate() {
    assertNull(node.stateOf(x));
    node.packet(new Alive(x, 3, xAddr, new byte[] {1}));
    assertEquals(MemberState.ALIVE, node.stateOf(x));
    node.packet(new Alive(x, 3, Node.addressOf(2), new byte[] {2}));
    assertEquals(xAddr, node.m.member(x).address(), "same incarnation changes nothing");
    node.packet(new Alive(x, 4, Node.addressOf(2), new byte[] {2}));
    assertEquals(4, node.incarnationOf(x));
    assertEquals(Node.addressOf(2), node.m.member(x).address());
  }

  @Test
  void suspectAppliesAtTheSameOrNewerIncarnationOnly() {
    node.packet(new Alive(x, 5, xAddr, new byte[0]));
    node.packet(new Suspect(x, 4, NodeId.random(random)));
    assertEquals(MemberState.ALIVE, node.stateOf(x), "an older accusation is stale");
    node.packet(new Suspect(x, 5, NodeId.random(random)));
    assertEquals(MemberState.SUSPECT, node.stateOf(x));
    node.packet(new Alive(x, 5, xAddr, new byte[0]));
    assertEquals(MemberState.SUSPECT, node.stateOf(x), "alive must be newer to clear a suspicion");
    node.packet(new Alive(x, 6, xAddr, new byte[0]));
    assertEquals(MemberState.ALIVE, node.stateOf(x));
  }

  @Test
  void deadBeatsAliveOfTheSameIncarnationAndIsRefutedByANewerOne() {
    node.packet(new Alive(x, 2, xAddr, new byte[0]));
    node.packet(new Dead(x, 2, NodeId.random(random)));
    assertEquals(MemberState.DEAD, node.stateOf(x));
    node.packet(new Alive(x, 2, xAddr, new byte[0]));
    assertEquals(MemberState.DEAD, node.stateOf(x));
    node.packet(new Suspect(x, 2, NodeId.random(random)));
    assertEquals(MemberState.DEAD, node.stateOf(x), "suspect does not undo dead");
    node.packet(new Alive(x, 3, xAddr, new byte[0]));
    assertEquals(MemberState.ALIVE, node.stateOf(x), "a paused node that comes back refutes its death");
  }

  @Test
  void leftIsATombstoneThatNoStaleGossipReadmits() {
    node.packet(new Alive(x, 2, xAddr, new byte[0]));
    node.packet(new Dead(x, 2, x));
    assertEquals(MemberState.LEFT, node.stateOf(x));
    node.packet(new Alive(x, 100, xAddr, new byte[0]));
    node.packet(new Suspect(x, 100, NodeId.random(random)));
    assertEquals(MemberState.LEFT, node.stateOf(x));
    // The tombstone outlives ordinary retention: it is kept for leftTombstoneMs (24 h).
    node.env.advanceTo(node.m, 3_600_000);
    assertEquals(MemberState.LEFT, node.stateOf(x));
  }

  @Test
  void anAccusationOfSelfIsRefutedWithAHigherIncarnation() {
    node.packet(new Alive(x, 1, xAddr, new byte[0]));
    int before = node.incarnationOf(node.id);
    node.packet(new Suspect(node.id, before + 3, x));
    int after = node.incarnationOf(node.id);
    assertEquals(before + 4, after);
    assertEquals(1, node.m.stats().refutations);
    assertEquals(1, node.m.healthScore(), "being accused counts against local health");
    node.env.advanceTo(node.m, 2_000);
    List<Alive> sent = node.env.sentOf(Alive.class);
    assertTrue(sent.stream().anyMatch(a -> a.node().equals(node.id) && a.incarnation() == after),
        "the refutation is gossiped");
    node.packet(new Dead(node.id, after, x));
    assertEquals(after + 1, node.incarnationOf(node.id), "a death certificate is refuted too");
  }

  @Test
  void unconfirmedSuspicionRunsToMaxThenIsCheckedBeforeDeath() {
    sevenAnsweringMembers();
    long t0 = node.env.now;
    node.packet(new Suspect(x, 1, NodeId.random(random)));
    MembershipConfig c = Profile.LAN.config();
    long max = c.suspicionMaxMs(7);
    node.env.advanceTo(node.m, t0 + max - 1);
    assertEquals(MemberState.SUSPECT, node.stateOf(x));
    node.env.advanceTo(node.m, t0 + max + 1);
    assertEquals(MemberState.SUSPECT, node.stateOf(x), "an unconfirmed suspicion gets a last direct check");
    assertEquals(1, node.m.stats().verifications);
    node.env.advanceTo(node.m, t0 + max + c.probeIntervalMs + 1);
    assertEquals(MemberState.DEAD, node.stateOf(x));
    assertEquals(List.of(x), node.declaredDead);
  }

  @Test
  void independentConfirmationsShortenTheSuspicionToItsFloor() {
    sevenAnsweringMembers();
    long t0 = node.env.now;
    node.packet(new Suspect(x, 1, NodeId.random(random)));
    node.packet(new Suspect(x, 1, NodeId.random(random)), new Suspect(x, 1, NodeId.random(random)),
        new Suspect(x, 1, NodeId.random(random)));
    assertEquals(3, node.m.stats().confirmations);
    long min = Profile.LAN.config().suspicionMinMs(7);
    node.env.advanceTo(node.m, t0 + min + 1);
    assertEquals(MemberState.DEAD, node.stateOf(x), "confirmed suspicions end at the floor, without a check");
  }

  @Test
  void aRefusedConnectionEndsTheSuspicionSooner() {
    sevenAnsweringMembers();
    long t0 = node.env.now;
    node.m.onStreamFailed(xAddr, StreamFailure.REFUSED);
    assertEquals(MemberState.SUSPECT, node.stateOf(x));
    node.env.advanceTo(node.m, t0 + Profile.LAN.config().refusedSuspicionMs + 1);
    assertEquals(MemberState.DEAD, node.stateOf(x));
  }

  @Test
  void aConnectionClosedByAMemberIsCheckedAtOnceAndARefusalRemovesIt() {
    sevenAnsweringMembers();
    long t0 = node.env.now;
    int before = node.env.sentOf(StreamPing.class).size();
    node.m.onConnectionLost(xAddr);
    List<StreamPing> pings = node.env.sentOf(StreamPing.class);
    assertEquals(before + 1, pings.size(), "a stream check goes out at once, not at the next probe");
    assertEquals(x, pings.get(pings.size() - 1).target());
    assertEquals(t0, node.env.now);
    node.m.onStreamFailed(xAddr, StreamFailure.REFUSED); // what the transport reports when nothing listens
    node.env.advanceTo(node.m, t0 + Profile.LAN.config().refusedSuspicionMs + 1);
    assertEquals(MemberState.DEAD, node.stateOf(x));
    node.m.onConnectionLost(new NodeAddress("10.9.9.9", 1));
    assertEquals(pings.size(), node.env.sentOf(StreamPing.class).size(), "no check for an address of no member");
  }

  @Test
  void timeoutsDoNotTakeTheFastPath() {
    node.packet(new Alive(x, 1, xAddr, new byte[0]));
    node.m.onStreamFailed(xAddr, StreamFailure.TIMEOUT);
    assertEquals(MemberState.ALIVE, node.stateOf(x));
  }

  @Test
  void aLatePauseIsNoticedAndAccusesNobody() {
    node.packet(new Alive(x, 1, xAddr, new byte[0]));
    // The host was frozen for 5 s: every timer fires late at once.
    node.env.now = 5_000;
    node.m.onTimer();
    node.env.advanceTo(node.m, 5_400);
    assertTrue(node.m.stats().pausesDetected >= 1);
    assertEquals(MemberState.ALIVE, node.stateOf(x));
    assertFalse(node.m.healthScore() == 0, "a pause counts against local health");
  }

  @Test
  void aPauseWithAProbeOutstandingCountsOnceAgainstHealth() {
    node.packet(new Alive(x, 1, xAddr, new byte[0]));
    // The first probe of x goes out within the first interval; x never answers.
    node.env.advanceTo(node.m, 999);
    assertEquals(1, node.m.stats().probes);
    // Then the host freezes for 9 s, with that probe still waiting for its verdict.
    node.env.now = 10_000;
    node.m.onTimer();
    assertEquals(1, node.m.stats().pausesDetected);
    assertEquals(1, node.m.healthScore(), "one pause, one step of local health");
    assertEquals(0, node.m.stats().probeFailures, "the paused node accuses nobody");
    assertEquals(MemberState.ALIVE, node.stateOf(x));
  }

  @Test
  void aStaleDeathCertificateIsAnsweredWithTheCurrentRecordNotANewIncarnation() {
    node.env.answering = node.m;
    node.packet(new Alive(x, 1, xAddr, new byte[0]));
    node.packet(new Suspect(node.id, 1, x));
    int current = node.incarnationOf(node.id);
    node.env.advanceTo(node.m, 60_000);
    node.env.sent.clear();
    node.packet(new Dead(node.id, current - 1, x));
    assertEquals(current, node.incarnationOf(node.id), "an old accusation needs no new incarnation");
    assertEquals(1, node.m.stats().refutations);
    node.env.advanceTo(node.m, 61_000);
    assertTrue(node.env.sentOf(Alive.class).stream().anyMatch(a -> a.node().equals(node.id)
        && a.incarnation() == current), "the current record goes out again, for whoever still holds the old one");
  }

  @Test
  void malformedAndForeignInputIsCountedNotThrown() {
    node.m.onPacket(Node.addressOf(3), new byte[] {1, 0, 50, 1, 2});
    node.m.onPacket(Node.addressOf(3), new byte[0]);
    node.m.onStream(new byte[] {20, 9, 9});
    node.m.onStream(new byte[] {(byte) 250});
    assertEquals(3, node.m.stats().malformed);
    assertEquals(1, node.m.stats().unknownTypes);
  }

  @Test
  void metadataIsBoundedAndVersionedByIncarnation() {
    int before = node.incarnationOf(node.id);
    node.m.updateMetadata(new byte[] {7});
    assertEquals(before + 1, node.incarnationOf(node.id));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> node.m.updateMetadata(new byte[513]));
  }

  @Test
  void incarnationsNearOverflowAreRefusedAndARefutationSaturates() {
    int max = org.vertxgossip.membership.wire.MessageCodec.MAX_INCARNATION;
    node.packet(new Alive(x, max + 1, xAddr, new byte[0]));
    assertNull(node.stateOf(x), "an incarnation above the maximum is refused with its packet");
    node.packet(new Alive(x, 1, xAddr, new byte[0]));
    node.packet(new Suspect(x, Integer.MAX_VALUE, NodeId.random(random)));
    assertEquals(MemberState.ALIVE, node.stateOf(x));
    assertEquals(1, node.incarnationOf(x));
    // The highest accepted accusation of this node itself: the refutation stays at the maximum, never negative.
    node.packet(new Suspect(node.id, max, NodeId.random(random)));
    assertEquals(max, node.incarnationOf(node.id));
    node.packet(new Suspect(node.id, max, NodeId.random(random)));
    assertEquals(max, node.incarnationOf(node.id), "saturated");
    assertEquals(2, node.m.stats().malformed, "each refused packet counted");
  }
}
