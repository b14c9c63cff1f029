package org.vertxgossip.benchmark;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One node of a benchmark run, in a JVM of its own: {@code BenchNode <manager>}, where the manager is one of
 * {@link Manager}'s names. It starts Vert.x (clustered unless bare) with one verticle, prints
 * {@code started ms=<time to a running verticle>}, then answers the driver's commands, one per line on standard
 * input, with one line on standard output each (anything else the node prints goes to standard error) ({@link Workload} runs them). Standard output carries nothing else.
 */
public final class BenchNode {

  private BenchNode() {
  }

  public static void main(String[] args) throws Exception {
    // Standard output is the driver's channel; libraries that print (JGroups does) go to the log.
    PrintStream answers = System.out;
    System.setOut(System.err);
    Manager manager = Manager.valueOf(args[0]);
    long t0 = System.nanoTime();
    Vertx vertx = start(manager);
    vertx.deployVerticle(new AbstractVerticle() {
    }).await(60, TimeUnit.SECONDS);
    long startMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    long sinceJvm = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    answers.println("started ms=" + startMs + " jvmMs=" + sinceJvm);
    answers.flush();
    Workload workload = new Workload(vertx);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("stop")) {
        break;
      }
      String answer;
      try {
        answer = workload.run(line.trim().split(" "));
      } catch (Exception e) {
        answer = "error " + e;
      }
      answers.println(answer);
      answers.flush();
    }
    vertx.close().await(30, TimeUnit.SECONDS);
    answers.println("stopped");
    answers.flush();
    System.exit(0);
  }

  private static Vertx start(Manager manager) throws Exception {
    if (manager == Manager.BARE) {
      return Vertx.vertx();
    }
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1");
    ClusterManager cm = ((ManagerFactory) Class.forName(manager.factoryClass()).getDeclaredConstructor()
        .newInstance()).create();
    Future<Vertx> started = Vertx.builder().with(options).withClusterManager(cm).buildClustered();
    return started.await(120, TimeUnit.SECONDS);
  }
}
