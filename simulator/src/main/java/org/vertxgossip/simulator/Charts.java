package org.vertxgossip.simulator;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG charts of simulator results, drawn with JFreeChart. */
final class Charts {

  private Charts() {
  }

  /** Fraction of members still lacking the item per round: measured curves against the mean-field model. */
  static void dissemination(File out, int n, Map<String, List<Double>> curves) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Map.Entry<String, List<Double>> e : curves.entrySet()) {
      XYSeries s = new XYSeries(e.getKey());
      List<Double> v = e.getValue();
      for (int t = 0; t < v.size(); t++) {
        if (v.get(t) > 0) {
          s.add(t / (double) Scenarios.SAMPLES_PER_ROUND, v.get(t));
        }
      }
      data.addSeries(s);
    }
    JFreeChart chart = ChartFactory.createXYLineChart("Dissemination of one news item, N=" + n,
        "gossip rounds", "fraction of members lacking it", data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    LogarithmicAxis y = new LogarithmicAxis("fraction of members lacking it (log)");
    y.setAllowNegativesFlag(false);
    y.setLowerBound(0.5 / n);
    y.setUpperBound(1.0);
    plot.setRangeAxis(y);
    style(plot);
    ChartUtils.saveChartAsPNG(out, chart, 900, 560);
  }

  /** Detection time (p50 and p99) against cluster size, one series per scenario and percentile. */
  static void detection(File out, Map<String, double[][]> series) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Map.Entry<String, double[][]> e : series.entrySet()) {
      XYSeries s = new XYSeries(e.getKey());
      for (double[] point : e.getValue()) {
        s.add(point[0], point[1]);
      }
      data.addSeries(s);
    }
    JFreeChart chart = ChartFactory.createXYLineChart("Time until a failed member is gone from every view",
        "members (N)", "seconds", data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    LogarithmicAxis x = new LogarithmicAxis("members (N, log)");
    plot.setDomainAxis(x);
    style(plot);
    ChartUtils.saveChartAsPNG(out, chart, 900, 560);
  }

  private static void style(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
      r.setSeriesStroke(i, new BasicStroke(2f));
    }
    plot.setRenderer(r);
  }
}
