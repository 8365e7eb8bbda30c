package dev.normforge.experiments.nn;

/**
 * Softmax cross-entropy over rows of logits, as PyTorch's {@code F.cross_entropy} with the default mean
 * reduction: {@code loss = mean_r (logsumexp(z_r) - z_r[target_r])}, and its gradient
 * {@code dz_r = (softmax(z_r) - onehot(target_r)) / rows}. Computed in double, with {@code StrictMath}
 * (the same bits on every JVM and at every stage of compilation).
 */
public final class CrossEntropy {
  private CrossEntropy() {}

  /**
   * The mean loss over {@code rows} rows of {@code classes} logits; writes the gradient into
   * {@code dLogits} when it is not null.
   */
  public static double loss(float[] logits, int[] targets, int rows, int classes, float[] dLogits) {
    double total = 0;
    for (int r = 0; r < rows; r++) {
      int row = r * classes;
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, logits[row + c]);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += StrictMath.exp(logits[row + c] - max);
      }
      double logSum = max + StrictMath.log(sum);
      total += logSum - logits[row + targets[r]];
      if (dLogits != null) {
        for (int c = 0; c < classes; c++) {
          double p = StrictMath.exp(logits[row + c] - logSum);
          dLogits[row + c] = (float) ((p - (c == targets[r] ? 1 : 0)) / rows);
        }
      }
    }
    return total / rows;
  }
}
