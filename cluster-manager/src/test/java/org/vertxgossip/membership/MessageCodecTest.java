package org.vertxgossip.membership;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vertxgossip.membership.wire.MalformedMessageException;
import org.vertxgossip.membership.wire.Message;
import org.vertxgossip.membership.wire.Message.Ack;
import org.vertxgossip.membership.wire.Message.Alive;
import org.vertxgossip.membership.wire.Message.Dead;
import org.vertxgossip.membership.wire.Message.IndirectPing;
import org.vertxgossip.membership.wire.Message.JoinRequest;
import org.vertxgossip.membership.wire.Message.Nack;
import org.vertxgossip.membership.wire.Message.Ping;
import org.vertxgossip.membership.wire.Message.PushPull;
import org.vertxgossip.membership.wire.Message.StreamAck;
import org.vertxgossip.membership.wire.Message.StreamPing;
import org.vertxgossip.membership.wire.Message.Suspect;
import org.vertxgossip.membership.wire.Message.ViewDelta;
import org.vertxgossip.membership.wire.Message.ViewPull;
import org.vertxgossip.membership.wire.Message.ViewSync;
import org.vertxgossip.membership.wire.MessageCodec;

class MessageCodecTest {

  private final Random random = new Random(1);
  private final MessageCodec codec = new MessageCodec(512);
  private final NodeId a = NodeId.random(random);
  private final NodeId b = NodeId.random(random);
  private final NodeAddress addr = new NodeAddress("10.0.0.1", 7946);
  private final MemberRecord rec = new MemberRecord(a, addr, 3, MemberState.SUSPECT, new byte[] {1, 2});
  private final ViewSummary summary = new ViewSummary(9, 42, 2, a, addr);

  private List<Message> packetMessages() {
    return List.of(new Ping(1, a, b, addr, 5, 6), new IndirectPing(2, a, addr, b, addr), new Ack(3, b, 7, 8), new Nack(4),
        new Alive(a, 5, addr, new byte[] {9}), new Suspect(a, 6, b), new Dead(a, 7, a),
        new ViewDelta(8, a, 11, 12, List.of(b), List.of(a)));
  }

  private List<Message> streamMessages() {
    return List.of(new PushPull(PushPull.RESPONSE, false, rec, summary, new long[] {1, 2}, List.of(rec)),
        new PushPull(PushPull.REQUEST, true, rec, ViewSummary.NONE, new long[0], List.of()),
        new StreamPing(1, a, b, addr), new StreamAck(2, b), new JoinRequest(rec), new ViewPull(addr, 3, 4),
        new ViewSync(summary, List.of(new ViewDelta(8, a, 11, 12, List.of(), List.of(b))), null, false),
        new ViewSync(summary, List.of(), List.of(a, b), true));
  }

  @Test
  void everyDatagramMessageRoundTripsInOneCompoundPacket() {
    List<byte[]> entries = new ArrayList<>();
    for (Message m : packetMessages()) {
      entries.add(codec.encodeEntry(m));
    }
    byte[] packet = concat(entries);
    List<Message> decoded = new ArrayList<>();
    codec.decodePacket(packet, sink(decoded, new int[1]));
    assertEquals(packetMessages().size(), decoded.size());
    for (int i = 0; i < decoded.size(); i++) {
      assertEquals(describe(packetMessages().get(i)), describe(decoded.get(i)));
    }
  }

  @Test
  void everyStreamMessageRoundTrips() {
    for (Message m : streamMessages()) {
      Message back = codec.decodeFrame(codec.encodeFrame(m, 1 << 20));
      assertEquals(describe(m), describe(back));
    }
  }

  @Test
  void unknownEntryTypesAreSkippedAndCounted() {
    byte[] unknown = {(byte) 99, 0, 2, 7, 7};
    byte[] packet = concat(List.of(unknown, codec.encodeEntry(new Nack(5))));
    List<Message> decoded = new ArrayList<>();
    int[] unknownCount = new int[1];
    codec.decodePacket(packet, sink(decoded, unknownCount));
    assertEquals(1, unknownCount[0]);
    assertEquals(1, decoded.size());
    assertNull(codec.decodeFrame(new byte[] {(byte) 200, 1, 2}));
  }

  @Test
  void everyTruncationOfEveryMessageIsRejectedAsMalformed() {
    for (Message m : packetMessages()) {
      byte[] entry = codec.encodeEntry(m);
      for (int len = 1; len < entry.length; len++) {
        byte[] cut = java.util.Arrays.copyOf(entry, len);
        assertThrows(MalformedMessageException.class, () -> codec.decodePacket(cut, sink(new ArrayList<>(), new int[1])),
            m.getClass().getSimpleName() + " cut at " + len);
      }
    }
    for (Message m : streamMessages()) {
      byte[] frame = codec.encodeFrame(m, 1 << 20);
      for (int len = 1; len < frame.length; len++) {
        byte[] cut = java.util.Arrays.copyOf(frame, len);
        assertThrows(MalformedMessageException.class, () -> codec.decodeFrame(cut));
      }
    }
  }

  @Test
  void hugeCountsAreRejectedBeforeAllocating() {
    // A push-pull claiming two billion records in a 40-byte frame.
    byte[] frame = codec.encodeFrame(new PushPull(PushPull.FINAL, false, rec, ViewSummary.NONE, new long[0],
        List.of()), 1024);
    frame[frame.length - 4] = 0x7F;
    assertThrows(MalformedMessageException.class, () -> codec.decodeFrame(frame));
  }

  @Test
  void randomBytesNeverEscapeAsAnythingButMalformed() {
    Random r = new Random(3);
    for (int i = 0; i < 20_000; i++) {
      byte[] junk = new byte[1 + r.nextInt(200)];
      r.nextBytes(junk);
      if (r.nextBoolean()) {
        junk[0] = (byte) (1 + r.nextInt(25));
      }
      try {
        codec.decodePacket(junk, sink(new ArrayList<>(), new int[1]));
      } catch (MalformedMessageException | IllegalArgumentException expected) {
        // counted as malformed by the core
      }
      try {
        codec.decodeFrame(junk);
      } catch (MalformedMessageException | IllegalArgumentException expected) {
        // counted as malformed by the core
      }
    }
  }

  @Test
  void metadataLargerThanTheLimitIsRejected() {
    byte[] entry = new MessageCodec(2000).encodeEntry(new Alive(a, 1, addr, new byte[600]));
    assertThrows(MalformedMessageException.class, () -> codec.decodePacket(entry, sink(new ArrayList<>(), new int[1])));
  }

  @Test
  void framesLargerThanTheLimitAreRefusedAtEncoding() {
    List<MemberRecord> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add(rec);
    }
    assertThrows(IllegalStateException.class, () -> codec.encodeFrame(
        new PushPull(PushPull.FINAL, false, rec, summary, new long[0], many), 1000));
  }

  private static MessageCodec.EntrySink sink(List<Message> out, int[] unknown) {
    return new MessageCodec.EntrySink() {
      @Override
      public void message(Message m) {
        out.add(m);
      }

      @Override
      public void unknownType(int type) {
        unknown[0]++;
      }
    };
  }

  private static byte[] concat(List<byte[]> parts) {
    int n = parts.stream().mapToInt(p -> p.length).sum();
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** Records hold arrays, whose equals is identity: compare a rendering with array contents instead. */
  private static String describe(Message m) {
    StringBuilder sb = new StringBuilder(m.getClass().getSimpleName()).append('(');
    for (var c : m.getClass().getRecordComponents()) {
      try {
        Object v = c.getAccessor().invoke(m);
        if (v instanceof byte[] bytes) {
          v = java.util.Arrays.toString(bytes);
        } else if (v instanceof long[] longs) {
          v = java.util.Arrays.toString(longs);
        } else if (v instanceof List<?> list) {
          v = list.stream().map(e -> e instanceof Message mm ? describe(mm) : String.valueOf(e)).toList();
        }
        sb.append(c.getName()).append('=').append(v).append(',');
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    return sb.append(')').toString();
  }

  @Test
  void addressesAndIdsParseAndPrint() {
    assertEquals(new NodeAddress("::1", 80), NodeAddress.parse("[::1]:80"));
    assertEquals("[::1]:80", new NodeAddress("::1", 80).toString());
    assertEquals(new NodeAddress("h", 1), NodeAddress.parse(" h:1 "));
    assertThrows(IllegalArgumentException.class, () -> NodeAddress.parse("nohost"));
    assertThrows(IllegalArgumentException.class, () -> NodeAddress.parse("h:99999"));
    assertEquals(a, NodeId.parse(a.toString()));
    assertArrayEquals(new byte[] {1, 2}, rec.meta());
  }
}
