package org.vertxgossip.shareddata;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VertxException;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.vertxgossip.node.ClusterNode;
import org.vertxgossip.replication.KeyedStores;
import org.vertxgossip.replication.StoreOp;
import org.vertxgossip.replication.StoreRequest;
import org.vertxgossip.replication.StoreResult;

/**
 * What the shared-data adapters share: sending an operation to the owner of its key and completing a future on the
 * caller's Vert.x context (never on the gossip loop), and local reads.
 */
public final class StoreAccess {

  /** How long an operation waits for its owner's answer, owner changes and retries included. */
  static final long REQUEST_TIMEOUT_MS = 30_000;

  private final VertxInternal vertx;
  private final ClusterNode node;
  private final ValueFilter filter;
  private volatile OperationObserver observer;

  public StoreAccess(VertxInternal vertx, ClusterNode node, ValueFilter filter) {
    this.vertx = vertx;
    this.node = node;
    this.filter = filter;
  }

  ClusterNode node() {
    return node;
  }

  /** Times every operation from now on ({@code null}: none, the default, which costs nothing). */
  void observe(OperationObserver observer) {
    this.observer = observer;
  }

  /** Sends {@code request} to its owner; {@code then} gets the answer, timed when someone observes. */
  void submit(StoreRequest request, long timeoutMs, Consumer<StoreResult> then) {
    OperationObserver o = observer;
    if (o == null) {
      node.submit(request, timeoutMs, then);
      return;
    }
    long start = System.nanoTime();
    node.submit(request, timeoutMs, r -> {
      try {
        o.completed(request.op(), false, System.nanoTime() - start, r.isOk());
      } catch (RuntimeException e) {
        // An observer's failure must not keep the answer from its caller (a granted lock would stay held).
      } finally {
        then.accept(r);
      }
    });
  }

  /** A read answered from this member's copy, for the observer {@code o} (read once, when the read began). */
  private static void servedLocally(OperationObserver o, long start) {
    if (o != null) {
      try {
        o.completed(StoreOp.GET, true, System.nanoTime() - start, true);
      } catch (RuntimeException e) {
        // as in submit: the read is answered regardless
      }
    }
  }

  /** A key or value read from the stores, through this node's {@link ValueFilter}. */
  <T> T decode(byte[] bytes) {
    return ValueCodec.decode(bytes, filter);
  }

  /** The answer, mapped on the caller's context; a failure after {@link #REQUEST_TIMEOUT_MS}. */
  <T> Future<T> call(StoreRequest request, Function<StoreResult, T> map) {
    ContextInternal ctx = vertx.getOrCreateContext();
    Promise<StoreResult> promise = ctx.promise();
    submit(request, REQUEST_TIMEOUT_MS, promise::complete);
    return promise.future().compose(r -> {
      if (r.isOk()) {
        return ctx.succeededFuture(map.apply(r));
      }
      return ctx.failedFuture(failure(r));
    });
  }

  static VertxException failure(StoreResult r) {
    String what = switch (r.status()) {
      case TIMEOUT -> r.message() != null ? "vertx-gossip: timed out: " + r.message() : "Timed out waiting";
      case NO_QUORUM, FAILED -> r.message();
      default -> "vertx-gossip: " + r.status();
    };
    return new VertxException(what, true);
  }

  <T> Future<T> local(T value) {
    return vertx.getOrCreateContext().succeededFuture(value);
  }

  /**
   * A key's value: read locally when this member may (see {@link KeyedStores#localRead}), otherwise through the
   * key's owner, so that no read answers an older value than one already answered elsewhere.
   */
  <T> Future<T> read(String store, byte[] key, Function<byte[], T> decode) {
    OperationObserver o = observer;
    long start = o == null ? 0 : System.nanoTime();
    KeyedStores stores = node.stores();
    byte[] local = stores == null ? null : stores.localRead(store, key);
    if (local != KeyedStores.NOT_LOCAL) {
      T value = decode.apply(local);
      servedLocally(stores == null ? null : o, start);
      return local(value);
    }
    return call(StoreRequest.of(store, key, StoreOp.GET), r -> decode.apply(r.value()));
  }

  /** {@link #read}, blocking (the sync map); on the gossip loop, which must not block, the value held here. */
  byte[] readBlocking(String store, byte[] key) {
    KeyedStores stores = node.stores();
    if (stores == null) {
      return null;
    }
    OperationObserver o = observer;
    long start = o == null ? 0 : System.nanoTime();
    byte[] local = stores.localRead(store, key);
    if (local != KeyedStores.NOT_LOCAL) {
      servedLocally(o, start);
      return local;
    }
    if (node.inLoop()) {
      return stores.get(store, key);
    }
    CompletableFuture<StoreResult> f = new CompletableFuture<>();
    submit(StoreRequest.of(store, key, StoreOp.GET), REQUEST_TIMEOUT_MS, f::complete);
    StoreResult r = f.join();
    if (!r.isOk()) {
      throw failure(r);
    }
    return r.value();
  }

  /** The entries of {@code store} this member holds now (the sync map's snapshot, which must not wait). */
  List<Map.Entry<byte[], byte[]>> entries(String store) {
    return node.stores() == null ? Collections.emptyList() : node.stores().entries(store);
  }

  /**
   * The entries of {@code store} this member holds, once it holds every store (see
   * {@link KeyedStores#holdsEveryStore}), read on the caller's context: the gossip loop is only asked to say when
   * a state transfer under way is done, never to copy a store.
   */
  Future<List<Map.Entry<byte[], byte[]>>> completeEntries(String store) {
    ContextInternal ctx = vertx.getOrCreateContext();
    KeyedStores stores = node.stores();
    if (stores == null || stores.holdsEveryStore()) {
      return ctx.succeededFuture(entries(store));
    }
    Promise<Void> done = ctx.promise();
    node.loop().execute(() -> stores.whenSnapshotDone(() -> done.complete()));
    return done.future().map(v -> entries(store));
  }
}
