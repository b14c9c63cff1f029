package org.vertxgossip.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A {@link ProcessNode} in its own JVM, with the lines it printed, and signals to stop, continue or kill it. */
final class ExternalNode implements AutoCloseable {

  private final Process process;
  private final List<String> lines = new ArrayList<>();
  final String host;
  volatile String nodeId;

  ExternalNode(String host, int port, String seeds, String cluster, String... extra) throws IOException {
    this(List.of("-Xmx128m"), host, port, seeds, cluster, extra);
  }

  /** With JVM options of its own ({@code -Xmx…} for members that hold large stores, {@code -Dvertx.gossip.…}). */
  ExternalNode(List<String> jvm, String host, int port, String seeds, String cluster, String... extra)
      throws IOException {
    this.host = host;
    List<String> cmd = new ArrayList<>(List.of(
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
        "-cp", System.getProperty("java.class.path"), ProcessNode.class.getName(), host, Integer.toString(port),
        seeds, cluster));
    cmd.addAll(1, jvm);
    cmd.addAll(List.of(extra));
    process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Thread reader = new Thread(this::read, "external-" + host);
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("READY ")) {
          nodeId = line.substring(6).trim();
        }
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  int lineCount() {
    synchronized (lines) {
      return lines.size();
    }
  }

  /** The first line at or after {@code from} that matches, waiting up to {@code timeoutMs}; null if none came. */
  String awaitLine(int from, Predicate<String> match, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    synchronized (lines) {
      int i = from;
      while (true) {
        for (; i < lines.size(); i++) {
          if (match.test(lines.get(i))) {
            return lines.get(i);
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return null;
        }
        lines.wait(left);
      }
    }
  }

  /** Lines from {@code from} on that match. */
  List<String> linesFrom(int from, Predicate<String> match) {
    synchronized (lines) {
      return lines.subList(Math.min(from, lines.size()), lines.size()).stream().filter(match).toList();
    }
  }

  /** Sends a command and returns the first answer line starting with {@code answerPrefix}; fails after 30 s. */
  String ask(String command, String answerPrefix) throws IOException, InterruptedException {
    int mark = lineCount();
    command(command);
    String answer = awaitLine(mark, l -> l.startsWith(answerPrefix), 30_000);
    if (answer == null) {
      throw new AssertionError(host + " did not answer " + command);
    }
    return answer;
  }

  /**
   * Waits, with one deadline for all, until each node's view has {@code size} members. READY alone does not mean
   * one cluster: a joiner is ready in a view that may not have admitted the next one yet, and a seed whose start
   * stalled past its discovery window can found a view of its own, whose merge keeps only one side's data.
   */
  static void awaitSize(List<ExternalNode> nodes, int size, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    for (ExternalNode n : nodes) {
      ClusterFixture.awaitTrue(() -> {
        try {
          return ("SIZE " + size).equals(n.ask("SIZE", "SIZE "));
        } catch (IOException e) {
          throw new AssertionError(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }, Math.max(0, deadline - System.currentTimeMillis()), () -> n.host + " sees " + size + " members"
          + n.problems());
    }
  }

  /** Sends one command line to the node's stdin. */
  void command(String line) throws IOException {
    process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().flush();
  }

  /** This node's warnings, errors and removals from its view so far (each with the line after it), for failures. */
  String problems() {
    StringBuilder out = new StringBuilder();
    synchronized (lines) {
      for (int i = 0; i < lines.size(); i++) {
        String l = lines.get(i);
        if (l.startsWith("WARNING:") || l.startsWith("SEVERE:") || l.contains(" (failed)")
            || l.contains(" (removed)")) {
          out.append(" | ").append(host).append(": ").append(l);
          if (i + 1 < lines.size()) {
            out.append(" / ").append(lines.get(i + 1));
          }
        }
      }
    }
    return out.toString();
  }

  /** Lines from {@code from} on that match, counted. */
  long count(int from, Predicate<String> match) {
    return linesFrom(from, match).size();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + signal + " failed");
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
