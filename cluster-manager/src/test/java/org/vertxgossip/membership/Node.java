package org.vertxgossip.membership;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.vertxgossip.membership.wire.Message;
import org.vertxgossip.membership.wire.MessageCodec;

/** One real {@link Membership} on a {@link FakeEnvironment}, fed hand-made messages. */
final class Node implements MembershipListener {

  static final NodeAddress ADDRESS = new NodeAddress("10.0.0.1", 7946);

  final FakeEnvironment env = new FakeEnvironment();
  final NodeId id;
  final Membership m;
  final MessageCodec codec = new MessageCodec(512);
  final List<View> views = new ArrayList<>();
  final List<NodeId> declaredDead = new ArrayList<>();
  boolean leaveCompleted;

  Node(NodeId id) {
    this(id, Profile.LAN.config());
  }

  Node(NodeId id, MembershipConfig config) {
    this.id = id;
    this.m = new Membership(id, ADDRESS, new byte[0], config, env, this);
  }

  static NodeId idWithPrefix(Random random, long msb) {
    return new NodeId(msb, random.nextLong());
  }

  static NodeAddress addressOf(int i) {
    return new NodeAddress("10.0.1." + i, 7946);
  }

  void packet(Message... messages) {
    List<byte[]> entries = new ArrayList<>();
    int size = 0;
    for (Message msg : messages) {
      byte[] e = codec.encodeEntry(msg);
      entries.add(e);
      size += e.length;
    }
    byte[] packet = new byte[size];
    int at = 0;
    for (byte[] e : entries) {
      System.arraycopy(e, 0, packet, at, e.length);
      at += e.length;
    }
    m.onPacket(addressOf(99), packet);
  }

  void stream(Message message) {
    m.onStream(codec.encodeFrame(message, 1 << 24));
  }

  MemberState stateOf(NodeId other) {
    MemberRecord r = m.member(other);
    return r == null ? null : r.state();
  }

  int incarnationOf(NodeId other) {
    return m.member(other).incarnation();
  }

  @Override
  public void viewDelivered(View view, View previous) {
    views.add(view);
  }

  @Override
  public void declaredDead(NodeId member, int incarnation) {
    declaredDead.add(member);
  }

  @Override
  public void leaveCompleted() {
    leaveCompleted = true;
  }
}
