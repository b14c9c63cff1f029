package org.vertxgossip.replication;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code long} counters of a stats object, by field name, in declaration order. */
final class StatCounters {

  private StatCounters() {
  }

  static Map<String, Long> of(Object stats) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Field f : stats.getClass().getDeclaredFields()) {
      if (f.getType() == long.class && !Modifier.isStatic(f.getModifiers())) {
        try {
          m.put(f.getName(), f.getLong(stats));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return m;
  }
}
