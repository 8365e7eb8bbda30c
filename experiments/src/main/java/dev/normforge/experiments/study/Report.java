package dev.normforge.experiments.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** The study's tables (markdown) and raw data (CSV). */
public final class Report {
  private Report() {}

  /** Writes {@code summary.md}, {@code losses.csv}, {@code updates.csv} and {@code gradients.csv} into {@code dir}. */
  public static void write(StudyResults results, Path dir) throws IOException {
    Files.writeString(dir.resolve("summary.md"), summary(results));
    StringBuilder losses = new StringBuilder("variant,blocks,warmup,step,loss\n");
    StringBuilder updates = new StringBuilder("variant,blocks,warmup,step,update\n");
    StringBuilder gradients = new StringBuilder("variant,blocks,block,grad_w1,grad_w2\n");
    for (RunResult r : results.runs()) {
      String key = r.spec().variant() + "," + r.spec().depth() + "," + r.spec().warmup();
      for (int i = 0; i < r.loss().length; i++) {
        losses.append(key).append(',').append(i + 1).append(',').append(format("%.5f", r.loss()[i])).append('\n');
      }
      for (int i = 0; i < r.updateSteps().length; i++) {
        updates.append(key).append(',').append(r.updateSteps()[i]).append(',').append(format("%.6g", r.update()[i]))
            .append('\n');
      }
      if (!r.spec().warmsUp()) { // step 0 comes before the first update: the same with warm-up
        for (int l = 0; l < r.gradUp().length; l++) {
          gradients.append(r.spec().variant()).append(',').append(r.spec().depth()).append(',').append(l + 1)
              .append(',').append(format("%.6g", r.gradUp()[l])).append(',').append(format("%.6g", r.gradDown()[l]))
              .append('\n');
        }
      }
    }
    Files.writeString(dir.resolve("losses.csv"), losses);
    Files.writeString(dir.resolve("updates.csv"), updates);
    Files.writeString(dir.resolve("gradients.csv"), gradients);
  }

  /** The markdown tables: final loss and divergence, gradient ratio, model update, time. */
  public static String summary(StudyResults results) {
    StudyConfig c = results.config();
    StringBuilder md = new StringBuilder();
    md.append(format("Task: next token of an order-%d Markov language over %d tokens (Zipf %.2f): loss floor %.3f,"
        + " no-context level %.3f, uniform %.3f nats. %d steps of %d rows, Adam lr %.0e, warm-up %d steps"
        + " (linear) or none.%n%n", c.order(), c.vocab(), c.zipf(), results.task().entropyFloor(),
        results.task().unigramEntropy(), results.task().uniformLoss(), c.steps(), c.batch(), c.lr(), c.warmup()));

    md.append("### Evaluation loss after training (start → end)\n\n");
    md.append("✗ = diverged (the loss stopped being finite, or ended above its start); ")
        .append(format("◦ = learned no context (ended above the no-context level %.3f).%n%n",
            results.task().unigramEntropy()));
    table(md, results, true, r -> {
      if (r.blewUpAt() >= 0) {
        return format("✗ NaN at step %d", r.blewUpAt() + 1);
      }
      String mark = r.diverged() ? " ✗" : r.finalLoss() > results.task().unigramEntropy() ? " ◦" : "";
      return format("%.2f → %.3f%s", r.startLoss(), r.finalLoss(), mark);
    });

    md.append("\n### Gradient norm at step 0: mean ||dLoss/dW2|| of the top quarter of the blocks / of the bottom quarter\n\n");
    table(md, results, false, r -> format("%.2f", r.gradientRatio()));

    md.append(format("%n### Model update ||F(x;θt) − F(x;θ0)|| / ||F(x;θ0)||: largest within the first 20 steps"
        + " / after step %d%n%n", c.steps()));
    table(md, results, true, r -> r.blewUpAt() >= 0 && r.blewUpAt() < 20 ? "NaN"
        : format("%.3f / %s", r.maxUpdateWithin(20), r.blewUpAt() >= 0 ? "NaN"
            : format("%.3f", r.update()[r.update().length - 1])));

    md.append("\n### CPU time per training step (ms, median; forward, backward, Adam; one thread)\n\n");
    table(md, results, false, r -> format("%.2f", r.cpuMillisPerStep()));

    md.append(format("%n### LayerNorm against RMSNorm: CPU time of the norms alone (forward + backward, rows of %d,"
        + " batches of %d) and of whole training steps%n%n", dev.normforge.experiments.StudyBlocks.HIDDEN, c.batch()));
    md.append("| what | unit | LayerNorm | RMSNorm | RMS / LN |\n|---|---|---:|---:|---:|\n");
    for (NormCost.Timing t : results.normCost()) {
      md.append(format("| %s | %s | %.3g | %.3g | %.2f |%n", t.what(), t.unit(), t.layerNorm(), t.rmsNorm(),
          t.ratio()));
    }
    return md.toString();
  }

  /**
   * One row per variant (and per warm-up when {@code bothWarmups}; otherwise the run without warm-up), one
   * column per depth.
   */
  private static void table(StringBuilder md, StudyResults results, boolean bothWarmups,
      Function<RunResult, String> cell) {
    List<Integer> depths = results.config().allDepths();
    md.append("| variant |");
    depths.forEach(d -> md.append(' ').append(d).append(" blocks |"));
    md.append("\n|---|");
    depths.forEach(d -> md.append("---:|"));
    md.append('\n');
    for (Variant v : results.config().variants()) {
      for (boolean warmup : bothWarmups ? new boolean[] {false, true} : new boolean[] {false}) {
        md.append("| ").append(v.label()).append(bothWarmups ? (warmup ? ", warm-up" : ", no warm-up") : "").append(" |");
        for (int depth : depths) {
          Optional<RunResult> r = results.run(v, depth, warmup);
          md.append(' ').append(r.map(cell).orElse("")).append(" |");
        }
        md.append('\n');
      }
    }
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
