package org.vertxgossip.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The project's main job: a demo cluster of {@link DemoNode} JVMs on this machine, found by each other with no
 * configuration but a cluster name, each serving its dashboard.
 *
 * <pre>java -jar vertx-gossip-demo.jar [--nodes 3] [--http-port 8080] [--cluster-name vertx-gossip-demo]
 *     [--duration 0]</pre>
 *
 * Node i serves its dashboard on {@code --http-port + i}. It runs until Ctrl-C, or for {@code --duration} seconds
 * if that is above 0; either way every node leaves the cluster gracefully before the program ends.
 */
public final class DemoCluster {

  static final int MAX_NODES = 9;
  private static final long READY_TIMEOUT_S = 120;
  private static final long STOP_TIMEOUT_S = 20;

  private final List<Process> nodes = new ArrayList<>();
  private final AtomicReferenceArray<String> dashboards;
  private final CountDownLatch ready;
  private final PrintStream out;

  private DemoCluster(int count, PrintStream out) {
    this.dashboards = new AtomicReferenceArray<>(count);
    this.ready = new CountDownLatch(count);
    this.out = out;
  }

  /** Starts the nodes and returns once every one serves its dashboard. */
  public static DemoCluster launch(int count, int firstHttpPort, String clusterName, PrintStream out)
      throws IOException, InterruptedException {
    if (count < 1 || count > MAX_NODES) {
      throw new IllegalArgumentException("--nodes must be from 1 to " + MAX_NODES + ", not " + count);
    }
    DemoCluster cluster = new DemoCluster(count, out);
    String java = ProcessHandle.current().info().command().orElse("java");
    String classPath = System.getProperty("java.class.path");
    try {
      for (int i = 0; i < count; i++) {
        Process p = new ProcessBuilder(java, "-Dvertx.gossip.clusterName=" + clusterName,
            "-Djava.net.preferIPv4Stack=true", "-cp", classPath, DemoNode.class.getName(),
            "--http-port", String.valueOf(firstHttpPort + i))
            .redirectErrorStream(true).start();
        cluster.nodes.add(p);
        cluster.relay(p, i);
      }
      if (!cluster.ready.await(READY_TIMEOUT_S, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the demo nodes did not start within " + READY_TIMEOUT_S + " s");
      }
      for (Process p : cluster.nodes) {
        if (!p.isAlive()) {
          throw new IllegalStateException("a demo node exited with status " + p.exitValue());
        }
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.stop();
      throw e;
    }
    return cluster;
  }

  /** The dashboards' addresses, node by node. */
  public List<String> dashboards() {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < dashboards.length(); i++) {
      urls.add(dashboards.get(i));
    }
    return urls;
  }

  public List<Long> pids() {
    return nodes.stream().map(Process::pid).toList();
  }

  /** Asks every node to leave (SIGTERM), and kills those still running after the stop timeout. */
  public void stop() {
    nodes.forEach(Process::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_S);
    for (Process p : nodes) {
      try {
        if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }

  /** Copies a node's output with its name in front, and notes when it is ready. */
  private void relay(Process p, int node) {
    String name = "node-" + (node + 1);
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          out.println("[" + name + "] " + line);
          int at = line.indexOf(DemoNode.READY);
          int url = line.indexOf("http://");
          if (at >= 0 && url > at) {
            dashboards.set(node, line.substring(url).trim());
            ready.countDown();
          }
        }
      } catch (IOException e) {
        out.println("[" + name + "] output closed: " + e.getMessage());
      }
    }, "relay-" + name);
    t.setDaemon(true);
    t.start();
  }

  public static void main(String[] args) throws Exception {
    DemoArgs a;
    try {
      a = DemoArgs.parse(args, "--nodes", "--http-port", "--cluster-name", "--duration");
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    int count = a.getInt("--nodes", 3);
    int httpPort = a.getInt("--http-port", 8080);
    long duration = a.getInt("--duration", 0);
    DemoCluster cluster = launch(count, httpPort, a.get("--cluster-name", "vertx-gossip-demo"), System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "demo-cluster-shutdown"));
    System.out.println();
    System.out.println("The demo cluster runs " + count + " nodes:");
    for (int i = 0; i < count; i++) {
      System.out.println("  node-" + (i + 1) + ": pid " + cluster.pids().get(i) + ", dashboard "
          + cluster.dashboards().get(i));
    }
    System.out.println("Try: kill -STOP <pid> (then -CONT), kill -9 <pid>, and watch the dashboards.");
    System.out.println(duration > 0 ? "It stops in " + duration + " s." : "Ctrl-C stops it.");
    if (duration > 0) {
      Thread.sleep(TimeUnit.SECONDS.toMillis(duration));
    } else {
      for (Process p : cluster.nodes) {
        p.waitFor();
      }
    }
    System.exit(0);
  }
}
