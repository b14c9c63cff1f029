package org.vertxgossip.demo.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vertxgossip.it.TestDnsServer;

/**
 * The pods of deploy/kubernetes as the manifests describe them (the image's jar from deploy/Dockerfile, command,
 * args, environment with the downward API, probes, pre-stop hook, grace period), on hosts in network namespaces
 * with the resolver a pod gets (its namespace's search domains, ndots:5) and a DNS server that answers the
 * headless Service's full name (and no shorter one: the pods' search path must complete it) with every pod's
 * address, ready or not, as {@code publishNotReadyAddresses} makes Kubernetes do. It checks the manifests' shape, that the replicas form one cluster and pass their probes, and a
 * rolling restart as the Deployment's strategy runs it (a new pod ready, then an old one's pre-stop hook, SIGTERM
 * and exit within the grace period, three times) under requests, none of which may fail; it prints the figures.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class KubernetesManifestsIT {

  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final Path LOGS = Path.of(System.getProperty("user.dir"), "target", "kubernetes-it");
  private static final String NAMESPACE = "default";

  private final DemoHttp http = new DemoHttp();
  private final Map<String, Process> pods = new LinkedHashMap<>();
  private final Figures figures = new Figures("KubernetesManifestsIT");
  private KubernetesManifests k8s;
  private NamespaceHosts hosts;
  private TestDnsServer dns;

  @Test
  void theReplicasFormOneClusterPassTheirProbesAndSurviveARollingRestartUnderRequests() throws Exception {
    k8s = new KubernetesManifests(ROOT.resolve("deploy/kubernetes/vertx-gossip-demo.yaml"),
        ROOT.resolve("deploy/Dockerfile"), ROOT);
    assertTrue(k8s.publishNotReadyAddresses, "joiners must be found before they are ready");
    assertEquals(k8s.podLabels, k8s.serviceSelector, "the headless Service selects the pods");
    assertEquals(k8s.podLabels, k8s.deploymentSelector);
    assertEquals(k8s.podLabels, k8s.disruptionSelector, "the budget covers the pods");
    assertEquals(1, k8s.disruptionMaxUnavailable);
    assertEquals(0, k8s.rollingUpdate.get("maxUnavailable"), "a new member is ready before an old one goes");
    assertEquals(k8s.headlessShortName(NAMESPACE), k8s.environment(NAMESPACE, "p", "10.0.0.1")
        .get("VERTX_GOSSIP_DNS"), "the nodes look up the Service through the pod's search path");
    Files.createDirectories(LOGS);
    hosts = new NamespaceHosts("vgk", "10.231.8",
        "search " + NAMESPACE + ".svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5");
    try {
      dns = hosts.dns();
      run();
    } finally {
      hosts.close();
      System.out.println(figures);
    }
  }

  private void run() throws Exception {
    long start = System.nanoTime();
    List<String> old = new ArrayList<>();
    for (int i = 1; i <= k8s.replicas; i++) {
      old.add(startPod(i));
    }
    for (String pod : old) {
      awaitProbe(pod, k8s.startup, "started");
      awaitProbe(pod, k8s.readiness, "ready");
    }
    figures.record("replicas ready (ms)", Figures.msSince(start));
    for (String pod : old) {
      http.awaitState(base(pod), st -> DemoHttp.viewOf(st, k8s.replicas), "one view of " + k8s.replicas, LOGS);
      assertEquals(200, http.send(probeBase(pod, k8s.liveness), "GET", k8s.liveness.path()).statusCode(), "alive");
    }
    JsonObject outcome = http.work(base(old.get(0)), 90);
    assertEquals(k8s.replicas, outcome.getJsonObject("byNode").size(), "spread: " + outcome.encode());

    // A rolling restart under requests: each round a new pod, ready, then an old pod's termination.
    AtomicReference<String> target = new AtomicReference<>(base(old.get(0)));
    AtomicLong sent = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<String> failures = new ArrayList<>();
    Thread load = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          JsonObject o = http.work(target.get(), 10);
          sent.addAndGet(o.getInteger("sent"));
          failed.addAndGet(o.getInteger("failed"));
          if (o.getInteger("failed") > 0) {
            synchronized (failures) {
              failures.add(o.encode());
            }
          }
        } catch (InterruptedException e) {
          return;
        } catch (Exception | AssertionError e) {
          synchronized (failures) {
            failures.add(String.valueOf(e));
          }
        }
      }
    }, "rolling-restart-load");
    load.start();
    List<String> fresh = new ArrayList<>();
    long rollStart = System.nanoTime();
    try {
      for (int i = 0; i < old.size(); i++) {
        String pod = startPod(k8s.replicas + 1 + i);
        fresh.add(pod);
        awaitProbe(pod, k8s.startup, "started");
        awaitProbe(pod, k8s.readiness, "ready");
        target.set(base(pod));
        terminate(old.get(i));
      }
    } finally {
      load.interrupt();
      load.join(40_000);
    }
    figures.record("rolling restart of " + old.size() + " (ms)", Figures.msSince(rollStart));
    figures.record("requests during the restart", sent.get() + " sent, " + failed.get() + " failed");
    assertTrue(sent.get() > 0, "requests ran");
    assertEquals(0, failed.get(), "no request failed during the rolling restart: " + failures);
    assertTrue(failures.isEmpty(), String.valueOf(failures));
    for (String pod : fresh) {
      http.awaitState(base(pod), st -> DemoHttp.viewOf(st, k8s.replicas), "one view of the new pods", LOGS);
    }
    // The first new pod saw every old one go, each as a graceful leave.
    String witness = base(fresh.get(0));
    DemoHttp.awaitTrue(() -> http.metric(witness, "vertx_gossip_members_removed_total", "cause=\"left\"")
        == old.size(), "every old pod removed as left");
    assertEquals(0, http.metric(witness, "vertx_gossip_members_removed_total", "cause=\"failed\""));
  }

  /** Starts pod number {@code n} in its own host; its name. */
  private String startPod(int n) throws IOException, InterruptedException {
    String pod = "pod-" + n;
    hosts.add(pod, n);
    Map<String, String> env = k8s.environment(NAMESPACE, pod, hosts.address(pod));
    Process p = hosts.start(pod, env, javaHere(k8s.hostCommand(env)), k8s.hostWorkDir(), LOGS.resolve(pod + ".log"));
    pods.put(pod, p);
    publish();
    return pod;
  }

  /**
   * What deleting a pod does: it leaves the Service's endpoints, its pre-stop hook runs to its end, then SIGTERM,
   * and it must be gone within the grace period (after which the kubelet would SIGKILL it).
   */
  private void terminate(String pod) throws Exception {
    Process p = pods.remove(pod);
    publish();
    long at = System.nanoTime();
    assertEquals(0, hosts.run(pod, k8s.preStop), "the pre-stop hook of " + pod);
    figures.record("pre-stop hook (ms)", Figures.msSince(at));
    new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
    assertTrue(p.waitFor(k8s.terminationGraceSeconds, TimeUnit.SECONDS), pod + " gone within the grace period");
    figures.record("termination (ms)", Figures.msSince(at));
  }

  /** The headless Service's name answers with every pod that exists, ready or not. */
  private void publish() {
    dns.a(k8s.headlessName(NAMESPACE), pods.keySet().stream().map(hosts::address).toArray(String[]::new));
  }

  private void awaitProbe(String pod, KubernetesManifests.HttpProbe probe, String what) throws Exception {
    DemoHttp.awaitTrue(() -> {
      try {
        return http.send(probeBase(pod, probe), "GET", probe.path()).statusCode() == 200;
      } catch (IOException notYet) {
        return false;
      }
    }, pod + " " + what + " (logs in " + LOGS + ")");
  }

  private static List<String> javaHere(List<String> command) {
    List<String> c = new ArrayList<>(command);
    assertEquals("java", c.get(0), "the image's java");
    c.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return c;
  }

  private String base(String pod) {
    return probeBase(pod, k8s.readiness);
  }

  private String probeBase(String pod, KubernetesManifests.HttpProbe probe) {
    return "http://" + hosts.address(pod) + ":" + probe.port();
  }


}
