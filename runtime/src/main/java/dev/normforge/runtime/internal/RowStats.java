package dev.normforge.runtime.internal;

/**
 * Per-row statistics in double precision: the slow path generated kernels take when float arithmetic
 * cannot be trusted for a row (values so large that x² overflows, so small that it underflows, a constant
 * row, or NaN/infinity in the input). Rare, so simplicity wins over speed here.
 */
public final class RowStats {
  private RowStats() {}

  /** The mean of {@code n} values from {@code off}. */
  public static double mean(float[] x, int off, int n) {
    double s = 0;
    for (int j = 0; j < n; j++) {
      s += x[off + j];
    }
    return s / n;
  }

  /**
   * {@code 1/sqrt(mean((x - center)²) + eps)}, scaled so that neither the squares nor their sum can
   * overflow or underflow.
   */
  public static double rstd(float[] x, int off, int n, double center, double eps) {
    double scale = 0;
    for (int j = 0; j < n; j++) {
      scale = Math.max(scale, Math.abs(x[off + j] - center));
    }
    if (Double.isNaN(scale) || Double.isInfinite(scale)) {
      return Double.NaN; // NaN or infinity in the row: var is NaN, as in PyTorch
    }
    if (scale == 0) {
      return 1.0 / Math.sqrt(eps); // a constant row
    }
    double sum = 0;
    for (int j = 0; j < n; j++) {
      double d = (x[off + j] - center) / scale;
      sum += d * d;
    }
    // var = scale²·sum/n; rstd = 1/sqrt(var + eps), computed without forming scale² when it is extreme
    double meanSq = sum / n;
    return 1.0 / (scale * Math.sqrt(meanSq + eps / scale / scale));
  }
}
