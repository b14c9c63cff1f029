package org.vertxgossip.tck;

/** {@link GossipClusteredEventBusTest} with every member holding a key: all gossip traffic is sealed (AES-256-GCM). */
public class GossipEncryptedEventBusTest extends GossipClusteredEventBusTest {

  @Override
  protected void freshCluster() {
    TckCluster.freshEncrypted();
  }

  @Override
  protected void tearDown() throws Exception {
    TckCluster.assertSealed();
    super.tearDown();
  }
}
