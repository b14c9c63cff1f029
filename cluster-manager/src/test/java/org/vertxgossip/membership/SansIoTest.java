package org.vertxgossip.membership;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The protocol core must run unchanged in the simulator and over Netty: no I/O, no threads, no clock of its own. */
class SansIoTest {

  private static final List<String> FORBIDDEN = List.of("import io.netty", "import io.vertx", "java.net.",
      "java.nio.channels", "System.currentTimeMillis", "System.nanoTime", "new Thread", "Executor", "Thread.sleep",
      "synchronized", "java.util.concurrent", "Instant.now", "Clock.system", "new Random(");

  @Test
  void theMembershipPackagesUseNoIoThreadsOrClocks() throws IOException {
    Path root = Path.of("src/main/java/org/vertxgossip/membership");
    List<String> offences = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String text = Files.readString(f);
        for (String bad : FORBIDDEN) {
          if (text.contains(bad)) {
            offences.add(root.relativize(f) + ": " + bad);
          }
        }
      }
    }
    assertTrue(offences.isEmpty(), "sans-IO violations: " + offences);
  }
}
