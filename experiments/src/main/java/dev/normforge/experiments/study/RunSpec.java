package dev.normforge.experiments.study;

/**
 * One training run: a stack of {@code depth} blocks of {@code variant}, {@code steps} Adam steps on
 * batches of {@code batch} rows, peak learning rate {@code lr} reached by a linear warm-up over
 * {@code warmup} steps (0: none) and then held, every random draw from {@code seed}.
 */
public record RunSpec(Variant variant, int depth, int warmup, int steps, int batch, double lr, long seed) {
  public RunSpec {
    if (depth < 1 || warmup < 0 || steps < 1 || batch < 1 || !(lr > 0)) {
      throw new IllegalArgumentException("bad run: " + depth + " blocks, warm-up " + warmup + ", " + steps
          + " steps, batch " + batch + ", lr " + lr);
    }
  }

  /** The learning rate of step {@code step} (0-based): {@code lr·min(1, (step + 1)/warmup)}. */
  public double learningRate(int step) {
    return warmup == 0 ? lr : lr * Math.min(1.0, (step + 1.0) / warmup);
  }

  /** Whether the run warms up. */
  public boolean warmsUp() {
    return warmup > 0;
  }

  /** For logs and legends: {@code Post-LN × 50, no warm-up}. */
  @Override
  public String toString() {
    return variant.label() + " × " + depth + ", " + (warmup == 0 ? "no warm-up" : "warm-up " + warmup);
  }
}
