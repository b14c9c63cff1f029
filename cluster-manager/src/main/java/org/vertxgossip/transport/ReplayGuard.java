package org.vertxgossip.transport;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refuses sealed input that was received before. Every sealed body names its nonce sequence, counter and sending
 * time (authenticated, {@link Sealer}). Input sent more than {@link #WINDOW_MS} from this node's clock is refused
 * outright; within the window:
 * <ul>
 *   <li>a datagram sequence keeps the highest counter seen and a bitmap of the {@link #DATAGRAM_WINDOW} below it
 *       (IPsec's anti-replay window: reordering is fine, a repeat or anything older is refused);</li>
 *   <li>a connection's sequence must start at counter 0 and be new; its frames then come in counter order
 *       (the caller checks that, TCP keeps the order), so a replayed, reordered or spliced stream is refused.</li>
 * </ul>
 * Both tables are bounded. A sequence whose last input is older than the window can go (all its input is stale
 * by then). When a table is full of live sequences, the least recently seen one goes and its last sending time
 * becomes a floor: a sequence not in the table whose input was sent at or before the floor is refused, since it
 * might be the one evicted.
 */
final class ReplayGuard {

  /** How far a sealed input's sending time may be from this node's clock (clocks must agree this closely). */
  static final long WINDOW_MS = 60_000;
  static final int DATAGRAM_WINDOW = 1024;
  private static final int MAX_DATAGRAM_SEQUENCES = 4096;
  private static final int MAX_STREAM_SEQUENCES = 16_384;

  private static final class Window {
    /** The first counter seen, and the floor when this window was made: below it, input may be from before. */
    long first;
    long floorAtStart;
    long highest;
    final long[] seen = new long[DATAGRAM_WINDOW / 64];
    long lastSentAt;
  }

  private final Map<Long, Window> datagrams = new LinkedHashMap<>(64, 0.75f, true);
  private final Map<Long, Long> streams = new LinkedHashMap<>();
  private long datagramFloor = Long.MIN_VALUE;
  private long streamFloor = Long.MIN_VALUE;

  /** Null if the datagram is new and fresh, else why not; records it as seen when new. */
  DropReason datagram(long sequence, long counter, long sentAt, long now) {
    if (Math.abs(now - sentAt) > WINDOW_MS) {
      return DropReason.STALE;
    }
    Window w = datagrams.get(sequence);
    if (w == null) {
      if (sentAt <= datagramFloor) {
        return DropReason.REPLAYED;
      }
      w = new Window();
      w.first = counter;
      w.floorAtStart = datagramFloor;
      w.highest = counter;
      w.seen[0] = 1L;
      w.lastSentAt = sentAt;
      datagrams.put(sequence, w);
      trimDatagrams(now);
      return null;
    }
    if (counter < w.first && sentAt <= w.floorAtStart) {
      return DropReason.REPLAYED; // this sequence was evicted once; what it sent before then cannot be told apart
    }
    if (counter > w.highest) {
      shift(w.seen, counter - w.highest);
      w.highest = counter;
      w.seen[0] |= 1L;
    } else {
      long back = w.highest - counter;
      if (back >= DATAGRAM_WINDOW) {
        return DropReason.REPLAYED;
      }
      long bit = 1L << (back % 64);
      int word = (int) (back / 64);
      if ((w.seen[word] & bit) != 0) {
        return DropReason.REPLAYED;
      }
      w.seen[word] |= bit;
    }
    w.lastSentAt = Math.max(w.lastSentAt, sentAt);
    return null;
  }

  /** Null if a connection may start with this sequence and sending time, else why not; records the sequence. */
  DropReason streamStart(long sequence, long counter, long sentAt, long now) {
    if (Math.abs(now - sentAt) > WINDOW_MS) {
      return DropReason.STALE;
    }
    if (counter != 0 || streams.containsKey(sequence) || sentAt <= streamFloor) {
      return DropReason.REPLAYED;
    }
    streams.put(sequence, sentAt);
    Iterator<Map.Entry<Long, Long>> it = streams.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Long> eldest = it.next();
      boolean expired = eldest.getValue() < now - WINDOW_MS;
      if (!expired && streams.size() <= MAX_STREAM_SEQUENCES) {
        break;
      }
      if (!expired) {
        streamFloor = Math.max(streamFloor, eldest.getValue());
      }
      it.remove();
    }
    return null;
  }

  private void trimDatagrams(long now) {
    Iterator<Window> it = datagrams.values().iterator();
    while (it.hasNext()) {
      Window eldest = it.next();
      boolean expired = eldest.lastSentAt < now - WINDOW_MS;
      if (!expired && datagrams.size() <= MAX_DATAGRAM_SEQUENCES) {
        break;
      }
      if (!expired) {
        datagramFloor = Math.max(datagramFloor, eldest.lastSentAt);
      }
      it.remove();
    }
  }

  /** Shifts the bitmap towards older counters by {@code by} bits (bit 0 is the highest counter). */
  private static void shift(long[] seen, long by) {
    if (by >= DATAGRAM_WINDOW) {
      java.util.Arrays.fill(seen, 0);
      return;
    }
    int words = (int) (by / 64);
    int bits = (int) (by % 64);
    for (int i = seen.length - 1; i >= 0; i--) {
      long v = i - words >= 0 ? seen[i - words] << bits : 0;
      if (bits != 0 && i - words - 1 >= 0) {
        v |= seen[i - words - 1] >>> (64 - bits);
      }
      seen[i] = v;
    }
  }

  int datagramSequences() {
    return datagrams.size();
  }

  int streamSequences() {
    return streams.size();
  }
}
