package org.vertxgossip.demo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} command-line options, checked against the names a program accepts. */
final class DemoArgs {

  private final Map<String, String> values;

  private DemoArgs(Map<String, String> values) {
    this.values = values;
  }

  static DemoArgs parse(String[] args, String... accepted) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!List.of(accepted).contains(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; accepted: " + String.join(", ", accepted));
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      values.put(args[i], args[++i]);
    }
    return new DemoArgs(values);
  }

  String get(String name, String otherwise) {
    return values.getOrDefault(name, otherwise);
  }

  int getInt(String name, int otherwise) {
    String v = values.get(name);
    if (v == null) {
      return otherwise;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not " + v);
    }
  }
}
