package org.vertxgossip.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link BenchNode} JVM: started with its manager's class path, commanded over standard input, its answers read
 * from standard output, its standard error kept in a log file, and its resources read from {@code /proc}.
 */
final class NodeProcess implements AutoCloseable {

  private static final long TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux the JDK runs on
  private final String name;
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private NodeProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("error " + e);
      }
      lines.add("exited");
    }, "bench-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  static NodeProcess start(String name, Manager manager, String cluster, String classPath, Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(manager.properties(cluster, freePort()));
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(BenchNode.class.getName());
    cmd.add(manager.name());
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
    return new NodeProcess(name, pb.start());
  }

  /** A port free for TCP and UDP on loopback just now (a seeded founder's). */
  private static int freePort() throws IOException {
    for (int i = 0; i < 16; i++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
          DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), InetAddress.getLoopbackAddress())) {
        return tcp.getLocalPort();
      } catch (SocketException taken) {
        // UDP had it: another one
      }
    }
    throw new IOException("no port free for both TCP and UDP");
  }

  long pid() {
    return process.pid();
  }

  /** Waits for the {@code started} line and returns its time to a running verticle, in ms. */
  long awaitStarted(long timeoutMs) throws Exception {
    String line = next(timeoutMs);
    if (!line.startsWith("started ")) {
      throw new IllegalStateException(name + " did not start: " + line);
    }
    return Long.parseLong(Results.field(line, "ms"));
  }

  /** Sends one command and returns its answer line; an {@code error} answer fails. */
  String command(String command, long timeoutMs) throws Exception {
    stdin.write(command + "\n");
    stdin.flush();
    String line = next(timeoutMs);
    if (line.startsWith("error") || line.equals("exited")) {
      throw new IllegalStateException(name + ": " + command + ": " + line);
    }
    return line;
  }

  private String next(long timeoutMs) throws Exception {
    String line = lines.poll(timeoutMs, TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new IllegalStateException(name + " gave no answer within " + timeoutMs + " ms");
    }
    return line;
  }

  /** Resident memory in bytes. */
  long rssBytes() throws IOException {
    return statusField("VmRSS:") * 1024;
  }

  long threads() throws IOException {
    return statusField("Threads:");
  }

  /** User and system CPU time used so far, in ms. */
  long cpuMillis() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
    // Fields after the command name, which is in parentheses and may hold spaces.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * 1000 / TICKS_PER_SECOND;
  }

  private long statusField(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
      }
    }
    throw new IOException("no " + field + " for " + name);
  }

  /** Asks the node to stop, and kills it if it has not exited within 30 s. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        stdin.write("stop\n");
        stdin.flush();
      }
    } catch (IOException ignored) {
      // it is gone already
    }
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
