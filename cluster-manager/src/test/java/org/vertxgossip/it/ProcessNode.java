package org.vertxgossip.it;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import io.vertx.core.spi.cluster.NodeListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.vertxgossip.GossipClusterManager;
import org.vertxgossip.GossipOptions;
import org.vertxgossip.shareddata.GossipLock;

/**
 * One cluster member in its own JVM, for the multi-process tests: {@code host port seeds cluster [minimumMembers]}.
 * It serves the address "work" (replying with its node id), prints one line per event on stdout ({@code READY id},
 * {@code VIEW size}) and takes commands on stdin, until stdin closes, when it exits at once:
 * <ul>
 *   <li>{@code INC name}: increments the counter one at a time until {@code STOP}, printing {@code ACK} per
 *   acknowledged increment, then {@code STOPPED}
 *   <li>{@code LOCK name timeoutMs}: {@code LOCKED token} or {@code LOCK_FAIL message}; the lock is kept
 *   <li>{@code TRYINC name}: {@code INC_OK value} or {@code INC_FAIL message}
 *   <li>{@code DUMP map}: {@code DUMP size sha256} of the map's sorted entries
 *   <li>{@code SIZE}: {@code SIZE n}, the members of the current view
 *   <li>{@code SNAPSHOT}: {@code SNAPSHOT json}, the cluster manager's snapshot on one line
 *   <li>{@code NODES}: {@code NODES id,id,…}, the members of the current view
 *   <li>{@code CGET name}: {@code CGET name value} or {@code CGET_FAIL name message}, the counter read through its
 *   owner
 *   <li>{@code OWNERS name…}: {@code OWNERS name=id …}, the owner of each counter by this member's view
 *   <li>{@code WORK process seconds counters locks keys [thinkMs]}: starts a {@link ChurnClient} loop with that
 *   process id, which prints history lines and {@code WORKDONE process} when its time is up or it is stopped
 *   <li>{@code STOPWORK [process…]}: stops those client loops (every one without arguments) after their operation
 *   in flight
 *   <li>{@code PUTLOAD map inFlight keys}, {@code PUTLOADSTOP map excludedOwner}: puts to {@code map} from
 *   {@code inFlight} slots, each on keys of its own, until stopped; then {@code PUTLOAD} figures (latencies of the
 *   puts to keys {@code excludedOwner} owned when they started, and of the others), the failures, and
 *   {@code EXPECT size sha256} of the last acknowledged value of every key (see {@link PutLoad})
 *   <li>{@code BURST map n owner}: puts {@code n} new keys at once; {@code BURST} with how many of them (and of
 *   those {@code owner} does not own) were acknowledged within one second
 *   <li>{@code FILL map n bytes}: puts {@code n} entries of {@code bytes}-character values, 64 at a time;
 *   {@code FILLED n ms} (or {@code FILL_FAIL message})
 *   <li>{@code DIVERGE map key value}: replaces this member's own copy of {@code key} with an older entry
 *   (only anti-entropy repairs it); {@code PEEK map key}: {@code PEEK key sha256} of the value held here
 *   <li>{@code REGS n}: registers {@code n} consumers at once; {@code REGS n maxMs} once all completed
 *   <li>{@code KEYS}: {@code KEYS fingerprint,…}, the keyring, primary first; {@code KEYINSTALL key},
 *   {@code KEYUSE key}, {@code KEYREMOVE key}: the run-time rotation steps, then {@code KEYS …} (or
 *   {@code KEY_FAIL message}); {@code VERIFY outgoing incoming}: the run-time switches, then {@code VERIFIED}
 *   <li>{@code LEAVE}: closes the Vert.x instance (a graceful leave), then prints {@code LEFT}
 * </ul>
 */
public final class ProcessNode {

  private static final AtomicBoolean incrementing = new AtomicBoolean();
  private static final Map<Integer, ChurnClient> clients = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    GossipOptions options = new GossipOptions().setHost(args[0]).setPort(Integer.parseInt(args[1]))
        .setSeeds(List.of(args[2].split(","))).setClusterName(args[3]);
    if (args.length > 4) {
      options.setMinimumMembers(Integer.parseInt(args[4]));
    }
    GossipClusterManager cm = new GossipClusterManager(options);
    VertxOptions vo = new VertxOptions();
    vo.getEventBusOptions().setHost(args[0]);
    Vertx vertx = Vertx.builder().with(vo).withClusterManager(cm).buildClustered().toCompletionStage()
        .toCompletableFuture().join();
    cm.nodeListener(new NodeListener() {
      @Override
      public void nodeAdded(String nodeID) {
        print("VIEW " + cm.getNodes().size());
        print("VIEWAT " + cm.getNodes().size() + " " + System.nanoTime() / 1_000_000);
      }

      @Override
      public void nodeLeft(String nodeID) {
        print("VIEW " + cm.getNodes().size());
        print("VIEWAT " + cm.getNodes().size() + " " + System.nanoTime() / 1_000_000);
      }
    });
    vertx.eventBus().<String>consumer("work", msg -> msg.reply(cm.getNodeId())).completion()
        .toCompletionStage().toCompletableFuture().join();
    print("READY " + cm.getNodeId());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] c = line.trim().split(" ");
      switch (c[0]) {
        case "INC" -> vertx.sharedData().getCounter(c[1]).onSuccess(counter -> {
          incrementing.set(true);
          increment(counter);
        });
        case "STOP" -> incrementing.set(false);
        case "LOCK" -> vertx.sharedData().getLockWithTimeout(c[1], Long.parseLong(c[2])).onComplete(ar -> print(
            ar.succeeded() ? "LOCKED " + ((GossipLock) ar.result()).fencingToken()
                : "LOCK_FAIL " + ar.cause().getMessage()));
        case "TRYINC" -> vertx.sharedData().getCounter(c[1]).compose(Counter::incrementAndGet).onComplete(ar ->
            print(ar.succeeded() ? "INC_OK " + ar.result() : "INC_FAIL " + ar.cause().getMessage()));
        case "DUMP" -> vertx.sharedData().<String, String>getAsyncMap(c[1]).compose(AsyncMap::entries)
            .onSuccess(m -> print("DUMP " + m.size() + " " + PutLoad.digest(m)));
        case "SIZE" -> print("SIZE " + cm.getNodes().size());
        case "SNAPSHOT" -> print("SNAPSHOT " + cm.snapshot().encode());
        case "NODES" -> print("NODES " + String.join(",", cm.getNodes()));
        case "CGET" -> vertx.sharedData().getCounter(c[1]).compose(Counter::get).onComplete(ar -> print(
            ar.succeeded() ? "CGET " + c[1] + " " + ar.result()
                : "CGET_FAIL " + c[1] + " " + ar.cause().getMessage()));
        case "OWNERS" -> {
          StringBuilder owners = new StringBuilder("OWNERS");
          for (int i = 1; i < c.length; i++) {
            owners.append(' ').append(c[i]).append('=').append(cm.counterOwner(c[i]));
          }
          print(owners.toString());
        }
        case "WORK" -> {
          ChurnClient client = new ChurnClient(vertx, ProcessNode::print, Integer.parseInt(c[1]),
              Long.parseLong(c[2]), Integer.parseInt(c[3]), Integer.parseInt(c[4]), Integer.parseInt(c[5]),
              c.length > 6 ? Long.parseLong(c[6]) : 10);
          clients.put(client.process(), client);
          client.start();
        }
        case "STOPWORK" -> {
          if (c.length == 1) {
            clients.values().forEach(ChurnClient::stop);
          }
          for (int i = 1; i < c.length; i++) {
            ChurnClient client = clients.get(Integer.parseInt(c[i]));
            if (client != null) {
              client.stop();
            }
          }
        }
        case "PUTLOAD" -> new PutLoad(vertx, cm, ProcessNode::print, c[1], Integer.parseInt(c[2]),
            Integer.parseInt(c[3])).start();
        case "PUTLOADSTOP" -> PutLoad.stopAll(c[1], c[2]);
        case "BURST" -> PutLoad.burst(vertx, cm, ProcessNode::print, c[1], Integer.parseInt(c[2]), c[3]);
        case "FILL" -> PutLoad.fill(vertx, ProcessNode::print, c[1], Integer.parseInt(c[2]), Integer.parseInt(c[3]));
        case "DIVERGE" -> {
          StoreBackdoor.diverge(cm, c[1], c[2], c[3]);
          print("DIVERGED " + c[2]);
        }
        case "PEEK" -> print("PEEK " + c[2] + " " + StoreBackdoor.peek(cm, c[1], c[2]));
        case "REGS" -> PutLoad.registrations(vertx, cm, ProcessNode::print, Integer.parseInt(c[1]));
        case "KEYS" -> print("KEYS " + String.join(",", cm.keyring().fingerprints()));
        case "KEYINSTALL", "KEYUSE", "KEYREMOVE" -> {
          try {
            switch (c[0]) {
              case "KEYINSTALL" -> cm.keyring().install(c[1]);
              case "KEYUSE" -> cm.keyring().use(c[1]);
              default -> cm.keyring().remove(c[1]);
            }
            print("KEYS " + String.join(",", cm.keyring().fingerprints()));
          } catch (RuntimeException e) {
            print("KEY_FAIL " + e.getMessage());
          }
        }
        case "VERIFY" -> cm.setVerification(Boolean.parseBoolean(c[1]), Boolean.parseBoolean(c[2]))
            .whenComplete((v, e) -> print(e == null ? "VERIFIED " + c[1] + " " + c[2] : "VERIFY_FAIL " + e));
        case "LEAVE" -> vertx.close().onComplete(ar -> print("LEFT"));
        default -> print("UNKNOWN " + line);
      }
    }
    // Standard input closed: the test JVM is gone (even if it was killed), so nothing is left running.
    Runtime.getRuntime().halt(0);
  }

  private static void increment(Counter counter) {
    if (!incrementing.get()) {
      print("STOPPED");
      return;
    }
    Future<Long> f = counter.incrementAndGet();
    f.onComplete(ar -> {
      print(ar.succeeded() ? "ACK" : "NACK " + ar.cause().getMessage());
      increment(counter);
    });
  }

  private static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
