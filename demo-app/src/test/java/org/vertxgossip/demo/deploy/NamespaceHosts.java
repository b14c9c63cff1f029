package org.vertxgossip.demo.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.vertxgossip.it.TestDnsServer;

/**
 * Hosts on one bridge, as a compose network puts containers: each a network namespace of its own with one veth
 * link to the bridge, its own address in a private /24, loopback up, no default route (nothing leaves the
 * machine), and a resolv.conf that names the bridge's address as its DNS server ({@code ip netns exec} mounts
 * {@code /etc/netns/<name>/resolv.conf} over {@code /etc/resolv.conf}, as Docker points containers at its
 * embedded DNS), which {@link #dns()} serves. Root and iproute2 needed. {@link #close()} stops what it started and
 * removes all of it, and a leftover of an earlier run is removed first.
 */
final class NamespaceHosts implements AutoCloseable {

  private final String prefix;
  private final String subnet;
  private final String bridge;
  private final String resolverOptions;
  private final Map<String, String> addresses = new LinkedHashMap<>();
  private final List<Process> processes = new ArrayList<>();
  private final TestDnsServer dns;

  /**
   * @param subnet the first three octets, such as {@code 10.231.7}; the bridge takes {@code .1}
   * @param resolverOptions what each host's resolv.conf says after its nameserver line (search domains, ndots)
   */
  NamespaceHosts(String prefix, String subnet, String resolverOptions) throws IOException, InterruptedException {
    this.prefix = prefix;
    this.subnet = subnet;
    this.resolverOptions = resolverOptions;
    this.bridge = prefix + "br";
    removeLeftovers();
    ip("link", "add", bridge, "type", "bridge");
    ip("addr", "add", bridgeAddress() + "/24", "dev", bridge);
    ip("link", "set", bridge, "up");
    dns = new TestDnsServer(bridgeAddress(), 53);
  }

  /** The hosts' DNS server, on port 53 of the bridge's address: the names it answers are the test's to set. */
  TestDnsServer dns() {
    return dns;
  }

  /** Starts {@code command} in host {@code name} (in {@code dir}, output to {@code log}); stopped at the latest by close. */
  Process start(String name, Map<String, String> environment, List<String> command, Path dir, Path log)
      throws IOException {
    Process p = inHost(name, environment, command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    processes.add(p);
    return p;
  }

  String bridgeAddress() {
    return subnet + ".1";
  }

  /** Adds host number {@code n} (address {@code .10+n}) named {@code name}; its namespace's name. */
  String add(String name, int n) throws IOException, InterruptedException {
    String ns = prefix + name;
    String address = subnet + "." + (10 + n);
    String veth = prefix + "h" + n;
    ip("netns", "add", ns);
    ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
    ip("link", "set", veth, "master", bridge, "up");
    ip("-n", ns, "addr", "add", address + "/24", "dev", "eth0");
    ip("-n", ns, "link", "set", "eth0", "up");
    ip("-n", ns, "link", "set", "lo", "up");
    Path etc = Path.of("/etc/netns", ns);
    Files.createDirectories(etc);
    Files.writeString(etc.resolve("resolv.conf"), "nameserver " + bridgeAddress() + "\n" + resolverOptions + "\n");
    addresses.put(name, address);
    return ns;
  }

  String address(String name) {
    return addresses.get(name);
  }

  /** {@code command} inside host {@code name}'s namespace, with {@code environment} only (and PATH). */
  ProcessBuilder inHost(String name, Map<String, String> environment, List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", prefix + name));
    full.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(full);
    String path = System.getenv("PATH");
    pb.environment().clear();
    pb.environment().put("PATH", path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path);
    pb.environment().putAll(environment);
    return pb;
  }

  /** Runs {@code command} in host {@code name} to its end (at most 20 s); its exit code. */
  int run(String name, List<String> command) throws IOException, InterruptedException {
    Process p = inHost(name, Map.of(), command).redirectErrorStream(true).start();
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  /** Kills what it started, stops the DNS server, and removes the hosts and the bridge. */
  @Override
  public void close() throws IOException, InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    dns.close();
    for (String name : new ArrayList<>(addresses.keySet())) {
      quietly("netns", "del", prefix + name);
      deleteEtc(prefix + name);
    }
    addresses.clear();
    quietly("link", "del", bridge);
  }

  private void removeLeftovers() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
    String list = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    for (String line : list.split("\n")) {
      String ns = line.split(" ")[0].trim();
      if (ns.startsWith(prefix)) {
        quietly("netns", "del", ns);
        deleteEtc(ns);
      }
    }
    quietly("link", "del", bridge);
  }

  private static void deleteEtc(String ns) throws IOException {
    Path etc = Path.of("/etc/netns", ns);
    Files.deleteIfExists(etc.resolve("resolv.conf"));
    Files.deleteIfExists(etc);
  }

  private static void ip(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed (root and iproute2 needed): " + out.trim());
    }
  }

  private static void quietly(String... args) throws InterruptedException {
    try {
      ip(args);
    } catch (IOException expected) {
      // nothing of that name left
    }
  }
}
