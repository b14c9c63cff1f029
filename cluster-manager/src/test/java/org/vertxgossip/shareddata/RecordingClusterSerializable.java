package org.vertxgossip.shareddata;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.shareddata.ClusterSerializable;
import java.util.concurrent.atomic.AtomicInteger;

/** A ClusterSerializable outside the default allow-list; it records whether it was ever initialised or created. */
public final class RecordingClusterSerializable implements ClusterSerializable {

  public static final AtomicInteger TOUCHED = new AtomicInteger();

  static {
    TOUCHED.incrementAndGet();
  }

  public String value = "";

  public RecordingClusterSerializable() {
    TOUCHED.incrementAndGet();
  }

  @Override
  public void writeToBuffer(Buffer buffer) {
    byte[] b = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    buffer.appendInt(b.length).appendBytes(b);
  }

  @Override
  public int readFromBuffer(int pos, Buffer buffer) {
    int n = buffer.getInt(pos);
    value = buffer.getString(pos + 4, pos + 4 + n);
    return pos + 4 + n;
  }
}
