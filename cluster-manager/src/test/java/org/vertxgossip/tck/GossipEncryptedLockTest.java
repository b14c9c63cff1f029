package org.vertxgossip.tck;

/** {@link GossipClusteredAsynchronousLockTest} with every member holding a key: all gossip traffic sealed. */
public class GossipEncryptedLockTest extends GossipClusteredAsynchronousLockTest {

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
