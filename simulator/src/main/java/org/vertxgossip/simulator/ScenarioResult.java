package org.vertxgossip.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of one scenario run, in a fixed field order, printable as JSON or as a table row. */
final class ScenarioResult {

  static final List<String> COLUMNS = List.of("scenario", "nodes", "seed", "detect_p50_s", "detect_p99_s",
      "rounds_999", "false_dead", "heal_s", "bytes_per_node_s", "same_view_sequence");

  final Map<String, Object> fields = new LinkedHashMap<>();

  ScenarioResult(String scenario, int nodes, long seed) {
    for (String c : COLUMNS) {
      fields.put(c, null);
    }
    fields.put("scenario", scenario);
    fields.put("nodes", nodes);
    fields.put("seed", seed);
  }

  ScenarioResult put(String key, Object value) {
    fields.put(key, value instanceof Double d ? Math.round(d * 1000) / 1000.0 : value);
    return this;
  }

  Object get(String key) {
    return fields.get(key);
  }

  double number(String key) {
    return ((Number) fields.get(key)).doubleValue();
  }

  String toJson() {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      write(g, fields);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  private static void write(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
        g.writeFieldName(e.getKey());
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object o : l) {
        write(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Integer i) {
      g.writeNumber(i);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Double d) {
      g.writeNumber(d);
    } else {
      g.writeString(v.toString());
    }
  }

  static String tableHeader() {
    StringBuilder sb = new StringBuilder();
    for (String c : COLUMNS) {
      sb.append(String.format("%-" + width(c) + "s ", c));
    }
    return sb.toString().stripTrailing();
  }

  String tableRow() {
    StringBuilder sb = new StringBuilder();
    for (String c : COLUMNS) {
      Object v = fields.get(c);
      sb.append(String.format("%-" + width(c) + "s ", v == null ? "-" : v));
    }
    return sb.toString().stripTrailing();
  }

  /** The fields beyond the common columns, one per line. */
  String details() {
    StringBuilder sb = new StringBuilder();
    fields.forEach((k, v) -> {
      if (!COLUMNS.contains(k) && !(v instanceof List)) {
        sb.append("    ").append(k).append(" = ").append(v).append('\n');
      }
    });
    return sb.toString();
  }

  private static int width(String column) {
    return Math.max(column.length(), column.equals("scenario") ? 13 : 6);
  }
}
