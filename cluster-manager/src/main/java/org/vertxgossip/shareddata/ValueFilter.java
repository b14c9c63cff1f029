package org.vertxgossip.shareddata;

import java.io.ObjectInputFilter;
import java.util.List;

/**
 * Which classes a shared-data value may make this member create: the Java-serialized ones pass through an
 * {@link ObjectInputFilter} (an allow-list: the JDK's value types by default, plus the {@code serializableClasses}
 * patterns; the known gadget families are refused whatever is allowed), and {@code ClusterSerializable} classes
 * must match {@code clusterSerializableClasses} (class names, or package prefixes ending in {@code .}) before
 * they are even loaded. A value from another member is input like any other: a member holding the key may still
 * be compromised or buggy, and one planted value must not run code on whoever reads it.
 */
public final class ValueFilter {

  /** Refused even when a pattern allows them: classes that known deserialization gadget chains are built from. */
  static final String GADGETS = String.join(";",
      "!org.apache.commons.collections.functors.*", "!org.apache.commons.collections4.functors.*",
      "!org.apache.commons.beanutils.**", "!org.codehaus.groovy.runtime.**", "!groovy.lang.**",
      "!com.sun.org.apache.xalan.internal.xsltc.**", "!org.apache.xalan.xsltc.**", "!sun.reflect.annotation.*",
      "!java.rmi.**", "!sun.rmi.**", "!javax.management.**", "!com.sun.jndi.**", "!javax.naming.**",
      "!java.beans.**", "!com.sun.rowset.**", "!org.springframework.beans.factory.**",
      "!org.springframework.core.SerializableTypeWrapper*", "!org.springframework.aop.**", "!bsh.**",
      "!clojure.**", "!com.mchange.v2.c3p0.**", "!org.python.core.**", "!org.hibernate.engine.**",
      "!org.hibernate.property.**", "!org.hibernate.tuple.**", "!org.mozilla.javascript.**",
      "!com.rometools.rome.feed.impl.**", "!com.sun.syndication.feed.impl.**", "!net.sf.json.**",
      "!org.jboss.interceptor.**", "!org.jboss.weld.interceptor.**", "!org.apache.commons.fileupload.**",
      "!org.apache.wicket.util.upload.**", "!org.apache.myfaces.**", "!com.vaadin.data.util.**",
      "!org.apache.click.control.**", "!com.alibaba.fastjson.**", "!com.fasterxml.jackson.databind.node.POJONode",
      "!org.apache.commons.configuration.**", "!org.apache.commons.configuration2.**",
      "!java.net.URL", "!java.net.InetAddress", "!java.lang.reflect.Proxy", "!java.lang.Runtime",
      "!java.lang.ProcessBuilder", "!java.lang.Thread", "!java.lang.ClassLoader");
  /** The JDK's value types: boxes, strings, enums, collections, time, big numbers, UUID. */
  static final String JDK_VALUES = String.join(";",
      "java.lang.*", "java.util.*", "java.util.concurrent.*", "java.util.concurrent.atomic.*", "java.time.*",
      "java.math.BigInteger", "java.math.BigDecimal", "java.net.URI");
  /**
   * Bounds on the object graph, whatever the classes; the depth is low because nested sets cost about 2^depth to
   * read (the known hash-collision denial of service).
   */
  static final String LIMITS = "maxdepth=20;maxrefs=1000000;maxarray=100000000";
  /** Vert.x's own ClusterSerializable types. */
  public static final String DEFAULT_CLUSTER_SERIALIZABLE = "io.vertx.";

  private final ObjectInputFilter serializable;
  private final List<String> serializablePatterns;
  private final List<String> clusterSerializable;

  /**
   * @param serializablePatterns ObjectInputFilter patterns allowed beyond the JDK's value types
   *                             ({@code com.example.Dto}, {@code com.example.*}, {@code com.example.**})
   * @param clusterSerializable  class names, or package prefixes ending in {@code .}
   * @throws IllegalArgumentException for a pattern the JDK does not parse
   */
  public ValueFilter(List<String> serializablePatterns, List<String> clusterSerializable) {
    this.serializablePatterns = List.copyOf(serializablePatterns);
    this.clusterSerializable = List.copyOf(clusterSerializable);
    StringBuilder pattern = new StringBuilder(LIMITS).append(';').append(GADGETS);
    for (String p : serializablePatterns) {
      if (p.startsWith("!") || p.contains("=") || p.contains(";")) {
        throw new IllegalArgumentException("'" + p + "' is not a class pattern (com.example.Type, com.example.* "
            + "or com.example.**)");
      }
      pattern.append(';').append(p);
    }
    pattern.append(';').append(JDK_VALUES).append(";!*");
    this.serializable = ObjectInputFilter.Config.createFilter(pattern.toString());
  }

  /** The JDK's value types and Vert.x's ClusterSerializable types only. */
  public static ValueFilter defaults() {
    return new ValueFilter(List.of(), List.of(DEFAULT_CLUSTER_SERIALIZABLE));
  }

  /** The filter for one value's stream; it remembers the first class it refused, for the error. */
  Recording recording() {
    return new Recording();
  }

  final class Recording implements ObjectInputFilter {
    private String refused;

    @Override
    public Status checkInput(FilterInfo info) {
      Status s = serializable.checkInput(info);
      if (s == Status.REJECTED && refused == null) {
        refused = info.serialClass() != null ? info.serialClass().getName() : "an object graph past the limits ("
            + LIMITS + ")";
      }
      return s;
    }

    String refused() {
      return refused;
    }
  }

  /** Whether a ClusterSerializable class of this name may be loaded and created. */
  boolean allowsClusterSerializable(String className) {
    for (String entry : clusterSerializable) {
      if (entry.endsWith(".") ? className.startsWith(entry) : className.equals(entry)) {
        return true;
      }
    }
    return false;
  }

  String describeSerializable() {
    return serializablePatterns.isEmpty() ? "the JDK's value types only" : "the JDK's value types and "
        + String.join(", ", serializablePatterns);
  }

  String describeClusterSerializable() {
    return String.join(", ", clusterSerializable);
  }
}
