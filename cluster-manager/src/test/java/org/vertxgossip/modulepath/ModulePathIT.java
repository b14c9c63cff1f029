package org.vertxgossip.modulepath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged cluster manager on the module path ({@code --module-path}, its module descriptor in force, with
 * Vert.x, Netty and Jackson as the modules they are, and neither vertx-health-check nor Micrometer): a JVM runs
 * {@link ModulePathMain} and must report a cluster of two that answers a request, a map read and a counter.
 * Runs after the package phase, on the jar.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ModulePathIT {

  private static final Path TARGET = Path.of(System.getProperty("user.dir"), "target");

  @Test
  void theJarRunsOnTheModulePathAndVertxFindsItByItsProvidesClause() throws Exception {
    Path jar;
    try (var files = Files.list(TARGET)) {
      jar = files.filter(p -> p.getFileName().toString().matches("vertx-gossip-cluster-manager-.*\\d(-SNAPSHOT)?\\.jar"))
          .findFirst().orElseThrow(() -> new AssertionError("no packaged jar in " + TARGET));
    }
    List<String> modulePath = new ArrayList<>(List.of(jar.toString()));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      // The library's runtime dependencies, as an application would put them on its module path.
      if (name.matches("(vertx-core|vertx-core-logging|jackson-core|netty-[a-z0-9-]+)-[0-9][^-]*(\\.Final)?\\.jar")
          && !entry.contains("tests")) {
        modulePath.add(entry);
      }
    }
    String cluster = "modpath-" + UUID.randomUUID();
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--module-path", String.join(File.pathSeparator, modulePath), "--add-modules", "org.vertxgossip",
        "-cp", Path.of(TARGET.toString(), "test-classes").toString(),
        "-Djava.net.preferIPv4Stack=true", "-Dvertx.gossip.clusterName=" + cluster, "-Dvertx.gossip.host=127.0.0.26",
        "-Dvertx.gossip.port=28900", "-Dvertx.gossip.seeds=127.0.0.26:28900", "-Dvertx.gossip.profile=local",
        ModulePathMain.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
    System.out.println(out.lines().filter(l -> !l.startsWith("INFO:") && !l.startsWith("WARNING:")
        && !l.matches("^[A-Z][a-z]{2} \\d\\d, .*")).reduce("ModulePathIT's JVM said:", (a, b) -> a + "\n  " + b));
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
    assertTrue(out.contains("cluster manager in module org.vertxgossip"), out);
    assertTrue(out.contains("found by Vert.x: org.vertxgossip.GossipClusterManager in module org.vertxgossip"), out);
    assertTrue(out.contains("members 2, reply re:x, map v, counter 1"), out);
  }
}
