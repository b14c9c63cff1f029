package org.vertxgossip.shareddata;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/** Stands for a deserialization gadget: it records each time its {@code readObject} ran, i.e. code ran on read. */
public final class RecordingGadget implements Serializable {

  private static final long serialVersionUID = 1L;
  public static final AtomicInteger RAN = new AtomicInteger();

  public String payload = "rm -rf /";

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    RAN.incrementAndGet();
  }
}
