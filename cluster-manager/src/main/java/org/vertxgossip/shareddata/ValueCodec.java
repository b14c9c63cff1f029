package org.vertxgossip.shareddata;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.ClusterSerializable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Keys and values of the shared-data API as bytes: a type tag, then the value. Covers every type {@code SharedData}
 * accepts; {@code ClusterSerializable} classes are created with their no-arg constructor and Java-serialized values
 * are read, both through the thread context class loader and only as far as the {@link ValueFilter} allows. Keys
 * are compared by these bytes.
 */
public final class ValueCodec {

  private static final byte NULL = 0;
  private static final byte STRING = 1;
  private static final byte INT = 2;
  private static final byte LONG = 3;
  private static final byte SHORT = 4;
  private static final byte BYTE = 5;
  private static final byte DOUBLE = 6;
  private static final byte FLOAT = 7;
  private static final byte BOOLEAN = 8;
  private static final byte CHAR = 9;
  private static final byte BYTES = 10;
  private static final byte BUFFER = 11;
  private static final byte JSON_OBJECT = 12;
  private static final byte JSON_ARRAY = 13;
  private static final byte CLUSTER_SERIALIZABLE = 14;
  private static final byte SERIALIZABLE = 15;

  private ValueCodec() {
  }

  public static byte[] encode(Object o) {
    Buffer b = Buffer.buffer();
    if (o == null) {
      b.appendByte(NULL);
    } else if (o instanceof String s) {
      b.appendByte(STRING).appendString(s, "UTF-8");
    } else if (o instanceof Integer i) {
      b.appendByte(INT).appendInt(i);
    } else if (o instanceof Long l) {
      b.appendByte(LONG).appendLong(l);
    } else if (o instanceof Short s) {
      b.appendByte(SHORT).appendShort(s);
    } else if (o instanceof Byte x) {
      b.appendByte(BYTE).appendByte(x);
    } else if (o instanceof Double d) {
      b.appendByte(DOUBLE).appendDouble(d);
    } else if (o instanceof Float f) {
      b.appendByte(FLOAT).appendFloat(f);
    } else if (o instanceof Boolean x) {
      b.appendByte(BOOLEAN).appendByte((byte) (x ? 1 : 0));
    } else if (o instanceof Character c) {
      b.appendByte(CHAR).appendShort((short) c.charValue());
    } else if (o instanceof byte[] bytes) {
      b.appendByte(BYTES).appendBytes(bytes);
    } else if (o instanceof JsonObject j) {
      b.appendByte(JSON_OBJECT).appendBuffer(j.toBuffer());
    } else if (o instanceof JsonArray j) {
      b.appendByte(JSON_ARRAY).appendBuffer(j.toBuffer());
    } else if (o instanceof Buffer buf) {
      b.appendByte(BUFFER).appendBuffer(buf);
    } else if (o instanceof ClusterSerializable cs) {
      byte[] name = o.getClass().getName().getBytes(StandardCharsets.UTF_8);
      b.appendByte(CLUSTER_SERIALIZABLE).appendInt(name.length).appendBytes(name);
      cs.writeToBuffer(b);
    } else if (o instanceof Serializable) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
        oos.writeObject(o);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot serialize " + o.getClass().getName(), e);
      }
      b.appendByte(SERIALIZABLE).appendBytes(out.toByteArray());
    } else {
      throw new IllegalArgumentException("unsupported type for clustered shared data: " + o.getClass().getName());
    }
    return b.getBytes();
  }

  /** The value of {@code bytes}; a class the filter refuses fails this read only, with a message naming it. */
  @SuppressWarnings("unchecked")
  public static <T> T decode(byte[] bytes, ValueFilter filter) {
    if (bytes == null) {
      return null;
    }
    Buffer b = Buffer.buffer(bytes);
    int len = b.length();
    Object o = switch (b.getByte(0)) {
      case NULL -> null;
      case STRING -> b.getString(1, len, "UTF-8");
      case INT -> b.getInt(1);
      case LONG -> b.getLong(1);
      case SHORT -> b.getShort(1);
      case BYTE -> b.getByte(1);
      case DOUBLE -> b.getDouble(1);
      case FLOAT -> b.getFloat(1);
      case BOOLEAN -> b.getByte(1) != 0;
      case CHAR -> (char) b.getShort(1);
      case BYTES -> b.getBytes(1, len);
      case BUFFER -> b.getBuffer(1, len);
      case JSON_OBJECT -> new JsonObject(b.getBuffer(1, len));
      case JSON_ARRAY -> new JsonArray(b.getBuffer(1, len));
      case CLUSTER_SERIALIZABLE -> clusterSerializable(b, filter);
      case SERIALIZABLE -> serializable(b.getBytes(1, len), filter);
      default -> throw new IllegalArgumentException("unknown value type " + b.getByte(0));
    };
    return (T) o;
  }

  private static Object clusterSerializable(Buffer b, ValueFilter filter) {
    int nameLength = b.getInt(1);
    if (nameLength < 0 || nameLength > b.length() - 5) {
      throw new IllegalArgumentException("malformed ClusterSerializable value");
    }
    String name = b.getString(5, 5 + nameLength, "UTF-8");
    if (!filter.allowsClusterSerializable(name)) {
      throw new IllegalStateException("vertx-gossip refused a shared-data value of class " + name + ": "
          + "clusterSerializableClasses allows " + filter.describeClusterSerializable() + " (src-docs/security.md)");
    }
    try {
      // Not initialised before the check: a class that is no ClusterSerializable never runs a line.
      Class<?> type = Class.forName(name, false, loader());
      if (!ClusterSerializable.class.isAssignableFrom(type)) {
        throw new IllegalStateException("vertx-gossip refused a shared-data value of class " + name
            + ": it is not a ClusterSerializable");
      }
      ClusterSerializable cs = (ClusterSerializable) type.getDeclaredConstructor().newInstance();
      cs.readFromBuffer(5 + nameLength, b);
      return cs;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + name + " (a ClusterSerializable needs a public no-arg "
          + "constructor)", e);
    }
  }

  private static Object serializable(byte[] bytes, ValueFilter filter) {
    ValueFilter.Recording recording = filter.recording();
    try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader())) {
      in.setObjectInputFilter(recording);
      return in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      if (recording.refused() != null) {
        throw new IllegalStateException("vertx-gossip refused a shared-data value of class " + recording.refused()
            + ": serializableClasses allows " + filter.describeSerializable() + " (src-docs/security.md)", e);
      }
      throw new IllegalStateException("cannot deserialize a shared-data value", e);
    }
  }

  private static ClassLoader loader() {
    ClassLoader tccl = Thread.currentThread().getContextClassLoader();
    return tccl != null ? tccl : ValueCodec.class.getClassLoader();
  }

  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc);
      }
    }
  }
}
