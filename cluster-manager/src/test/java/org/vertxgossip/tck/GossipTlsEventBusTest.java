package org.vertxgossip.tck;

/** {@link GossipClusteredEventBusTest} with a key on every member and mutual TLS on the gossip streams. */
public class GossipTlsEventBusTest extends GossipClusteredEventBusTest {

  @Override
  protected void freshCluster() {
    TckCluster.freshTls();
  }

  @Override
  protected void tearDown() throws Exception {
    TckCluster.assertSealed();
    super.tearDown();
  }
}
