package org.vertxgossip.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard page in headless Chromium ({@code /usr/bin/chromium}, which .ci/run installs): its script renders
 * the live cluster, and values typed by users stay text.
 */
class DashboardBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Pattern MEMBER_ROW = Pattern.compile("<tr class=\"member[^\"]*\" data-id=\"([^\"]+)\" "
      + "data-state=\"([A-Z]+)\" data-in-view=\"(true|false)\"");

  private DemoNodes cluster;
  private Path profile;

  @BeforeEach
  void start() throws Exception {
    assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is needed: apt-get install -y chromium (.ci/run does)");
    cluster = new DemoNodes(3);
    profile = Files.createTempDirectory("demo-chromium");
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void thePageShowsEveryLiveMemberAndTheMapAsText() throws Exception {
    cluster.awaitState(0, s -> DemoNodes.viewOf(s, 3), "three members");
    String markup = "<img src=x onerror=alert(1)>";
    assertEquals(204, cluster.send(1, "PUT", "/api/map/note", markup).statusCode());

    String dom = render(cluster.url(0));
    List<String[]> rows = memberRows(dom);
    assertEquals(3, rows.size(), dom);
    for (String[] row : rows) {
      assertEquals("ALIVE", row[1]);
      assertEquals("true", row[2]);
    }
    String self = cluster.nodes.get(0).clusterManager().getNodeId();
    assertTrue(dom.contains("<code id=\"self-id\">" + self + "</code>"), "the page names its node");
    assertTrue(dom.contains("&lt;img src=x onerror=alert(1)&gt;"), "the value is shown as text");
    assertFalse(dom.contains("<img src=\"x\""), "and never becomes markup");

    // A node leaves: the next rendering shows two members in the view.
    cluster.nodes.remove(2).stop().await(30, TimeUnit.SECONDS);
    cluster.awaitState(0, s -> DemoNodes.viewOf(s, 2), "two members");
    long inView = memberRows(render(cluster.url(0))).stream().filter(r -> r[2].equals("true")).count();
    assertEquals(2, inView);
  }

  @Test
  void theChartsDrawTheMembershipTheAnswersPerNodeAndTheBytesLive() throws Exception {
    cluster.awaitState(0, s -> DemoNodes.viewOf(s, 3), "three members");
    assertEquals(300, cluster.json(0, "POST", "/api/work?count=300").getInteger("answered"));
    // Every node publishes what it answered each second; the history takes it at its next sample.
    long deadline = System.currentTimeMillis() + 30_000;
    while (cluster.json(0, "GET", "/api/history").getJsonObject("answered").size() < 3) {
      assertTrue(System.currentTimeMillis() < deadline, "every node's answers in the history");
      Thread.sleep(100); // polling interval
    }
    String dom = render(cluster.url(0));
    List<String> shortIds = cluster.nodes.stream().map(n -> n.clusterManager().getNodeId().substring(0, 8)).toList();
    String members = chart(dom, "chart-members");
    String answered = chart(dom, "chart-answered");
    String bytes = chart(dom, "chart-bytes");
    for (String id : shortIds) {
      assertTrue(members.contains(">" + id + "<"), "the timeline has a row for " + id + ": " + members);
      assertTrue(answered.contains(">" + id + "<"), "the answers chart has a line for " + id);
    }
    assertTrue(members.contains(">alive<"), "the timeline's legend names the states");
    assertTrue(bytes.contains(">bytes in<") && bytes.contains(">bytes out<"), bytes);
    for (String c : List.of(members, answered, bytes)) {
      assertTrue(c.contains("<svg") && c.contains("<path"), "drawn by the library as SVG");
      assertTrue(attribute(c, "data-draws") >= 2, "redrawn while the page was open: " + c.substring(0, 200));
      assertTrue(attribute(c, "data-samples") >= 2, "several seconds of history");
    }
  }

  /** The markup of the chart {@code id}: from its element to the next chart's, or to the end of the charts. */
  private static String chart(String dom, String id) {
    int start = dom.indexOf("<div id=\"" + id + "\"");
    assertTrue(start >= 0, "no " + id + " in the page");
    int next = dom.indexOf("<div id=\"chart-", start + 1);
    int end = next < 0 ? dom.indexOf("</section>", start) : next;
    return dom.substring(start, end);
  }

  private static int attribute(String markup, String name) {
    Matcher m = Pattern.compile(name + "=\"(\\d+)\"").matcher(markup.substring(0, markup.indexOf('>')));
    assertTrue(m.find(), name + " on " + markup.substring(0, Math.min(200, markup.length())));
    return Integer.parseInt(m.group(1));
  }

  private static List<String[]> memberRows(String dom) {
    Matcher m = MEMBER_ROW.matcher(dom);
    List<String[]> rows = new java.util.ArrayList<>();
    while (m.find()) {
      rows.add(new String[] {m.group(1), m.group(2), m.group(3)});
    }
    return rows;
  }

  /** The page's DOM after its scripts ran for a few seconds of virtual time. */
  private String render(String url) throws IOException, InterruptedException {
    Path out = Files.createTempFile(profile, "dom", ".html");
    Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile.resolve("profile"), "--virtual-time-budget=5000",
        "--dump-dom", url)
        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not render " + url + " within 90 s");
    }
    assertEquals(0, p.exitValue(), "chromium's exit status");
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
