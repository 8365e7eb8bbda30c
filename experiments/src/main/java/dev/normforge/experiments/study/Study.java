package dev.normforge.experiments.study;

import dev.normforge.experiments.task.MarkovLanguage;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Runs a {@link StudyConfig}: every training run, then the norms' cost; logs one line per run. */
public final class Study {
  /** Offsets from the study's seed (a run's weights use the seed, its batches seed + 1). */
  private static final long TASK_SEED = 101;
  private static final long EVALUATION_SEED = 1_000_003;

  private Study() {}

  public static StudyResults run(StudyConfig config, PrintStream log) {
    MarkovLanguage task = new MarkovLanguage(config.vocab(), config.order(), config.zipf(), config.seed() + TASK_SEED);
    log.printf(Locale.ROOT, "task: %d tokens, order %d, Zipf %.2f: loss floor %.4f, unigram %.4f, uniform %.4f%n",
        task.vocab(), task.order(), config.zipf(), task.entropyFloor(), task.unigramEntropy(), task.uniformLoss());
    Trainer trainer = new Trainer(task, config.seed() + EVALUATION_SEED);
    List<RunSpec> specs = config.runs();
    List<RunResult> runs = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      long t0 = System.nanoTime();
      RunResult r = trainer.run(specs.get(i));
      runs.add(r);
      log.printf(Locale.ROOT, "[%d/%d] %-36s loss %.3f -> %s%s  grad top/bottom %.3g  update@20 %.3g  %.2f ms/step (%.0f s)%n",
          i + 1, specs.size(), r.spec(), r.startLoss(),
          Double.isNaN(r.finalLoss()) ? "NaN" : String.format(Locale.ROOT, "%.3f", r.finalLoss()),
          r.diverged() ? " DIVERGED" : "", r.gradientRatio(), r.maxUpdateWithin(20), r.cpuMillisPerStep(),
          (System.nanoTime() - t0) / 1e9);
    }
    List<NormCost.Timing> cost = new ArrayList<>(NormCost.norms(config.batch(), 2000, 15));
    cost.addAll(NormCost.steps(task, config.timingDepth(), config.batch(), config.timingSteps(), config.seed()));
    for (NormCost.Timing t : cost) {
      log.printf(Locale.ROOT, "cost, %s: LayerNorm %.3g, RMSNorm %.3g %s (RMS/LN %.2f)%n", t.what(), t.layerNorm(),
          t.rmsNorm(), t.unit(), t.ratio());
    }
    return new StudyResults(config, task, runs, cost);
  }
}
