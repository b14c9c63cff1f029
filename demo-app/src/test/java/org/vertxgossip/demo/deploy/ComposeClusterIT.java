package org.vertxgossip.demo.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.it.TestDnsServer;

/**
 * The three demo services of {@code docker-compose.yml}, run as that file describes them (command, environment,
 * working directory and bind mount, the {@code nodes} alias, the healthcheck, the stop grace period) on three hosts
 * in network namespaces of their own on one bridge, each resolving the alias through a DNS server this test runs on
 * the bridge, as Docker's embedded DNS answers a network's aliases. Every value comes from the compose file, so the
 * two cannot drift. It checks that one cluster forms, that requests spread over the three, that a SIGKILLed host
 * is noticed, that a restarted one rejoins, and that a stop (SIGTERM) is a graceful leave within the grace period;
 * it prints how long each took. Root and iproute2 needed (.ci/run checks); runs after the package phase, on the
 * packaged jar.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ComposeClusterIT {

  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final Path LOGS = Path.of(System.getProperty("user.dir"), "target", "compose-it");

  private final DemoHttp http = new DemoHttp();
  private final Map<String, Process> running = new LinkedHashMap<>();
  private final Figures figures = new Figures("ComposeClusterIT");
  private ComposeFile compose;
  private NamespaceHosts hosts;
  private TestDnsServer dns;

  @Test
  void theComposeServicesFormOneClusterNoticeAKilledHostTakeItBackAndStopGracefully() throws Exception {
    Path file = ROOT.resolve("docker-compose.yml");
    Process check = new ProcessBuilder("docker-compose", "-f", file.toString(), "config", "-q")
        .redirectErrorStream(true).start();
    String complaint = new String(check.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0,
        "docker-compose config accepts the file: " + complaint);
    compose = ComposeFile.read(file);
    assertEquals(List.of("node-1", "node-2", "node-3"), compose.services().stream().map(ComposeFile.Service::name)
        .toList(), "the demo's services (the report is behind a profile)");
    Files.createDirectories(LOGS);
    hosts = new NamespaceHosts("vgc", "10.231.7", "options ndots:0"); // what Docker writes into a container
    try {
      dns = hosts.dns();
      for (int i = 0; i < compose.services().size(); i++) {
        hosts.add(compose.services().get(i).name(), i + 1);
      }
      run();
    } finally {
      hosts.close();
      System.out.println(figures);
    }
  }

  private void run() throws Exception {
    ComposeFile.Service first = compose.services().get(0);
    String clusterName = first.environment().get("VERTX_GOSSIP_CLUSTER_NAME");
    String alias = first.environment().get("VERTX_GOSSIP_DNS");
    assertTrue(first.aliases().values().stream().anyMatch(a -> a.contains(alias)),
        "the DNS name the nodes look up is their network alias: " + first.aliases());
    // The healthcheck fails while nothing serves: it can tell.
    assertNotEquals(0, hosts.run(first.name(), healthcheck(first)), "healthcheck before the node started");

    long start = System.nanoTime();
    for (ComposeFile.Service s : compose.services()) {
      start(s);
    }
    for (ComposeFile.Service s : compose.services()) {
      awaitState(s, st -> DemoHttp.viewOf(st, 3), "one view of 3");
    }
    figures.record("one view of 3 after start (ms)", Figures.msSince(start));
    Set<Long> viewIds = new HashSet<>();
    for (ComposeFile.Service s : compose.services()) {
      JsonObject snapshot = state(s).getJsonObject("snapshot");
      viewIds.add(snapshot.getLong("viewId"));
      assertEquals(clusterName, snapshot.getString("clusterName"), "the file's cluster name");
      assertTrue(snapshot.getString("address").startsWith(hosts.address(s.name()) + ":"),
          "bound to its host's address: " + snapshot.getString("address"));
      DemoHttp.awaitTrue(() -> hosts.run(s.name(), healthcheck(s)) == 0, "the file's healthcheck passes on " + s.name());
    }
    assertEquals(1, viewIds.size(), "one view everywhere: " + viewIds);
    assertTrue(dns.queriesFor(alias) >= 3, "every node asked DNS for " + alias);
    spread(first, 3);

    // SIGKILL the last host: its container is gone, and Docker's DNS stops answering with its address.
    ComposeFile.Service victim = compose.services().get(2);
    String victimId = state(victim).getJsonObject("self").getString("nodeId");
    Process killed = running.remove(victim.name());
    long killedAt = System.nanoTime();
    new ProcessBuilder("kill", "-KILL", Long.toString(killed.pid())).start().waitFor(10, TimeUnit.SECONDS);
    publish();
    assertTrue(killed.waitFor(10, TimeUnit.SECONDS), "killed");
    for (ComposeFile.Service s : compose.services().subList(0, 2)) {
      awaitState(s, st -> DemoHttp.viewOf(st, 2), "the killed host removed");
    }
    figures.record("killed host removed by both others (ms)", Figures.msSince(killedAt));
    // Declared dead, or removed by a view that reached this node before the news of the death did; not a leave.
    DemoHttp.awaitTrue(() -> metric(first, "vertx_gossip_members_removed_total", "cause=\"failed\"")
        + metric(first, "vertx_gossip_members_removed_total", "cause=\"removed\"") == 1,
        "removed, as failed or on the coordinator's word (the meters refresh every second)");
    assertEquals(0, metric(first, "vertx_gossip_members_removed_total", "cause=\"left\""), "not as a leave");

    long restartedAt = System.nanoTime();
    start(victim);
    for (ComposeFile.Service s : compose.services()) {
      awaitState(s, st -> DemoHttp.viewOf(st, 3), "the restarted host back in the view");
    }
    figures.record("restarted host in one view of 3 (ms)", Figures.msSince(restartedAt));
    assertNotEquals(victimId, state(victim).getJsonObject("self").getString("nodeId"), "a new node id");
    spread(first, 3);

    // 'docker compose stop node-2': SIGTERM, then SIGKILL after the grace period. It leaves gracefully well before.
    ComposeFile.Service stopped = compose.services().get(1);
    Process p = running.remove(stopped.name());
    long stopAt = System.nanoTime();
    new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
    assertTrue(p.waitFor(stopped.stopGrace().toMillis(), TimeUnit.MILLISECONDS),
        "exited within the stop grace period of " + stopped.stopGrace());
    figures.record("SIGTERM to exit (ms)", Figures.msSince(stopAt));
    publish();
    awaitState(first, st -> DemoHttp.viewOf(st, 2), "the stopped host removed");
    DemoHttp.awaitTrue(() -> metric(first, "vertx_gossip_members_removed_total", "cause=\"left\"") == 1,
        "removed as left, not failed");
    spread(first, 2);
  }

  /** Starts service {@code s} in its host: its command, environment and working directory, through its mounts. */
  private void start(ComposeFile.Service s) throws IOException {
    List<String> command = new ArrayList<>(s.hostCommand());
    assertEquals("java", command.get(0), "the image's java");
    command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Path workDir = s.hostPath(s.workingDir());
    assertTrue(Files.isDirectory(workDir), "the working directory through the bind mount: " + workDir);
    Path log = LOGS.resolve(s.name() + ".log");
    Process p = hosts.start(s.name(), s.environment(), command, workDir, log);
    running.put(s.name(), p);
    publish();
  }

  /**
   * What Docker's DNS answers on the network: each running service's name, and each alias with the addresses of
   * every running service that carries it.
   */
  private void publish() {
    Map<String, List<String>> answers = new LinkedHashMap<>();
    for (ComposeFile.Service s : compose.services()) {
      boolean up = running.containsKey(s.name());
      answers.computeIfAbsent(s.name(), k -> new ArrayList<>());
      for (List<String> aliases : s.aliases().values()) {
        for (String a : aliases) {
          answers.computeIfAbsent(a, k -> new ArrayList<>());
          if (up) {
            answers.get(a).add(hosts.address(s.name()));
          }
        }
      }
      if (up) {
        answers.get(s.name()).add(hosts.address(s.name()));
      }
    }
    answers.forEach((name, ips) -> dns.a(name, ips.toArray(String[]::new)));
  }

  /** 90 requests from {@code from}'s dashboard: all answered, by {@code nodes} distinct nodes. */
  private void spread(ComposeFile.Service from, int nodes) throws Exception {
    JsonObject outcome = http.work(base(from), 90);
    assertEquals(90, outcome.getInteger("answered"), outcome.encode());
    assertEquals(0, outcome.getInteger("failed"), outcome.encode());
    assertEquals(nodes, outcome.getJsonObject("byNode").size(), "spread over every node: " + outcome.encode());
    figures.record("requests per node, " + nodes + " nodes",
        outcome.getJsonObject("byNode").getMap().values().toString());
  }

  /** The service's published port on its host's address. */
  private String base(ComposeFile.Service s) {
    return "http://" + hosts.address(s.name()) + ":" + s.containerPorts().get(0);
  }

  private JsonObject state(ComposeFile.Service s) throws Exception {
    return http.state(base(s));
  }

  private double metric(ComposeFile.Service s, String name, String labels) throws Exception {
    return http.metric(base(s), name, labels);
  }

  private void awaitState(ComposeFile.Service s, Predicate<JsonObject> condition, String what) throws Exception {
    http.awaitState(base(s), condition, what, LOGS);
  }

  private List<String> healthcheck(ComposeFile.Service s) {
    List<String> test = s.healthcheck();
    assertEquals("CMD", test.get(0), "an exec-form healthcheck: " + test);
    return test.subList(1, test.size());
  }


}
