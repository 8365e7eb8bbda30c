package dev.normforge.experiments.study;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The study's figures, as PNG files drawn by XChart. */
public final class Plots {
  private static final int WIDTH = 560;
  private static final int HEIGHT = 420;
  /** Steps of the moving average that smooths the per-batch loss. */
  static final int SMOOTHING = 20;

  private static final Map<Variant, Color> COLORS = Map.of(
      Variant.PRE_LN, new Color(0x1f77b4),
      Variant.POST_LN, new Color(0xd62728),
      Variant.DEEP_NORM, new Color(0x2ca02c),
      Variant.SANDWICH_LN, new Color(0x9467bd),
      Variant.PRE_RMS, new Color(0x17becf),
      Variant.POST_RMS, new Color(0xff7f0e));
  private static final Color REFERENCE = new Color(0x777777);
  private static final BasicStroke SOLID = new BasicStroke(2f);
  private static final BasicStroke DASHED =
      new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 5f}, 0f);
  private static final BasicStroke THIN_DASHED =
      new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {3f, 4f}, 0f);

  /** The variants of the gradient-norm figure (the RMS ones lie on their LayerNorm twins). */
  private static final List<Variant> GRADIENT_VARIANTS =
      List.of(Variant.POST_LN, Variant.PRE_LN, Variant.DEEP_NORM, Variant.SANDWICH_LN);

  private Plots() {}

  /** Writes every figure into {@code dir}; returns their file names. */
  public static List<String> write(StudyResults results, Path dir) throws IOException {
    List<String> files = new ArrayList<>();
    files.add(save(dir, "gradient-norms", 1, gradientNorms(results)));
    files.add(save(dir, "loss-curves", 2, lossCurves(results)));
    files.add(save(dir, "model-update", 1, modelUpdates(results, results.config().depths())));
    files.add(save(dir, "final-loss", 1, finalLoss(results)));
    if (results.config().extraDepth() > 0) {
      files.add(save(dir, "depth-" + results.config().extraDepth(), 1, extraDeep(results)));
    }
    files.add(save(dir, "norm-cost", 1, normCost(results)));
    return files;
  }

  private static List<Chart<?, ?>> gradientNorms(StudyResults results) {
    List<Chart<?, ?>> charts = new ArrayList<>();
    for (int depth : results.config().gradientDepths()) {
      XYChart chart = xy(depth + " blocks: gradient norm at step 0", "block (1 = next to the input)",
          "||dLoss/dW2|| of the FFN / block 1's");
      chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
      chart.getStyler().setYAxisMin(0.0);
      double[] x = steps(depth);
      for (Variant v : GRADIENT_VARIANTS) {
        results.run(v, depth, false).ifPresent(r -> {
          double first = r.gradDown()[0];
          double[] relative = java.util.Arrays.stream(r.gradDown()).map(g -> g / first).toArray();
          line(chart, String.format(Locale.ROOT, "%s (block 1: %.3g)", v.label(), first), x, relative,
              COLORS.get(v), SOLID);
        });
      }
      charts.add(chart);
    }
    return charts;
  }

  private static List<Chart<?, ?>> lossCurves(StudyResults results) {
    List<Chart<?, ?>> charts = new ArrayList<>();
    for (boolean warmup : new boolean[] {false, true}) {
      for (int depth : results.config().depths()) {
        XYChart chart = lossChart(results, depth, warmup, results.config().variants());
        chart.getStyler().setLegendVisible(charts.isEmpty()); // one legend for the figure
        charts.add(chart);
      }
    }
    return charts;
  }

  /** The smoothed training loss of {@code variants} at {@code depth}, with or without warm-up. */
  private static XYChart lossChart(StudyResults results, int depth, boolean warmup, List<Variant> variants) {
    XYChart chart = xy(depth + " blocks, " + (warmup ? "warm-up " + results.config().warmup() + " steps" : "no warm-up"),
        "step", "training loss (moving average of " + SMOOTHING + ")");
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setYAxisMin(results.task().entropyFloor() - 0.1);
    chart.getStyler().setYAxisMax(3.6);
    for (Variant v : variants) {
      results.run(v, depth, warmup).ifPresent(r -> {
        double[] smooth = movingAverage(r.loss(), SMOOTHING);
        line(chart, v.label(), steps(smooth.length), smooth, COLORS.get(v), SOLID);
      });
    }
    references(chart, results, 1, results.config().steps());
    return chart;
  }

  private static List<Chart<?, ?>> modelUpdates(StudyResults results, List<Integer> depths) {
    List<Chart<?, ?>> charts = new ArrayList<>();
    for (int depth : depths) {
      charts.add(updateChart(results, depth));
    }
    return charts;
  }

  private static XYChart updateChart(StudyResults results, int depth) {
    XYChart chart = xy(depth + " blocks: model update", "step",
        "||F(x;θt) − F(x;θ0)|| / ||F(x;θ0)||");
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setYAxisMin(1e-4); // the same decades in every panel, so that they compare
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    for (Variant v : results.config().variants()) {
      results.run(v, depth, false).ifPresent(r -> line(chart, v.label(), toDouble(r.updateSteps()), r.update(),
          COLORS.get(v), SOLID));
    }
    results.run(Variant.POST_LN, depth, true).ifPresent(r -> line(chart, "Post-LN, warm-up",
        toDouble(r.updateSteps()), r.update(), COLORS.get(Variant.POST_LN), DASHED));
    return chart;
  }

  private static List<Chart<?, ?>> finalLoss(StudyResults results) {
    List<Chart<?, ?>> charts = new ArrayList<>();
    List<Integer> depths = results.config().allDepths();
    for (boolean warmup : new boolean[] {false, true}) {
      XYChart chart = xy("Loss after " + results.config().steps() + " steps, "
          + (warmup ? "warm-up " + results.config().warmup() + " steps" : "no warm-up"), "blocks", "evaluation loss");
      chart.getStyler().setXAxisLogarithmic(true);
      chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
      chart.getStyler().setYAxisMin(results.task().entropyFloor() - 0.1);
      chart.getStyler().setYAxisMax(3.6);
      for (Variant v : results.config().variants()) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int depth : depths) {
          results.run(v, depth, warmup).filter(r -> Double.isFinite(r.finalLoss())).ifPresent(r -> {
            x.add((double) depth);
            y.add(r.finalLoss());
          });
        }
        if (!x.isEmpty()) {
          XYSeries s = line(chart, v.label(), unbox(x), unbox(y), COLORS.get(v), SOLID);
          s.setMarker(SeriesMarkers.CIRCLE);
          s.setMarkerColor(COLORS.get(v));
        }
      }
      references(chart, results, depths.get(0), depths.get(depths.size() - 1));
      charts.add(chart);
    }
    return charts;
  }

  private static List<Chart<?, ?>> extraDeep(StudyResults results) {
    int depth = results.config().extraDepth();
    return List.of(lossChart(results, depth, false, results.config().extraVariants()), updateChart(results, depth));
  }

  private static List<Chart<?, ?>> normCost(StudyResults results) {
    return List.of(
        costChart(results, "ns per row", "The norms alone: forward + backward", "CPU ns per row of "
            + dev.normforge.experiments.StudyBlocks.HIDDEN + " (batches of " + results.config().batch() + ")"),
        costChart(results, "ms per step", "Whole training steps (forward, backward, Adam)", "CPU ms per step"));
  }

  private static CategoryChart costChart(StudyResults results, String unit, String title, String yTitle) {
    CategoryChart chart = bars(title, yTitle);
    List<String> what = new ArrayList<>();
    List<Double> ln = new ArrayList<>();
    List<Double> rms = new ArrayList<>();
    for (NormCost.Timing t : results.normCost()) {
      if (t.unit().equals(unit)) {
        what.add(t.what());
        ln.add(t.layerNorm());
        rms.add(t.rmsNorm());
      }
    }
    chart.addSeries("LayerNorm", what, ln).setFillColor(COLORS.get(Variant.PRE_LN));
    chart.addSeries("RMSNorm", what, rms).setFillColor(COLORS.get(Variant.PRE_RMS));
    return chart;
  }

  // ---- chart helpers

  private static XYChart xy(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    style(chart.getStyler());
    chart.getStyler().setMarkerSize(6);
    chart.getStyler().setXAxisTickMarkSpacingHint(90);
    return chart;
  }

  private static CategoryChart bars(String title, String yTitle) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yTitle)
        .build();
    style(chart.getStyler());
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    chart.getStyler().setDecimalPattern("0.00");
    return chart;
  }

  private static void style(AxesChartStyler styler) {
    styler.setLocale(Locale.ROOT);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotBorderColor(Color.GRAY);
    styler.setPlotGridLinesColor(new Color(0xdddddd));
    styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    styler.setLegendBackgroundColor(new Color(255, 255, 255, 220));
    styler.setChartTitleBoxVisible(false);
  }

  private static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color, BasicStroke stroke) {
    int n = 0;
    double[] xs = new double[x.length];
    double[] ys = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(y[i]) && (!chart.getStyler().isYAxisLogarithmic() || y[i] > 0)) {
        xs[n] = x[i];
        ys[n++] = y[i];
      }
    }
    if (n == 0) { // a run that blew up at once: keep it in the legend
      xs[n] = x.length > 0 ? x[0] : 1;
      ys[n++] = Double.NaN;
    }
    XYSeries s = chart.addSeries(name, java.util.Arrays.copyOf(xs, n), java.util.Arrays.copyOf(ys, n));
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(color);
    s.setLineStyle(stroke);
    return s;
  }

  /** The task's levels: the best possible loss and the best loss without context. */
  private static void references(XYChart chart, StudyResults results, double x0, double x1) {
    double[] x = {x0, x1};
    double floor = results.task().entropyFloor();
    double unigram = results.task().unigramEntropy();
    line(chart, String.format(Locale.ROOT, "floor %.2f", floor), x, new double[] {floor, floor}, REFERENCE, THIN_DASHED);
    line(chart, String.format(Locale.ROOT, "no context %.2f", unigram), x, new double[] {unigram, unigram},
        Color.BLACK, THIN_DASHED);
  }

  private static String save(Path dir, String name, int rows, List<Chart<?, ?>> charts) throws IOException {
    int cols = (charts.size() + rows - 1) / rows;
    BitmapEncoder.saveBitmap(charts, rows, cols, dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
    return name + ".png";
  }

  /** Trailing moving average over {@code window} values; NaN where the run had stopped. */
  static double[] movingAverage(double[] values, int window) {
    double[] out = new double[values.length];
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      sum += values[i];
      if (i >= window) {
        sum -= values[i - window];
      }
      out[i] = sum / Math.min(i + 1, window);
    }
    return out;
  }

  private static double[] steps(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i + 1;
    }
    return x;
  }

  private static double[] toDouble(int[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private static double[] unbox(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
