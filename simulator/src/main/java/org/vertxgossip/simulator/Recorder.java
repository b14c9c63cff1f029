package org.vertxgossip.simulator;

import java.util.HashSet;
import java.util.Set;
import org.vertxgossip.membership.MemberRecord;
import org.vertxgossip.membership.MembershipListener;
import org.vertxgossip.membership.NodeId;
import org.vertxgossip.membership.View;

/** Collects what the scenarios measure from every node's listener events. */
final class Recorder {

  private final Simulation sim;
  /** Per node: delivered views as (id, hash, time in µs, size). */
  final java.util.List<LongSeq[]> views = new java.util.ArrayList<>();
  private NodeId goneWatch;
  long[] goneAt;
  private NodeId newsWatch;
  private int newsIncarnation;
  long[] newsAt;
  /**
   * Members that were crashed, killed or paused on purpose. Deaths of the others are false, unless the declarer was
   * cut off from them by a partition at that moment.
   */
  final Set<NodeId> impaired = new HashSet<>();
  private final Set<String> falseDeaths = new HashSet<>();
  long packetsSent;

  Recorder(Simulation sim) {
    this.sim = sim;
  }

  void started(SimNode n) {
    while (views.size() <= n.index) {
      views.add(new LongSeq[] {new LongSeq(), new LongSeq(), new LongSeq(), new LongSeq()});
    }
  }

  void packetSent() {
    packetsSent++;
  }

  int falseDead() {
    return falseDeaths.size();
  }

  MembershipListener listenerFor(SimNode node) {
    return new MembershipListener() {
      @Override
      public void viewDelivered(View view, View previous) {
        LongSeq[] seq = views.get(node.index);
        seq[0].add(view.id());
        seq[1].add(view.hash());
        seq[2].add(sim.nowUs());
        seq[3].add(view.size());
        if (goneWatch != null && goneAt[node.index] < 0 && !view.members().contains(goneWatch)) {
          goneAt[node.index] = sim.nowUs();
        }
      }

      @Override
      public void memberChanged(MemberRecord m) {
        if (newsWatch != null && newsAt[node.index] < 0 && m.id().equals(newsWatch)
            && m.incarnation() >= newsIncarnation) {
          newsAt[node.index] = sim.nowUs();
        }
      }

      @Override
      public void declaredDead(NodeId member, int incarnation) {
        SimNode victim = sim.node(member);
        long window = 1000L * (sim.config.suspicionMaxMs(sim.nodes.size()) + 2 * sim.config.probeIntervalMs);
        boolean cutOff = victim != null && sim.network.blockedWithin(node.index, victim.index, sim.nowUs(), window);
        if (!impaired.contains(member) && !cutOff) {
          falseDeaths.add(member + "#" + incarnation);
        }
      }

      @Override
      public void leaveCompleted() {
        node.status = SimNode.Status.LEFT;
      }
    };
  }

  /** Starts timing how long {@code victim} stays in each node's delivered view. */
  void watchGone(NodeId victim) {
    goneWatch = victim;
    goneAt = new long[sim.nodes.size()];
    java.util.Arrays.fill(goneAt, -1);
    for (SimNode n : sim.nodes) {
      View v = n.membership.view();
      if (v != null && !v.members().contains(victim)) {
        goneAt[n.index] = sim.nowUs();
      }
    }
  }

  /** Starts timing when each node learns incarnation {@code inc} of {@code origin}. */
  void watchNews(NodeId origin, int inc) {
    newsWatch = origin;
    newsIncarnation = inc;
    newsAt = new long[sim.nodes.size()];
    java.util.Arrays.fill(newsAt, -1);
  }
}
