package org.vertxgossip.node;

import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.vertxgossip.discovery.Discovery;
import org.vertxgossip.discovery.DnsSeeds;
import org.vertxgossip.discovery.StaticSeeds;
import org.vertxgossip.membership.MemberRecord;
import org.vertxgossip.membership.MemberState;
import org.vertxgossip.membership.Membership;
import org.vertxgossip.membership.MembershipEnvironment;
import org.vertxgossip.membership.MembershipListener;
import org.vertxgossip.membership.NodeAddress;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.membership.StreamFailure;
import org.vertxgossip.membership.View;
import org.vertxgossip.registry.RegistrationTable;
import org.vertxgossip.replication.KeyedStores;
import org.vertxgossip.replication.OwnedStateListener;
import org.vertxgossip.replication.OwnedStates;
import org.vertxgossip.replication.ReplicationConfig;
import org.vertxgossip.replication.ReplicationEnvironment;
import org.vertxgossip.replication.StoreConfig;
import org.vertxgossip.replication.StoreRequest;
import org.vertxgossip.replication.StoreResult;
import org.vertxgossip.transport.DropCounters;
import org.vertxgossip.transport.Envelope;
import org.vertxgossip.transport.GossipTransport;
import org.vertxgossip.transport.Lane;
import org.vertxgossip.transport.SendFailure;
import org.vertxgossip.transport.TransportHandler;
import org.vertxgossip.transport.TransportLimits;

/**
 * One cluster member at run time: its own single-thread event loop, the transport, seed discovery, and the two
 * sans-IO cores (membership, node-owned state) that the loop drives. Everything below runs on that loop; the
 * public methods may be called from any thread and hand their work over.
 */
public final class ClusterNode {

  private static final System.Logger LOG = System.getLogger(ClusterNode.class.getName());
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final long TICK_MS = 50;
  /** A node still outside any view this long after start says why at WARNING (it goes on trying). */
  private static final long JOIN_WARNING_MS = 10_000;

  /** View changes, called on the loop right after the node-owned state of removed members was purged. */
  public interface ViewEvents {
    void viewChanged(View view, List<NodeId> added, List<NodeId> removed);
  }

  private final NodeSettings settings;
  private final NodeId id;
  private final NioEventLoopGroup group;
  private final EventLoop loop;
  private final DropCounters drops = new DropCounters();
  private final OwnedStateListener stateListener;
  private final ViewEvents viewEvents;
  private final Random random = new Random(new SecureRandom().nextLong());
  private final long clockBase = System.nanoTime();
  private final CompletableFuture<Void> joined = new CompletableFuture<>();
  private final ViewChanges viewChanges = new ViewChanges();
  /** This node's registrations are marked as a stopping member's (loop only). */
  private boolean registrationsStopping;
  private final Environment environment = new Environment();
  private final CompletableFuture<Void> left = new CompletableFuture<>();
  private volatile GossipTransport transport;
  private Discovery discovery;
  private Membership membership;
  private OwnedStates states;
  private volatile KeyedStores stores;
  private NodeAddress address;
  private View lastView;
  private ScheduledFuture<?> wake;
  private long wakeAt = Long.MAX_VALUE;
  private boolean leaving;
  /** When a tick fault was last logged (nanoTime), 0 for never. */
  private long tickFaultLoggedAt;
  private volatile boolean stopped;

  public ClusterNode(NodeSettings settings, OwnedStateListener stateListener, ViewEvents viewEvents) {
    this.settings = settings;
    this.id = NodeId.random(random);
    this.stateListener = stateListener;
    this.viewEvents = viewEvents;
    this.group = new NioEventLoopGroup(1,
        new DefaultThreadFactory("vertx-gossip-loop-" + INSTANCES.incrementAndGet(), true));
    this.loop = group.next();
  }

  public NodeId id() {
    return id;
  }

  /** The advertised address, once bound. */
  public NodeAddress address() {
    return address;
  }

  public DropCounters drops() {
    return drops;
  }

  public EventLoop loop() {
    return loop;
  }

  // ---- lifecycle -------------------------------------------------------------------------------------------------

  /** Binds, finds seeds and joins; completes once this node is in the view and holds every member's state. */
  public CompletableFuture<Void> start() {
    loop.execute(this::bind);
    return joined;
  }

  private void bind() {
    Envelope envelope = new Envelope(settings.clusterName(), settings.wire().major());
    int maxPacket = settings.membership().maxPacketSize - envelope.headerSize()
        - GossipTransport.overhead(settings.security());
    transport = new GossipTransport(loop, envelope,
        new TransportLimits(settings.membership().maxPacketSize, settings.membership().maxStreamFrame,
            (int) Math.max(500, settings.membership().probeIntervalMs), 120_000, 1024),
        drops, new Inbound(), settings.security());
    transport.bind(settings.bindHost(), settings.ports()).addListener(f -> {
      if (stopped) {
        return;
      }
      if (!f.isSuccess()) {
        fail(new IllegalStateException("vertx-gossip cannot bind " + settings.bindHost() + " on ports "
            + describePorts(settings.ports()) + ": " + f.cause().getMessage(), f.cause()));
        return;
      }
      InetSocketAddress bound = (InetSocketAddress) f.getNow();
      address = new NodeAddress(settings.publicHost(), bound.getPort());
      startCores(maxPacket);
    });
  }

  private void startCores(int maxPacket) {
    var config = settings.membership().toBuilder();
    config.wireMinor = settings.wire().minor();
    config.maxPacketSize = maxPacket;
    membership = new Membership(id, address, new byte[0], config.build(), environment,
        new CoreListener());
    states = new OwnedStates(id, address, new ReplicationConfig(settings.ackTimeoutMs(),
        settings.membership().pushPullIntervalMs, settings.membership().maxStreamFrame),
        environment, stateListener);
    stores = new KeyedStores(id, address, new StoreConfig(settings.ackTimeoutMs(),
        settings.membership().pushPullIntervalMs, settings.membership().maxStreamFrame, settings.minimumMembers(),
        settings.tombstoneHorizonMs()), environment);
    discovery = new Discovery(loop, settings.dnsServer());
    if (!settings.seeds().isEmpty()) {
      discovery.add(new StaticSeeds(settings.seeds(), loop,
          StaticSeeds.allLiteral(settings.seeds()) ? null : discovery.resolver()));
    }
    if (settings.dnsName() != null) {
      discovery.add(new DnsSeeds(settings.dnsName(), settings.dnsPort(), loop, discovery.resolver()));
    }
    states.whenJoined(() -> stores.whenSnapshotDone(() -> joined.complete(null)));
    loop.schedule(this::warnIfNotJoined, JOIN_WARNING_MS, TimeUnit.MILLISECONDS);
    loop.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    startWhenSeedsAreKnown();
  }

  /**
   * Starts the membership core with the seeds discovery finds. A DNS name that answers with no address (a failed
   * lookup, records not published yet) is asked again every join retry: started with no seeds, the core would found
   * a cluster of its own at once, an island whose shared data the merge with the real cluster discards.
   */
  private void startWhenSeedsAreKnown() {
    discovery.seeds().addListener(f -> {
      @SuppressWarnings("unchecked")
      List<InetSocketAddress> found = f.isSuccess() ? (List<InetSocketAddress>) f.getNow() : List.of();
      if (stopped || leaving) {
        return;
      }
      if (namesNoOne(found)) {
        LOG.log(Level.DEBUG, () -> "vertx-gossip " + id + ": " + settings.dnsName() + " names no member yet");
        loop.schedule(this::startWhenSeedsAreKnown, settings.membership().joinRetryMs, TimeUnit.MILLISECONDS);
        return;
      }
      membership.start(toAddresses(found));
      LOG.log(Level.DEBUG, () -> "vertx-gossip " + id + " at " + address + " joining through " + found);
      loop.schedule(this::refreshSeeds, settings.membership().joinRetryMs, TimeUnit.MILLISECONDS);
    });
  }

  private void warnIfNotJoined() {
    if (!joined.isDone() && !stopped && !leaving) {
      LOG.log(Level.WARNING, "vertx-gossip " + id + " at " + address + " is still joining cluster '"
          + settings.clusterName() + "' after " + JOIN_WARNING_MS / 1000 + " s: no member answered through the seeds "
          + (settings.seeds().isEmpty() ? "found by DNS " + settings.dnsName() : settings.seeds())
          + (settings.membership().foundWhenAlone ? "" : ", and only a seed may found a cluster") + "; it keeps trying");
    }
  }

  /** A DNS name that answered with no address: taken as "not known yet", never as "no seeds". */
  private boolean namesNoOne(List<InetSocketAddress> found) {
    return found.isEmpty() && settings.dnsName() != null;
  }

  /** Asks discovery again: every join retry while outside a view, every reconnect interval after. */
  private void refreshSeeds() {
    if (stopped || leaving) {
      return;
    }
    boolean in = membership.inView();
    if (!discovery.isEmpty()) {
      discovery.seeds().addListener(f -> {
        if (f.isSuccess() && !stopped && !leaving) {
          @SuppressWarnings("unchecked")
          List<InetSocketAddress> found = (List<InetSocketAddress>) f.getNow();
          if (!namesNoOne(found)) {
            membership.updateSeeds(toAddresses(found)); // an empty DNS answer keeps the last list, as at the start
          }
        }
      });
    }
    long next = in ? settings.membership().reconnectIntervalMs : settings.membership().joinRetryMs;
    loop.schedule(this::refreshSeeds, next, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    if (states != null && !stopped) {
      guarded("node-owned state", states::tick);
      guarded("shared data", stores::tick);
    }
  }

  /**
   * Runs one core's tick: a fault in it (a bug) is logged, at most every 10 s, and the next tick runs, since a
   * periodic task that throws is never run again and the node would stop retrying, resending and expiring.
   */
  private void guarded(String what, Runnable tick) {
    try {
      tick.run();
    } catch (RuntimeException e) {
      long now = System.nanoTime();
      if (tickFaultLoggedAt == 0 || now - tickFaultLoggedAt > TimeUnit.SECONDS.toNanos(10)) {
        tickFaultLoggedAt = now;
        LOG.log(Level.ERROR, "vertx-gossip " + id + ": the " + what + " tick failed; it runs again at the next one", e);
      }
    }
  }

  /**
   * Leaves: first withdraws this node's own state (acknowledged by the members, bounded), then announces the
   * leave, and closes the sockets once the announcement went out. Idempotent.
   */
  public CompletableFuture<Void> leave() {
    onLoop(() -> {
      if (leaving || stopped) {
        return;
      }
      leaving = true;
      if (membership == null || !membership.inView()) {
        if (membership != null) {
          membership.leave();
        }
        shutdown();
        return;
      }
      Map<String, byte[]> withdraw = new LinkedHashMap<>();
      states.ownEntries().keySet().forEach(k -> withdraw.put(k, null));
      states.update(withdraw, membership::leave);
    }, () -> left.complete(null));
    return left;
  }

  /** Runs {@code task} on the loop, or {@code ifStopped} here when the loop is gone (the node stopped). */
  private void onLoop(Runnable task, Runnable ifStopped) {
    try {
      loop.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      ifStopped.run();
    }
  }

  private void shutdown() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (wake != null) {
      wake.cancel(false);
    }
    if (discovery != null) {
      discovery.close();
    }
    if (states != null) {
      states.release();
      stores.release();
    }
    joined.completeExceptionally(new IllegalStateException("left before joining"));
    var closing = transport == null ? loop.newSucceededFuture(null) : transport.close();
    closing.addListener(f -> {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
      left.complete(null);
    });
  }

  private void fail(Throwable cause) {
    joined.completeExceptionally(cause);
    stopped = true;
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    left.complete(null);
  }

  public boolean isStopped() {
    return stopped;
  }

  // ---- operations for the layers above -----------------------------------------------------------------------

  /**
   * Changes this node's own replicated state; {@code done} runs on the loop once every member holds it. Once this
   * node's registrations are marked as a stopping member's, a registration added is marked so too (decided here,
   * on the loop, so that none slips in unmarked).
   */
  public void updateOwnState(Map<String, byte[]> changes, Runnable done) {
    onLoop(() -> {
      if (states == null || stopped) {
        done.run();
        return;
      }
      if (registrationsStopping) {
        Map<String, byte[]> marked = new LinkedHashMap<>(changes);
        marked.replaceAll((k, v) -> v != null && RegistrationTable.isRegistrationKey(k)
            ? RegistrationTable.STOPPING : v);
        states.update(marked, done);
        return;
      }
      states.update(changes, done);
    }, done);
  }

  /**
   * Marks every event-bus registration of this node as a stopping member's ({@link RegistrationTable#STOPPING}):
   * members route requests for an address to it only while no other member has a handler for it. {@code done} runs
   * on the loop once every member holds that, or the acknowledgement bound passed. The first step of a graceful
   * stop: its handlers stay, and answer what is still sent to them, until Vert.x unregisters them.
   */
  public void markRegistrationsStopping(Runnable done) {
    onLoop(() -> {
      if (states == null || stopped || leaving) {
        done.run();
        return;
      }
      registrationsStopping = true;
      Map<String, byte[]> marked = new LinkedHashMap<>();
      states.ownEntries().keySet().stream().filter(RegistrationTable::isRegistrationKey)
          .forEach(k -> marked.put(k, RegistrationTable.STOPPING));
      if (marked.isEmpty()) {
        done.run();
        return;
      }
      states.update(marked, done);
    }, done);
  }

  /** Runs {@code done} (on the loop) once every member's changes started before this call are applied here. */
  public void barrier(Runnable done) {
    onLoop(() -> {
      if (states == null || stopped) {
        done.run();
        return;
      }
      states.barrier(done);
    }, done);
  }

  /**
   * Sends an operation to its key's owner; {@code callback} runs on the loop with the answer, or with a failure
   * once this node has left.
   */
  public void submit(StoreRequest request, long timeoutMs, java.util.function.Consumer<StoreResult> callback) {
    StoreResult gone = StoreResult.failed(StoreResult.Status.FAILED, "vertx-gossip: this node left the cluster");
    onLoop(() -> {
      if (stores == null || stopped) {
        callback.accept(gone);
        return;
      }
      stores.submit(request, timeoutMs, callback);
    }, () -> callback.accept(gone));
  }

  /** Answers, on the loop, whether the membership knows {@code member} as alive or suspect (false once stopped). */
  public void isLive(NodeId member, java.util.function.Consumer<Boolean> answer) {
    onLoop(() -> answer.accept(!stopped && membership.isLive(member)), () -> answer.accept(false));
  }

  /** Switches sealing at run time ({@link GossipTransport#switchSealing}); fails before the node is bound. */
  public CompletableFuture<Void> switchSealing(boolean sealOutgoing, boolean requireSealed) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    GossipTransport t = transport;
    if (t == null) {
      done.completeExceptionally(new IllegalStateException("not started"));
      return done;
    }
    t.switchSealing(sealOutgoing, requireSealed).addListener(f -> {
      if (f.isSuccess()) {
        done.complete(null);
      } else {
        done.completeExceptionally(f.cause());
      }
    });
    return done;
  }

  /** Local reads of the replicated stores (any thread); null before the node started. */
  public KeyedStores stores() {
    return stores;
  }

  /** Whether the calling thread is this node's loop, where nothing may block. */
  public boolean inLoop() {
    return loop.inEventLoop();
  }

  /** A consistent copy of this node's view of the cluster, taken on the loop. */
  public CompletableFuture<NodeSnapshot> snapshot() {
    CompletableFuture<NodeSnapshot> result = new CompletableFuture<>();
    if (stopped || loop.isShuttingDown()) {
      result.complete(NodeSnapshot.stopped(id, settings.clusterName(), drops));
      return result;
    }
    onLoop(() -> result.complete(NodeSnapshot.of(id, settings.clusterName(), address, membership, states,
        stores, lastView, joined.isDone() && stores != null && stores.holdsEveryStore(), viewChanges, drops,
        transport == null ? Map.of() : transport.stats())),
        () -> result.complete(NodeSnapshot.stopped(id, settings.clusterName(), drops)));
    return result;
  }

  // ---- wiring of the cores --------------------------------------------------------------------------------------

  private static List<NodeAddress> toAddresses(List<InetSocketAddress> found) {
    List<NodeAddress> out = new ArrayList<>(found.size());
    for (InetSocketAddress a : found) {
      out.add(nodeAddress(a));
    }
    return out;
  }

  private static NodeAddress nodeAddress(InetSocketAddress a) {
    String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    return new NodeAddress(host, a.getPort());
  }

  private static InetSocketAddress socketAddress(NodeAddress a) {
    return new InetSocketAddress(a.host(), a.port());
  }

  private static String describePorts(List<Integer> ports) {
    if (ports.size() <= 2) {
      return ports.toString();
    }
    return ports.get(0) + "-" + ports.get(ports.size() - 1);
  }

  private final class Inbound implements TransportHandler {

    /**
     * A member of another major version refused this node's input. A joiner gives up at once with the reason
     * rather than retry for ever, but only where nothing is authenticated anyway (no keys): a notice is not
     * authenticated, and with keys it must not let anyone on the network stop a joiner. It is logged either way.
     */
    @Override
    public void onVersionRefused(InetSocketAddress from, int theirs) {
      if (!joined.isDone() && !stopped && settings.security().keyring().isEmpty()) {
        fail(new IllegalStateException("vertx-gossip: " + from + " speaks protocol version " + theirs
            + " and refused this node's, " + settings.wire() + ": members of different major versions cannot form "
            + "one cluster (src-docs/operations.md#rolling-restarts-and-upgrades)"));
      }
    }

    @Override
    public void onPacket(Lane lane, InetSocketAddress from, byte[] body) {
      if (membership != null && lane == Lane.MEMBERSHIP) {
        membership.onPacket(nodeAddress(from), body);
      }
    }

    @Override
    public void onFrame(Lane lane, byte[] body) {
      if (membership == null || stopped) {
        return;
      }
      if (lane == Lane.MEMBERSHIP) {
        membership.onStream(body);
      } else if (lane == Lane.REPLICATION) {
        if (KeyedStores.accepts(body)) {
          stores.onFrame(body);
        } else {
          // Netty reads a socket before it runs the tasks already queued on this loop. A barrier's sync must be
          // answered after the changes other threads submitted before it arrived, so handle the frame behind them.
          onLoop(() -> {
            if (!stopped) {
              states.onFrame(body);
            }
          }, () -> { });
        }
      }
    }

    @Override
    public void onConnectionLost(InetSocketAddress to) {
      if (membership != null && !stopped) {
        membership.onConnectionLost(nodeAddress(to));
      }
    }

    @Override
    public void onWritable(InetSocketAddress to) {
      if (stores != null && !stopped) {
        stores.writable(nodeAddress(to));
      }
    }

    @Override
    public void onSendFailed(InetSocketAddress to, SendFailure cause) {
      if (membership == null || stopped) {
        return;
      }
      NodeAddress a = nodeAddress(to);
      membership.onStreamFailed(a, switch (cause) {
        case REFUSED -> StreamFailure.REFUSED;
        case TIMEOUT -> StreamFailure.TIMEOUT;
        case CLOSED -> StreamFailure.CLOSED;
      });
      states.unreachable(a);
    }
  }

  /** The world as both cores see it: one clock, one random source, the transport, the membership table. */
  private final class Environment implements MembershipEnvironment, ReplicationEnvironment {
    @Override
    public long now() {
      return (System.nanoTime() - clockBase) / 1_000_000;
    }

    @Override
    public long wallTime() {
      return System.currentTimeMillis();
    }

    @Override
    public Random random() {
      return random;
    }

    @Override
    public void sendPacket(NodeAddress to, byte[] packet) {
      transport.sendPacket(socketAddress(to), Lane.MEMBERSHIP, packet);
    }

    @Override
    public void sendStream(NodeAddress to, byte[] frame) {
      transport.sendFrame(socketAddress(to), Lane.MEMBERSHIP, frame);
    }

    @Override
    public void send(NodeAddress to, byte[] frame) {
      transport.sendFrame(socketAddress(to), Lane.REPLICATION, frame);
    }

    @Override
    public long queuedBytes(NodeAddress to) {
      return transport.queuedBytes(socketAddress(to));
    }

    @Override
    public NodeAddress addressOf(NodeId member) {
      return membership.addressOf(member);
    }

    @Override
    public boolean isLive(NodeId member) {
      return membership.isLive(member);
    }

    @Override
    public void wakeAt(long time) {
      if (stopped) {
        return;
      }
      if (wake != null) {
        wake.cancel(false);
      }
      wakeAt = time;
      long delay = Math.max(0, time - now());
      wake = loop.schedule(() -> {
        if (!stopped && wakeAt == time) {
          membership.onTimer();
        }
      }, delay, TimeUnit.MILLISECONDS);
    }
  }

  private final class CoreListener implements MembershipListener {
    @Override
    public void viewDelivered(View view, View previous) {
      List<NodeId> added = new ArrayList<>();
      List<NodeId> removed = new ArrayList<>();
      List<NodeId> before = lastView == null ? List.of() : lastView.members();
      for (NodeId m : view.members()) {
        if (!before.contains(m)) {
          added.add(m);
        }
      }
      for (NodeId m : before) {
        if (!view.members().contains(m)) {
          removed.add(m);
        }
      }
      boolean successor = lastView != null && view.id() == lastView.id() + 1
          && lastView.successor(removed, added).hash() == view.hash();
      // This node was removed, re-admitted or re-entered another way (it was cut off or stopped): its connections
      // may sit in TCP's retransmission back-off since the cut, so every one is opened afresh.
      boolean reentered = lastView != null && (!successor || added.contains(id) || removed.contains(id));
      lastView = view;
      // Likewise a fresh connection to a member that comes back.
      for (NodeId m : reentered ? before : removed) {
        NodeAddress a = m.equals(id) ? null : membership.addressOf(m);
        if (a != null) {
          transport.disconnect(socketAddress(a));
        }
      }
      states.viewChanged(view.members());
      stores.viewChanged(view.id(), view.hash(), view.members(), successor);
      if (added.contains(id) && !joined.isDone()) {
        // Members that never send their state (dead but not yet known) must not hold the join forever.
        loop.schedule(() -> states.stopAwaitingStates(), settings.ackTimeoutMs(), TimeUnit.MILLISECONDS);
      }
      logView(view, added, removed);
      viewChanges.delivered(added.size());
      for (NodeId r : removed) {
        countRemoval(r, CAUSE_WAIT_TICKS);
      }
      viewEvents.viewChanged(view, added, removed);
    }

    @Override
    public void memberChanged(MemberRecord member) {
      if (states == null) {
        return;
      }
      if (member.state() == MemberState.DEAD || member.state() == MemberState.LEFT) {
        states.memberGone(member.id());
      } else {
        states.addressKnown(member.id());
        stores.addressKnown(member.id());
      }
    }

    @Override
    public void leaveCompleted() {
      shutdown();
    }
  }

  /** One INFO line per membership change, with its cause. */
  private void logView(View view, List<NodeId> added, List<NodeId> removed) {
    if (!LOG.isLoggable(Level.INFO) || (added.isEmpty() && removed.isEmpty())) {
      return;
    }
    StringBuilder sb = new StringBuilder("vertx-gossip [").append(settings.clusterName()).append("] ")
        .append(id).append(": view ").append(view.id()).append(" of ").append(view.size()).append(':');
    for (NodeId a : added) {
      sb.append(" +").append(a).append(a.equals(id) ? " (this node joined)" : " (joined)");
    }
    for (NodeId r : removed) {
      sb.append(" -").append(r).append(" (").append(removalCause(r)).append(')');
    }
    LOG.log(Level.INFO, sb.toString());
  }

  /** How many ticks a removal's count waits for the news of its cause (a view can come before it). */
  private static final int CAUSE_WAIT_TICKS = 10;

  /**
   * Counts {@code member}'s removal under its cause. A view issued by the coordinator can reach this node before
   * the leave or the death that made it: while the record still says alive, the count waits a tick at a time, and
   * after {@code ticksLeft} it goes under "removed".
   */
  private void countRemoval(NodeId member, int ticksLeft) {
    String cause = removalCause(member);
    if (!cause.equals("removed") || ticksLeft == 0 || stopped || loop.isShuttingDown()) {
      viewChanges.removed(cause);
      return;
    }
    loop.schedule(() -> countRemoval(member, ticksLeft - 1), TICK_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Why {@code member} left the view: it announced its leave (or, as coordinator, issued the view without itself),
   * it was declared dead, or another way (evidence this node has not received yet).
   */
  private String removalCause(NodeId member) {
    if (member.equals(membership.viewIssuer())) {
      return "left";
    }
    MemberRecord m = membership.member(member);
    return m == null ? "removed" : switch (m.state()) {
      case LEFT -> "left";
      case DEAD -> "failed";
      default -> "removed";
    };
  }
}
