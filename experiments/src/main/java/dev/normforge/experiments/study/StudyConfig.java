package dev.normforge.experiments.study;

import java.util.ArrayList;
import java.util.List;

/**
 * What a study runs: the task, the grid of runs (every variant at every depth, with and without warm-up),
 * a few extra-deep runs, and the shared training settings.
 *
 * @param name {@code full} or {@code quick}
 * @param vocab tokens of the task's language
 * @param order context length of the task's language
 * @param zipf the exponent of its next-token law
 * @param depths the grid's depths
 * @param variants the grid's variants
 * @param warmup warm-up steps of the runs that warm up (each grid cell runs with 0 and with this)
 * @param extraDepth a depth run beyond the grid without warm-up, for {@code extraVariants} (0: none)
 * @param extraVariants the variants run at {@code extraDepth}
 * @param steps Adam steps per run
 * @param batch rows per step
 * @param lr the peak learning rate
 * @param seed every run's seed (same initial draws and batches for every variant)
 * @param gradientDepths the depths whose per-block gradient norms are plotted
 * @param timingDepth the depth of the stacks whose whole training steps are timed, LayerNorm against RMSNorm
 * @param timingSteps the steps timed per stack
 */
public record StudyConfig(String name, int vocab, int order, double zipf, List<Integer> depths,
    List<Variant> variants, int warmup, int extraDepth, List<Variant> extraVariants, int steps, int batch,
    double lr, long seed, List<Integer> gradientDepths, int timingDepth, int timingSteps) {

  /** The study of the README: depths 6 to 200 (and 1000 for three variants), six variants, 400 steps. */
  public static StudyConfig full() {
    return new StudyConfig("full", 16, 2, 1.5, List.of(6, 18, 50, 100, 200), List.of(Variant.values()), 100,
        1000, List.of(Variant.POST_LN, Variant.DEEP_NORM, Variant.PRE_LN), 400, 64, 1e-3, 7,
        List.of(18, 50, 200), 50, 60);
  }

  /** A small instance that runs in a minute or less (CI): depths 6 and 24, 40 steps. */
  public static StudyConfig quick() {
    return new StudyConfig("quick", 16, 2, 1.5, List.of(6, 24), List.of(Variant.values()), 10, 0, List.of(), 40,
        32, 1e-3, 7, List.of(6, 24), 24, 10);
  }

  /** Every run, in the order they run: the grid by depth, variant and warm-up, then the extra-deep runs. */
  public List<RunSpec> runs() {
    List<RunSpec> runs = new ArrayList<>();
    for (int depth : depths) {
      for (Variant variant : variants) {
        runs.add(new RunSpec(variant, depth, 0, steps, batch, lr, seed));
        runs.add(new RunSpec(variant, depth, warmup, steps, batch, lr, seed));
      }
    }
    for (Variant variant : extraVariants) {
      runs.add(new RunSpec(variant, extraDepth, 0, steps, batch, lr, seed));
    }
    return runs;
  }

  /** Every depth run, the extra one included, ascending. */
  public List<Integer> allDepths() {
    List<Integer> all = new ArrayList<>(depths);
    if (extraDepth > 0) {
      all.add(extraDepth);
    }
    return all;
  }
}
