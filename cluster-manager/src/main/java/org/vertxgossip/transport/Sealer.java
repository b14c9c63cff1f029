package org.vertxgossip.transport;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.function.LongSupplier;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.vertxgossip.security.Keyring;

/**
 * Authenticated encryption of envelope bodies with AES-256-GCM from the JDK. After the envelope header comes
 * {@code key id u32 | nonce 12 bytes | sent at i64 (wall ms) | ciphertext | tag 16 bytes}; the header and the
 * fields before the ciphertext are the additional authenticated data, so the cluster label, the lane, the key id,
 * the nonce and the time cannot be changed without the tag failing.
 *
 * <p>A nonce never repeats under one key: it is a {@link NonceSequence}'s 64-bit random id and its 32-bit counter.
 * Each sequence counts up from 0 and is replaced by a fresh random id before its counter wraps; the chance that
 * two of the n sequences ever drawn under one key share an id is about n²/2⁶⁵ (10⁻⁸ for a million sequences).
 * GCM has no padding, and a failed tag is counted like any other drop, so there is no oracle to query.
 *
 * <p>Used on the transport's loop only (the two {@link Cipher}s are not thread-safe).
 */
final class Sealer {

  static final int KEY_ID = 4;
  static final int NONCE = 12;
  static final int SENT_AT = 8;
  static final int TAG = 16;
  /** Bytes a sealed body takes beyond the plain one. */
  static final int OVERHEAD = KEY_ID + NONCE + SENT_AT + TAG;
  private static final int PREFIX = KEY_ID + NONCE + SENT_AT;

  /** What a sealed body carried once authenticated, or why it did not authenticate ({@code refusal}). */
  record Opened(byte[] body, long sequence, long counter, long sentAt, DropReason refusal) {
    static Opened refused(DropReason reason) {
      return new Opened(null, 0, 0, 0, reason);
    }
  }

  private final Keyring keyring;
  private final LongSupplier wallMs;
  // Built on first use: the JDK's first cipher costs tens of milliseconds of start-up, which a node without a key
  // need not pay. The transport uses its sealer from its one thread only.
  private Cipher sealing;
  private Cipher opening;
  private final byte[] nonce = new byte[NONCE];

  Sealer(Keyring keyring, LongSupplier wallMs) {
    this.keyring = keyring;
    this.wallMs = wallMs;
  }

  /** Whether a cipher has been built yet (none is until something is sealed or opened). */
  boolean ciphersBuilt() {
    return sealing != null || opening != null;
  }

  private static Cipher aesGcm() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no AES/GCM", e);
    }
  }

  /** A 64-bit random id and a counter: the nonces of one datagram sender or one connection. */
  static final class NonceSequence {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final boolean renew;
    private long id = RANDOM.nextLong();
    private long counter;

    /** @param renew whether the sequence takes a fresh id when its counter is spent (else it is just spent) */
    NonceSequence(boolean renew) {
      this(renew, 0);
    }

    /** For tests: a sequence whose counter starts at {@code counter}. */
    NonceSequence(boolean renew, long counter) {
      this.renew = renew;
      this.counter = counter;
    }

    /** Whether {@link #next} may be called. */
    boolean spent() {
      return !renew && counter > 0xffff_ffffL;
    }

    /** Takes the next counter (renewing the id first when it is spent); {@link #id()} is then the nonce's id. */
    long nextCounter() {
      if (counter > 0xffff_ffffL) {
        if (!renew) {
          throw new IllegalStateException("nonce sequence spent");
        }
        id = RANDOM.nextLong();
        counter = 0;
      }
      return counter++;
    }

    long id() {
      return id;
    }
  }

  boolean canSeal() {
    return keyring.snapshot().primary() != null;
  }

  /**
   * Appends the sealed {@code body} to {@code out}, whose bytes from {@code headerStart} (the envelope header) are
   * authenticated with it. The caller wrote the header with the sealed flag.
   */
  void seal(ByteBuf out, int headerStart, byte[] body, NonceSequence sequence) {
    Keyring.Key key = keyring.snapshot().primary();
    long counter = sequence.nextCounter();
    writeNonce(sequence.id(), counter);
    out.writeInt(key.id()).writeBytes(nonce).writeLong(wallMs.getAsLong());
    try {
      if (sealing == null) {
        sealing = aesGcm();
      }
      sealing.init(Cipher.ENCRYPT_MODE, key.secret(), new GCMParameterSpec(TAG * 8, nonce));
      // Straight from and into the buffer: no copies of the header, the body or the result.
      sealing.updateAAD(out.nioBuffer(headerStart, out.writerIndex() - headerStart));
      out.ensureWritable(body.length + TAG);
      int written = sealing.doFinal(ByteBuffer.wrap(body), out.nioBuffer(out.writerIndex(), body.length + TAG));
      out.writerIndex(out.writerIndex() + written);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM failed to seal", e);
    }
  }

  /**
   * Opens the sealed body that follows the header at {@code in}'s reader index (the header began at
   * {@code headerStart}); when it does not authenticate, the result names the reason (the caller counts it).
   */
  Opened open(ByteBuf in, int headerStart) {
    if (in.readableBytes() < PREFIX + TAG) {
      return Opened.refused(DropReason.TRUNCATED);
    }
    int bodyStart = in.readerIndex();
    int keyId = in.getInt(bodyStart);
    Keyring.Key key = keyring.snapshot().byId(keyId);
    if (key == null) {
      return Opened.refused(DropReason.UNKNOWN_KEY);
    }
    byte[] iv = new byte[NONCE];
    in.getBytes(bodyStart + KEY_ID, iv);
    long sentAt = in.getLong(bodyStart + KEY_ID + NONCE);
    int sealedLength = in.readableBytes() - PREFIX;
    try {
      if (opening == null) {
        opening = aesGcm();
      }
      opening.init(Cipher.DECRYPT_MODE, key.secret(), new GCMParameterSpec(TAG * 8, iv));
      opening.updateAAD(in.nioBuffer(headerStart, bodyStart + PREFIX - headerStart));
      byte[] body = new byte[sealedLength - TAG];
      opening.doFinal(in.nioBuffer(bodyStart + PREFIX, sealedLength), ByteBuffer.wrap(body));
      in.skipBytes(in.readableBytes());
      return new Opened(body, longAt(iv, 0), intAt(iv, 8) & 0xffff_ffffL, sentAt, null);
    } catch (GeneralSecurityException e) { // a bad tag (AEADBadTagException) above all
      return Opened.refused(DropReason.AUTH_FAILED);
    }
  }

  private void writeNonce(long id, long counter) {
    for (int i = 0; i < 8; i++) {
      nonce[i] = (byte) (id >>> (56 - 8 * i));
    }
    for (int i = 0; i < 4; i++) {
      nonce[8 + i] = (byte) (counter >>> (24 - 8 * i));
    }
  }

  private static long longAt(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  private static int intAt(byte[] b, int off) {
    int v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }
}
