package org.vertxgossip.demo.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The services of a docker-compose file as the test runs them: the fields Docker would act on for the demo
 * (command, environment, working directory, bind mounts, network aliases, published ports, healthcheck, stop
 * grace period), read from the file itself so that the file and the test cannot drift. Services behind a profile
 * are left out, as {@code docker compose up} leaves them.
 */
record ComposeFile(List<Service> services) {

  /** One service. Paths are the container's; {@link #hostPath} maps them through the bind mounts. */
  record Service(String name, List<String> command, Map<String, String> environment, String workingDir,
                 Map<String, Path> mounts, Map<String, List<String>> aliases, List<Integer> containerPorts,
                 List<String> healthcheck, Duration stopGrace) {

    /** {@code containerPath} on this machine, through the longest bind mount that holds it; null if none does. */
    Path hostPath(String containerPath) {
      String best = null;
      for (String target : mounts.keySet()) {
        if ((containerPath.equals(target) || containerPath.startsWith(target + "/"))
            && (best == null || target.length() > best.length())) {
          best = target;
        }
      }
      return best == null ? null : mounts.get(best).resolve(containerPath.substring(best.length()).replaceFirst("^/", ""));
    }

    /** The command with every container path that a bind mount holds replaced by its path here. */
    List<String> hostCommand() {
      List<String> out = new ArrayList<>();
      for (String arg : command) {
        Path p = arg.startsWith("/") ? hostPath(arg) : null;
        out.add(p == null ? arg : p.toString());
      }
      return out;
    }
  }

  @SuppressWarnings("unchecked")
  static ComposeFile read(Path file) throws IOException {
    Map<String, Object> root;
    try (Reader r = Files.newBufferedReader(file)) {
      root = new Yaml().load(r);
    }
    Path dir = file.toAbsolutePath().getParent();
    List<Service> services = new ArrayList<>();
    for (Map.Entry<String, Object> e : ((Map<String, Object>) root.get("services")).entrySet()) {
      Map<String, Object> s = (Map<String, Object>) e.getValue();
      if (s.containsKey("profiles")) {
        continue;
      }
      services.add(service(e.getKey(), s, dir));
    }
    return new ComposeFile(services);
  }

  @SuppressWarnings("unchecked")
  private static Service service(String name, Map<String, Object> s, Path dir) {
    List<String> command = new ArrayList<>();
    ((List<Object>) s.get("command")).forEach(o -> command.add(String.valueOf(o)));
    Map<String, String> env = new LinkedHashMap<>();
    ((Map<String, Object>) s.getOrDefault("environment", Map.of())).forEach((k, v) -> env.put(k, String.valueOf(v)));
    Map<String, Path> mounts = new LinkedHashMap<>();
    for (Object v : (List<Object>) s.getOrDefault("volumes", List.of())) {
      String[] parts = String.valueOf(v).split(":");
      if (parts[0].startsWith(".") || parts[0].startsWith("/")) { // a bind mount, not a named volume
        mounts.put(parts[1], dir.resolve(parts[0]).normalize());
      }
    }
    Map<String, List<String>> aliases = new LinkedHashMap<>();
    ((Map<String, Object>) s.getOrDefault("networks", Map.of())).forEach((net, conf) -> {
      List<String> list = new ArrayList<>();
      if (conf instanceof Map<?, ?> m && m.get("aliases") instanceof List<?> l) {
        l.forEach(a -> list.add(String.valueOf(a)));
      }
      aliases.put(net, list);
    });
    List<Integer> ports = new ArrayList<>();
    for (Object p : (List<Object>) s.getOrDefault("ports", List.of())) {
      String[] parts = String.valueOf(p).split(":");
      ports.add(Integer.parseInt(parts[parts.length - 1]));
    }
    List<String> health = new ArrayList<>();
    if (s.get("healthcheck") instanceof Map<?, ?> h && h.get("test") instanceof List<?> t) {
      t.forEach(o -> health.add(String.valueOf(o)));
    }
    return new Service(name, command, env, String.valueOf(s.get("working_dir")), mounts, aliases, ports, health,
        duration(String.valueOf(s.getOrDefault("stop_grace_period", "10s"))));
  }

  /** Compose's durations: {@code 1m30s}, {@code 20s}, {@code 500ms}. */
  static Duration duration(String text) {
    Matcher m = Pattern.compile("(\\d+)(ms|h|m|s)").matcher(text);
    Duration d = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw new IllegalArgumentException("not a compose duration: " + text);
      }
      end = m.end();
      long n = Long.parseLong(m.group(1));
      d = d.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      });
    }
    if (end != text.length() || end == 0) {
      throw new IllegalArgumentException("not a compose duration: " + text);
    }
    return d;
  }
}
