package org.vertxgossip.tck;

/** {@link GossipClusteredAsyncMapTest} with a key on every member and mutual TLS on the gossip streams. */
public class GossipTlsAsyncMapTest extends GossipClusteredAsyncMapTest {

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
