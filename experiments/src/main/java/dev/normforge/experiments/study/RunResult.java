package dev.normforge.experiments.study;

/**
 * What a run recorded.
 *
 * @param loss the training loss of every step (NaN from the step where it stopped being finite on)
 * @param updateSteps the steps after which the model update was measured
 * @param update {@code ||F(x; θ_t) - F(x; θ_0)|| / ||F(x; θ_0)||} on the fixed probe batch, at
 *     {@code updateSteps}
 * @param gradUp per block (0 = nearest the input), the norm of the gradient of the feed-forward's first
 *     weight {@code W1} at step 0
 * @param gradDown the same for the second weight {@code W2}
 * @param startLoss the loss at initialisation on the fixed evaluation set
 * @param finalLoss the loss after the last step on the evaluation set (NaN when the run blew up)
 * @param blewUpAt the first step whose loss was not finite, or -1
 * @param cpuMillisPerStep the median thread CPU time of a training step (forward, backward, Adam)
 */
public record RunResult(RunSpec spec, double[] loss, int[] updateSteps, double[] update, double[] gradUp,
    double[] gradDown, double startLoss, double finalLoss, int blewUpAt, double cpuMillisPerStep) {

  /** Diverged: the loss stopped being finite, or ended above its start. */
  public boolean diverged() {
    return blewUpAt >= 0 || !(finalLoss <= startLoss);
  }

  /**
   * How the gradient norm at step 0 changes from the input to the output: the mean {@code ||∇W2||} of the
   * top quarter of the blocks (nearest the output) over that of the bottom quarter (at least one block
   * each: the last block's over the first's for fewer than 8). Above 1: larger near the output.
   */
  public double gradientRatio() {
    int quarter = Math.max(1, gradDown.length / 4);
    double bottom = 0;
    double top = 0;
    for (int l = 0; l < quarter; l++) {
      bottom += gradDown[l];
      top += gradDown[gradDown.length - 1 - l];
    }
    return top / bottom;
  }

  /** The largest model update measured within the first {@code steps} steps. */
  public double maxUpdateWithin(int steps) {
    double max = 0;
    for (int i = 0; i < updateSteps.length && updateSteps[i] <= steps; i++) {
      max = Math.max(max, Double.isNaN(update[i]) ? Double.POSITIVE_INFINITY : update[i]);
    }
    return max;
  }
}
