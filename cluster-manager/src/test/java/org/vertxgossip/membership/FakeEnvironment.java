package org.vertxgossip.membership;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.vertxgossip.membership.wire.Message;
import org.vertxgossip.membership.wire.MessageCodec;

/** A hand-driven environment: a settable clock, and every datagram and frame the core sends, decoded. */
final class FakeEnvironment implements MembershipEnvironment {

  record Sent(NodeAddress to, Message message, boolean stream) {
  }

  long now;
  long wake = Long.MAX_VALUE;
  final Random random = new Random(7);
  final List<Sent> sent = new ArrayList<>();
  /** When set, every ping the core sends is answered by the pinged member 1 ms later. */
  Membership answering;
  private final List<Message> answers = new ArrayList<>();
  private final List<Long> answerTimes = new ArrayList<>();
  private final MessageCodec codec = new MessageCodec(512);

  @Override
  public long now() {
    return now;
  }

  @Override
  public Random random() {
    return random;
  }

  @Override
  public void sendPacket(NodeAddress to, byte[] packet) {
    codec.decodePacket(packet, new MessageCodec.EntrySink() {
      @Override
      public void message(Message m) {
        sent.add(new Sent(to, m, false));
        if (answering != null && m instanceof Message.Ping ping) {
          answers.add(new Message.Ack(ping.seq(), ping.target(), 0, 0));
          answerTimes.add(now + 1);
        }
      }

      @Override
      public void unknownType(int type) {
        throw new AssertionError("core sent unknown type " + type);
      }
    });
  }

  @Override
  public void sendStream(NodeAddress to, byte[] frame) {
    sent.add(new Sent(to, codec.decodeFrame(frame), true));
  }

  @Override
  public void wakeAt(long time) {
    wake = time;
  }

  /** Advances the clock to {@code t}, delivering answers and firing the core's timers in time order. */
  void advanceTo(Membership m, long t) {
    while (true) {
      long nextAnswer = answerTimes.isEmpty() ? Long.MAX_VALUE : answerTimes.get(0);
      long next = Math.min(nextAnswer, wake);
      if (next > t) {
        break;
      }
      now = Math.max(now, next);
      if (nextAnswer <= wake) {
        answerTimes.remove(0);
        Message ack = answers.remove(0);
        m.onPacket(new NodeAddress("10.0.9.9", 1), codec.encodeEntry(ack));
      } else {
        wake = Long.MAX_VALUE;
        m.onTimer();
      }
    }
    now = t;
  }

  <T extends Message> List<T> sentOf(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Sent s : sent) {
      if (type.isInstance(s.message())) {
        out.add(type.cast(s.message()));
      }
    }
    return out;
  }
}
