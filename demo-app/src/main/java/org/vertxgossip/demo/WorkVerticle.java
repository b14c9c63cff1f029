package org.vertxgossip.demo;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Counter;

/**
 * The demo's unit of work: answers requests on {@link #ADDRESS} with the id of the node that handled them, after
 * counting them in the cluster-wide counter {@link #HANDLED_COUNTER}. Every node runs one, so requests spread
 * over the cluster and the dashboard shows where they went; each second it publishes how many it answered
 * ({@link #RATES}) for the dashboards' charts.
 */
public final class WorkVerticle extends VerticleBase {

  public static final String ADDRESS = "demo.work";
  public static final String HANDLED_COUNTER = "demo.handled";
  /**
   * After each wall-clock second in which it answered some, every node publishes here how many:
   * {@code {"node": id, "second": epochSecond, "answered": n}}.
   */
  public static final String RATES = "demo.rates";

  private final String nodeId;
  private Counter handled;
  /** The wall-clock second being counted, and its answers so far. */
  private long second;
  private long answeredInSecond;

  public WorkVerticle(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    return vertx.sharedData().getCounter(HANDLED_COUNTER).compose(counter -> {
      handled = counter;
      vertx.setPeriodic(1_000, id -> publishRate());
      return vertx.eventBus().<Object>consumer(ADDRESS, this::handle).completion();
    });
  }

  /** Publishes the second counted so far once it is over (and only if something was answered in it). */
  private void publishRate() {
    if (answeredInSecond > 0 && System.currentTimeMillis() / 1000 != second) {
      vertx.eventBus().publish(RATES, new JsonObject().put("node", nodeId).put("second", second)
          .put("answered", answeredInSecond));
      answeredInSecond = 0;
    }
  }

  private void handle(Message<Object> request) {
    long now = System.currentTimeMillis() / 1000;
    if (now != second) {
      publishRate();
      second = now;
    }
    answeredInSecond++;
    // The reply waits for the counter, so a caller that saw n answers finds the counter at n or more.
    handled.incrementAndGet().onComplete((total, failure) -> request.reply(new JsonObject()
        .put("node", nodeId)
        .put("handledInCluster", failure == null ? total : null)));
  }
}
