package org.vertxgossip.membership;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Messages waiting to be piggybacked: least-transmitted first, newest first among equals. A message with a key
 * (the node it is about) replaces any older one with the same key, so newer news about a node invalidates older.
 * Each message is dropped after the transmit limit; the queue is bounded, dropping the most-sent first.
 */
final class BroadcastQueue {

  static final class Item implements Comparable<Item> {
    final Object key;
    final byte[] entry;
    final long id;
    int transmits;

    Item(Object key, byte[] entry, long id) {
      this.key = key;
      this.entry = entry;
      this.id = id;
    }

    @Override
    public int compareTo(Item o) {
      if (transmits != o.transmits) {
        return Integer.compare(transmits, o.transmits);
      }
      return Long.compare(o.id, id);
    }
  }

  /** A packet that is nearly full stops looking after this many entries that do not fit: the scan stays short. */
  private static final int MAX_MISSES = 32;

  private final TreeSet<Item> items = new TreeSet<>();
  private final Map<Object, Item> byKey = new HashMap<>();
  private final int capacity;
  private long nextId;
  private long dropped;

  BroadcastQueue(int capacity) {
    this.capacity = capacity;
  }

  /** Queues an encoded compound entry; {@code key} may be null for messages that invalidate nothing. */
  void add(Object key, byte[] entry) {
    if (key != null) {
      Item old = byKey.remove(key);
      if (old != null) {
        items.remove(old);
      }
    }
    Item item = new Item(key, entry, nextId++);
    items.add(item);
    if (key != null) {
      byKey.put(key, item);
    }
    while (items.size() > capacity) {
      Item worst = items.pollLast();
      if (worst.key != null) {
        byKey.remove(worst.key);
      }
      dropped++;
    }
  }

  /**
   * Takes entries that fit in {@code budget} bytes, counts one transmit for each and drops those that reached
   * {@code limit}. Returns them in the order taken.
   */
  List<byte[]> take(int budget, int limit) {
    List<byte[]> out = new ArrayList<>();
    if (items.isEmpty()) {
      return out;
    }
    List<Item> taken = new ArrayList<>();
    int room = budget;
    int misses = 0;
    for (Item item : items) {
      if (room < MessageSizes.SMALLEST_ENTRY || misses > MAX_MISSES) {
        break;
      }
      if (item.entry.length <= room) {
        taken.add(item);
        room -= item.entry.length;
        misses = 0;
      } else {
        misses++;
      }
    }
    for (Item item : taken) {
      items.remove(item);
      out.add(item.entry);
      item.transmits++;
      if (item.transmits < limit) {
        items.add(item);
      } else if (item.key != null) {
        byKey.remove(item.key);
      }
    }
    return out;
  }

  boolean isEmpty() {
    return items.isEmpty();
  }

  int size() {
    return items.size();
  }

  long dropped() {
    return dropped;
  }

  /** Whether anything about {@code key} is still waiting (a leaver waits for its own announcement to go out). */
  int transmitsOf(Object key) {
    Item item = byKey.get(key);
    return item == null ? -1 : item.transmits;
  }
}
