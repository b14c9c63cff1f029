package org.vertxgossip.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vertxgossip.security.Keyring;

/** The sealed envelope: it opens under the right key only, and any changed byte fails it. */
class SealerTest {

  private static final String KEY = Keyring.generate();
  private final Envelope envelope = new Envelope("sealer-test");
  private final DropCounters drops = new DropCounters();

  private ByteBuf sealed(Sealer sealer, byte[] body, Sealer.NonceSequence nonces) {
    ByteBuf buf = Unpooled.buffer();
    envelope.write(buf, Lane.REPLICATION, true);
    sealer.seal(buf, 0, body, nonces);
    return buf;
  }

  private Sealer.Opened open(Sealer sealer, ByteBuf buf) {
    Envelope.Header h = envelope.read(buf, drops);
    return h == null ? null : sealer.open(buf, h.start());
  }

  @Test
  void noCipherIsBuiltUntilSomethingIsSealedOrOpened() {
    Sealer keyless = new Sealer(Keyring.of(List.of()), System::currentTimeMillis);
    assertFalse(keyless.ciphersBuilt(), "a node without a key pays for no cipher");
    Sealer keyed = new Sealer(Keyring.of(List.of(KEY)), System::currentTimeMillis);
    assertFalse(keyed.ciphersBuilt());
    ByteBuf buf = sealed(keyed, new byte[8], new Sealer.NonceSequence(true));
    assertTrue(keyed.ciphersBuilt());
    buf.release();
  }

  @Test
  void opensWhatItSealedAndNamesTheNonce() {
    Sealer sealer = new Sealer(Keyring.of(List.of(KEY)), () -> 1234L);
    Sealer.NonceSequence nonces = new Sealer.NonceSequence(true);
    byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
    Sealer.Opened first = open(sealer, sealed(sealer, body, nonces));
    Sealer.Opened second = open(sealer, sealed(sealer, body, nonces));
    assertNull(first.refusal());
    assertArrayEquals(body, first.body());
    assertEquals(0, first.counter());
    assertEquals(1, second.counter());
    assertEquals(first.sequence(), second.sequence());
    assertEquals(1234L, first.sentAt());
  }

  @Test
  void everyChangedByteFailsTheTag() {
    Sealer sealer = new Sealer(Keyring.of(List.of(KEY)), System::currentTimeMillis);
    ByteBuf original = sealed(sealer, new byte[64], new Sealer.NonceSequence(true));
    int headerEnd = envelope.headerSize();
    for (int i = 0; i < original.readableBytes(); i++) {
      if (i < headerEnd && i != 3) {
        continue; // magic, version, lane and label are checked before the seal (flags too, but bit 0 is ours)
      }
      ByteBuf copy = original.copy();
      copy.setByte(i, copy.getByte(i) ^ 0x01);
      Sealer.Opened o = open(sealer, copy);
      DropReason r = o == null ? DropReason.UNSUPPORTED_FLAGS : o.refusal();
      assertNotEquals(null, r, "byte " + i + " changed and still opened");
    }
  }

  @Test
  void theLaneAndTheLabelAreAuthenticated() {
    Sealer sealer = new Sealer(Keyring.of(List.of(KEY)), System::currentTimeMillis);
    ByteBuf buf = sealed(sealer, new byte[8], new Sealer.NonceSequence(true));
    ByteBuf otherLane = buf.copy();
    otherLane.setByte(4, Lane.MEMBERSHIP.code); // a frame moved to the other lane
    assertEquals(DropReason.AUTH_FAILED, open(sealer, otherLane).refusal());
    Envelope other = new Envelope("sealer-tesu"); // another cluster of the same length and key
    ByteBuf relabelled = buf.copy();
    relabelled.setBytes(6, "sealer-tesu".getBytes(StandardCharsets.UTF_8));
    Envelope.Header h = other.read(relabelled, drops);
    assertEquals(DropReason.AUTH_FAILED, sealer.open(relabelled, h.start()).refusal());
  }

  @Test
  void anotherKeyIsUnknownAndAForgedKeyIdFailsAuthentication() {
    Sealer mine = new Sealer(Keyring.of(List.of(KEY)), System::currentTimeMillis);
    Sealer theirs = new Sealer(Keyring.of(List.of(Keyring.generate())), System::currentTimeMillis);
    ByteBuf foreign = sealed(theirs, new byte[10], new Sealer.NonceSequence(true));
    assertEquals(DropReason.UNKNOWN_KEY, open(mine, foreign.copy()).refusal());
    // The key id is public (it is on the wire): an attacker who copies it still cannot make the tag.
    ByteBuf forged = foreign.copy();
    forged.setInt(envelope.headerSize(), Keyring.of(List.of(KEY)).snapshot().primary().id());
    assertEquals(DropReason.AUTH_FAILED, open(mine, forged).refusal());
  }

  @Test
  void aSecondaryKeyOpensAndThePrimarySeals() {
    String next = Keyring.generate();
    Keyring old = Keyring.of(List.of(KEY));
    Keyring both = Keyring.of(List.of(KEY, next));
    Keyring rotated = Keyring.of(List.of(next, KEY));
    Sealer oldSealer = new Sealer(old, System::currentTimeMillis);
    Sealer bothSealer = new Sealer(both, System::currentTimeMillis);
    Sealer rotatedSealer = new Sealer(rotated, System::currentTimeMillis);
    assertNull(open(bothSealer, sealed(oldSealer, new byte[3], new Sealer.NonceSequence(true))).refusal());
    assertNull(open(bothSealer, sealed(rotatedSealer, new byte[3], new Sealer.NonceSequence(true))).refusal());
    assertNull(open(oldSealer, sealed(bothSealer, new byte[3], new Sealer.NonceSequence(true))).refusal());
    assertEquals(DropReason.UNKNOWN_KEY,
        open(oldSealer, sealed(new Sealer(Keyring.of(List.of(next)), System::currentTimeMillis), new byte[3],
            new Sealer.NonceSequence(true))).refusal());
  }

  @Test
  void noncesNeverRepeatAndASpentSequenceTakesAFreshId() {
    Sealer.NonceSequence renewing = new Sealer.NonceSequence(true);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      long c = renewing.nextCounter();
      assertEquals(true, seen.add(renewing.id() + ":" + c));
    }
    Sealer.NonceSequence datagrams = new Sealer.NonceSequence(true, 0xffff_ffffL);
    long lastCounter = datagrams.nextCounter();
    long lastId = datagrams.id();
    assertEquals(0xffff_ffffL, lastCounter);
    assertEquals(0, datagrams.nextCounter());
    assertNotEquals(lastId, datagrams.id(), "a fresh id before the counter wraps");
    Sealer.NonceSequence connection = new Sealer.NonceSequence(false, 0xffff_ffffL);
    assertEquals(false, connection.spent());
    connection.nextCounter();
    assertEquals(true, connection.spent(), "a connection's sequence is spent, never reused");
  }
}
