package org.vertxgossip.demo.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/kubernetes and deploy/Dockerfile as the Kubernetes test runs them: the headless Service, the Deployment's
 * pod template (command, args, environment with the downward API and {@code $(VAR)} references, probes, pre-stop
 * hook, grace period, rollout), the disruption budget, and where the image puts the jar. Read from the files, so
 * that they and the test cannot drift.
 */
final class KubernetesManifests {

  /** An HTTP probe: its path and port. */
  record HttpProbe(String path, int port) {
  }

  final String headlessService;
  final boolean publishNotReadyAddresses;
  final Map<String, Object> serviceSelector;
  final int replicas;
  final Map<String, Object> podLabels;
  final Map<String, Object> deploymentSelector;
  final Map<String, Object> rollingUpdate;
  final int terminationGraceSeconds;
  final HttpProbe startup;
  final HttpProbe readiness;
  final HttpProbe liveness;
  final List<String> preStop;
  final Object disruptionMaxUnavailable;
  final Map<String, Object> disruptionSelector;
  private final List<String> command = new ArrayList<>();
  private final List<Map<String, Object>> env;
  private final String workDir;
  private final Map<String, Path> copied = new LinkedHashMap<>();

  @SuppressWarnings("unchecked")
  KubernetesManifests(Path manifests, Path dockerfile, Path root) throws IOException {
    Map<String, Map<String, Object>> byKind = new LinkedHashMap<>();
    Map<String, Object> headless = null;
    try (Reader r = Files.newBufferedReader(manifests)) {
      for (Object doc : new Yaml().loadAll(r)) {
        Map<String, Object> d = (Map<String, Object>) doc;
        String kind = (String) d.get("kind");
        if (kind.equals("Service") && "None".equals(map(d, "spec").get("clusterIP"))) {
          headless = d;
        } else if (!kind.equals("Service")) {
          byKind.put(kind, d);
        }
      }
    }
    if (headless == null) {
      throw new IllegalStateException("no headless Service in " + manifests);
    }
    headlessService = (String) map(headless, "metadata").get("name");
    publishNotReadyAddresses = Boolean.TRUE.equals(map(headless, "spec").get("publishNotReadyAddresses"));
    serviceSelector = map(map(headless, "spec"), "selector");
    Map<String, Object> deployment = byKind.get("Deployment");
    Map<String, Object> spec = map(deployment, "spec");
    replicas = (Integer) spec.get("replicas");
    deploymentSelector = map(map(spec, "selector"), "matchLabels");
    rollingUpdate = map(map(spec, "strategy"), "rollingUpdate");
    Map<String, Object> template = map(spec, "template");
    podLabels = map(map(template, "metadata"), "labels");
    Map<String, Object> podSpec = map(template, "spec");
    terminationGraceSeconds = (Integer) podSpec.get("terminationGracePeriodSeconds");
    Map<String, Object> container = ((List<Map<String, Object>>) podSpec.get("containers")).get(0);
    ((List<Object>) container.get("command")).forEach(o -> command.add(String.valueOf(o)));
    ((List<Object>) container.getOrDefault("args", List.of())).forEach(o -> command.add(String.valueOf(o)));
    env = (List<Map<String, Object>>) container.getOrDefault("env", List.of());
    startup = probe(map(container, "startupProbe"));
    readiness = probe(map(container, "readinessProbe"));
    liveness = probe(map(container, "livenessProbe"));
    preStop = new ArrayList<>();
    ((List<Object>) map(map(map(container, "lifecycle"), "preStop"), "exec").get("command"))
        .forEach(o -> preStop.add(String.valueOf(o)));
    Map<String, Object> pdb = map(byKind.get("PodDisruptionBudget"), "spec");
    disruptionMaxUnavailable = pdb.get("maxUnavailable");
    disruptionSelector = map(map(pdb, "selector"), "matchLabels");
    String dir = "/";
    for (String line : Files.readAllLines(dockerfile)) {
      String[] w = line.trim().split("\\s+");
      if (w[0].equals("WORKDIR")) {
        dir = w[1];
      } else if (w[0].equals("COPY")) {
        copied.put(w[2], root.resolve(w[1]).normalize());
      }
    }
    workDir = dir;
  }

  /** The DNS name the headless Service gives its pods in {@code namespace}, in the default cluster domain. */
  String headlessName(String namespace) {
    return headlessService + "." + namespace + ".svc.cluster.local";
  }

  /** The same name as a pod's search path completes it ({@code <service>.<namespace>.svc}). */
  String headlessShortName(String namespace) {
    return headlessService + "." + namespace + ".svc";
  }

  /** The container's environment for one pod, as the kubelet builds it (downward API, then references). */
  @SuppressWarnings("unchecked")
  Map<String, String> environment(String namespace, String podName, String podIp) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map<String, Object> e : env) {
      String name = (String) e.get("name");
      if (e.containsKey("value")) {
        out.put(name, expand(String.valueOf(e.get("value")), out));
      } else {
        String field = (String) map(map(e, "valueFrom"), "fieldRef").get("fieldPath");
        out.put(name, switch (field) {
          case "metadata.namespace" -> namespace;
          case "metadata.name" -> podName;
          case "status.podIP" -> podIp;
          default -> throw new IllegalStateException("a field this test does not provide: " + field);
        });
      }
    }
    return out;
  }

  /** Command and args with references expanded, and the image's paths mapped to this machine's files. */
  List<String> hostCommand(Map<String, String> environment) {
    List<String> out = new ArrayList<>();
    for (String arg : command) {
      String a = expand(arg, environment);
      Path p = copied.get(a);
      out.add(p == null ? a : p.toString());
    }
    return out;
  }

  /** The image's working directory on this machine: where the Dockerfile copies into it. */
  Path hostWorkDir() {
    for (Map.Entry<String, Path> c : copied.entrySet()) {
      if (c.getKey().startsWith(workDir + "/")) {
        return c.getValue().getParent();
      }
    }
    throw new IllegalStateException("the Dockerfile copies nothing into " + workDir);
  }

  /** Kubernetes' expansion: {@code $(NAME)} of a variable defined so far, {@code $$} for a dollar; else kept. */
  static String expand(String text, Map<String, String> defined) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
        sb.append('$');
        i++;
      } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '(') {
        int end = text.indexOf(')', i);
        String name = end < 0 ? null : text.substring(i + 2, end);
        if (name != null && defined.containsKey(name)) {
          sb.append(defined.get(name));
          i = end;
        } else {
          sb.append(c);
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  @SuppressWarnings("unchecked")
  private static HttpProbe probe(Map<String, Object> probe) {
    Map<String, Object> get = map(probe, "httpGet");
    return new HttpProbe((String) get.get("path"), (Integer) get.get("port"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Map)) {
      throw new IllegalStateException("no " + key + " in " + m.keySet());
    }
    return (Map<String, Object>) v;
  }
}
