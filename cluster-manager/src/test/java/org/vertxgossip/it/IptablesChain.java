package org.vertxgossip.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A chain of iptables rules hooked into INPUT, which a test creates and always removes (root and iptables needed;
 * .ci/run installs iptables). Removal is idempotent, so a test's tear-down can call it whatever happened.
 */
final class IptablesChain {

  private final String name;
  private boolean installed;

  IptablesChain(String name) {
    this.name = name;
  }

  /** Creates the chain, empty, and sends every incoming packet through it. */
  void install() throws IOException, InterruptedException {
    run("-N", name);
    installed = true;
    run("-I", "INPUT", "-j", name);
  }

  /** Appends one rule, given as the arguments after {@code -A <chain>}. */
  void append(String... rule) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("-A", name));
    args.addAll(List.of(rule));
    run(args.toArray(String[]::new));
  }

  /** Unhooks, flushes and deletes the chain, if installed. */
  void remove() throws IOException, InterruptedException {
    if (!installed) {
      return;
    }
    installed = false;
    run("-D", "INPUT", "-j", name);
    run("-F", name);
    run("-X", name);
  }

  /** Removes a chain of this name that an earlier run left behind (a JVM that died before its tear-down). */
  void removeLeftover() throws InterruptedException {
    for (String[] args : List.of(new String[] {"-D", "INPUT", "-j", name}, new String[] {"-F", name},
        new String[] {"-X", name})) {
      try {
        run(args);
      } catch (IOException expected) {
        // no such chain or hook: nothing left over
      }
    }
  }

  private static void run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("iptables");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
