/**
 * The vertx-gossip cluster manager, on the module path as on the class path: Vert.x finds it through its
 * {@code VertxServiceProvider} service, or it is given to {@code Vertx.builder().withClusterManager(...)}. The API
 * is {@code org.vertxgossip} ({@code GossipClusterManager}, {@code GossipOptions}, {@code GossipHealthCheck},
 * {@code GossipMetrics}) and the keyring type it returns; every other package is internal. vertx-health-check and
 * Micrometer are optional: only the health check and the metrics classes need them.
 */
module org.vertxgossip {
  requires io.vertx.core;
  requires com.fasterxml.jackson.core;
  requires io.netty.buffer;
  requires io.netty.common;
  requires io.netty.transport;
  requires io.netty.handler;
  requires io.netty.codec;
  requires io.netty.codec.dns;
  requires io.netty.resolver;
  requires io.netty.resolver.dns;
  requires java.logging;
  requires static io.vertx.healthcheck;
  requires static micrometer.core;

  exports org.vertxgossip;
  exports org.vertxgossip.security;

  provides io.vertx.core.spi.VertxServiceProvider with org.vertxgossip.GossipClusterManager;
}
