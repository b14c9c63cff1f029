package org.vertxgossip.tck;

/** {@link GossipClusteredSharedCounterTest} with every member holding a key: all gossip traffic sealed. */
public class GossipEncryptedCounterTest extends GossipClusteredSharedCounterTest {

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
