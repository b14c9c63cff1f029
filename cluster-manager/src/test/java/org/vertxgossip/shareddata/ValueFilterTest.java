package org.vertxgossip.shareddata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Values from the network create only the classes the filter allows: the gadget's code never runs, the refused
 * read fails with the class named, and the JDK's value types and allowed classes still read.
 */
class ValueFilterTest {

  @Test
  void aGadgetIsRefusedBeforeItsCodeRunsAndTheErrorNamesIt() {
    int before = RecordingGadget.RAN.get();
    byte[] planted = ValueCodec.encode(new RecordingGadget());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ValueCodec.decode(planted, ValueFilter.defaults()));
    assertTrue(e.getMessage().contains(RecordingGadget.class.getName()), e.getMessage());
    assertEquals(before, RecordingGadget.RAN.get(), "the gadget's readObject ran");
  }

  @Test
  void aGadgetInsideAnAllowedCollectionIsRefusedToo() {
    int before = RecordingGadget.RAN.get();
    HashMap<String, Object> map = new HashMap<>();
    map.put("innocent", new ArrayList<>(List.of(new RecordingGadget())));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ValueCodec.decode(ValueCodec.encode(map), ValueFilter.defaults()));
    assertTrue(e.getMessage().contains(RecordingGadget.class.getName()), e.getMessage());
    assertEquals(before, RecordingGadget.RAN.get());
  }

  @Test
  void theJdkValueTypesRead() {
    Map<String, Object> value = new HashMap<>();
    value.put("n", new BigDecimal("1.5"));
    value.put("t", Instant.ofEpochSecond(7));
    value.put("u", UUID.nameUUIDFromBytes(new byte[] {1}));
    value.put("l", new ArrayList<>(List.of(1, 2L, "3")));
    Object back = ValueCodec.decode(ValueCodec.encode((Serializable) value), ValueFilter.defaults());
    assertEquals(value, back);
  }

  @Test
  void anAllowedClassReadsAndItsCodeRuns() {
    int before = RecordingGadget.RAN.get();
    ValueFilter allowing = new ValueFilter(List.of(RecordingGadget.class.getName()), List.of());
    RecordingGadget g = ValueCodec.decode(ValueCodec.encode(new RecordingGadget()), allowing);
    assertEquals("rm -rf /", g.payload);
    assertEquals(before + 1, RecordingGadget.RAN.get());
  }

  @Test
  void theGadgetFamiliesStayRefusedWhateverIsAllowed() {
    ValueFilter everything = new ValueFilter(List.of("**"), List.of());
    // The JDK's own members of the families (the others are not on this class path; their patterns are alike).
    for (String gadget : List.of("com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl",
        "sun.reflect.annotation.AnnotationInvocationHandler", "javax.management.BadAttributeValueExpException",
        "java.rmi.server.UnicastRemoteObject", "java.lang.reflect.Proxy", "java.net.URL",
        "com.sun.rowset.JdbcRowSetImpl")) {
      java.io.ObjectInputFilter.Status s = everything.recording().checkInput(new Info(gadget));
      assertEquals(java.io.ObjectInputFilter.Status.REJECTED, s, gadget);
    }
  }

  @Test
  void aClusterSerializableOutsideTheAllowListIsNeverLoaded() throws Exception {
    byte[] value = ValueCodec.encode(new RecordingClusterSerializable());
    // Encoding created one instance here; what counts is that decoding creates none.
    int before = RecordingClusterSerializable.TOUCHED.get();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ValueCodec.decode(value, ValueFilter.defaults()));
    assertTrue(e.getMessage().contains(RecordingClusterSerializable.class.getName()), e.getMessage());
    assertEquals(before, RecordingClusterSerializable.TOUCHED.get());
    ValueFilter allowing = new ValueFilter(List.of(), List.of("org.vertxgossip.shareddata."));
    RecordingClusterSerializable back = ValueCodec.decode(value, allowing);
    assertEquals("", back.value);
  }

  @Test
  void aClassThatIsNoClusterSerializableIsRefusedEvenWhenAllowed() {
    byte[] name = "java.lang.ProcessBuilder".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    io.vertx.core.buffer.Buffer forged = io.vertx.core.buffer.Buffer.buffer().appendByte((byte) 14)
        .appendInt(name.length).appendBytes(name);
    ValueFilter allowing = new ValueFilter(List.of(), List.of("java."));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ValueCodec.decode(forged.getBytes(), allowing));
    assertTrue(e.getMessage().contains("not a ClusterSerializable"), e.getMessage());
  }

  @Test
  void aDeepGraphIsRefused() {
    List<Object> deep = new ArrayList<>();
    List<Object> at = deep;
    for (int i = 0; i < 200; i++) {
      List<Object> next = new ArrayList<>();
      at.add(next);
      at = next;
    }
    byte[] value = ValueCodec.encode((Serializable) deep);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ValueCodec.decode(value, ValueFilter.defaults()));
    assertTrue(e.getMessage().contains("limits"), e.getMessage());
  }

  /** A filter query for one class, as the stream asks it. */
  private record Info(String className) implements java.io.ObjectInputFilter.FilterInfo {
    @Override
    public Class<?> serialClass() {
      try {
        return Class.forName(className, false, ClassLoader.getPlatformClassLoader());
      } catch (ClassNotFoundException e) {
        throw new AssertionError("not on this JDK: " + className, e);
      }
    }

    @Override
    public long arrayLength() {
      return -1;
    }

    @Override
    public long depth() {
      return 1;
    }

    @Override
    public long references() {
      return 1;
    }

    @Override
    public long streamBytes() {
      return 1;
    }
  }
}
