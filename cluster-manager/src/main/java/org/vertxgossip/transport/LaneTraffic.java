package org.vertxgossip.transport;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bytes and packets (datagrams and frames) in and out per lane, envelope and seal included; on the transport's
 * loop. Input counts once its envelope names a known lane, whether or not it is then accepted.
 */
final class LaneTraffic {
  private final long[] bytesIn = new long[Lane.values().length];
  private final long[] bytesOut = new long[Lane.values().length];
  private final long[] packetsIn = new long[Lane.values().length];
  private final long[] packetsOut = new long[Lane.values().length];

  void in(Lane lane, long bytes) {
    bytesIn[lane.ordinal()] += bytes;
    packetsIn[lane.ordinal()]++;
  }

  void out(Lane lane, long bytes) {
    bytesOut[lane.ordinal()] += bytes;
    packetsOut[lane.ordinal()]++;
  }

  /** lane name (lower case) -> bytesIn, bytesOut, packetsIn, packetsOut. */
  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Lane lane : Lane.values()) {
      int i = lane.ordinal();
      m.put(lane.name().toLowerCase(java.util.Locale.ROOT), Map.of("bytesIn", bytesIn[i], "bytesOut", bytesOut[i],
          "packetsIn", packetsIn[i], "packetsOut", packetsOut[i]));
    }
    return m;
  }
}
