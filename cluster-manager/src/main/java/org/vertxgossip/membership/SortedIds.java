package org.vertxgossip.membership;

import java.util.Arrays;
import java.util.List;

/** A sorted id array updated by a view delta in one linear merge, rather than re-sorted: O(N) per view, not O(N log N). */
final class SortedIds {

  private SortedIds() {
  }

  static NodeId[] apply(NodeId[] sorted, List<NodeId> removed, List<NodeId> added) {
    NodeId[] gone = removed.toArray(new NodeId[0]);
    Arrays.sort(gone);
    NodeId[] in = added.toArray(new NodeId[0]);
    Arrays.sort(in);
    NodeId[] out = new NodeId[sorted.length - gone.length + in.length];
    int o = 0;
    int a = 0;
    for (NodeId id : sorted) {
      if (Arrays.binarySearch(gone, id) >= 0) {
        continue;
      }
      while (a < in.length && in[a].compareTo(id) < 0) {
        out[o++] = in[a++];
      }
      out[o++] = id;
    }
    while (a < in.length) {
      out[o++] = in[a++];
    }
    return o == out.length ? out : Arrays.copyOf(out, o);
  }
}
