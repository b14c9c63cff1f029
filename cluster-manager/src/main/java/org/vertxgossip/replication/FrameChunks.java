package org.vertxgossip.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/** Splits what one message would carry into frames of at most so many items and so many bytes. */
final class FrameChunks {

  private FrameChunks() {
  }

  /**
   * Hands {@code emit} consecutive runs of {@code items}, each of at most {@code maxItems} and (but for a single
   * item larger than that) {@code maxBytes} by {@code size}; at least one run, empty if there are no items, when
   * {@code emitEmpty}. Returns the number of runs.
   */
  static <T> int split(Iterable<T> items, ToLongFunction<T> size, int maxItems, long maxBytes, boolean emitEmpty,
                       Consumer<List<T>> emit) {
    int runs = 0;
    List<T> chunk = new ArrayList<>();
    long bytes = 0;
    for (T item : items) {
      long n = size.applyAsLong(item);
      if (!chunk.isEmpty() && (chunk.size() == maxItems || bytes + n > maxBytes)) {
        emit.accept(chunk);
        runs++;
        chunk = new ArrayList<>();
        bytes = 0;
      }
      chunk.add(item);
      bytes += n;
    }
    if (!chunk.isEmpty() || (emitEmpty && runs == 0)) {
      emit.accept(chunk);
      runs++;
    }
    return runs;
  }
}
