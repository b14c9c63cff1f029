package org.vertxgossip.demo;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Counter;

/**
 * The demo's unit of work: answers requests on {@link #ADDRESS} with the id of the node that handled them, after
 * counting them in the cluster-wide counter {@link #HANDLED_COUNTER}. Every node runs one, so requests spread
 * over the cluster and the dashboard shows where they went.
 */
public final class WorkVerticle extends VerticleBase {

  public static final String ADDRESS = "demo.work";
  public static final String HANDLED_COUNTER = "demo.handled";

  private final String nodeId;
  private Counter handled;

  public WorkVerticle(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    return vertx.sharedData().getCounter(HANDLED_COUNTER).compose(counter -> {
      handled = counter;
      return vertx.eventBus().<Object>consumer(ADDRESS, this::handle).completion();
    });
  }

  private void handle(Message<Object> request) {
    // The reply waits for the counter, so a caller that saw n answers finds the counter at n or more.
    handled.incrementAndGet().onComplete((total, failure) -> request.reply(new JsonObject()
        .put("node", nodeId)
        .put("handledInCluster", failure == null ? total : null)));
  }
}
