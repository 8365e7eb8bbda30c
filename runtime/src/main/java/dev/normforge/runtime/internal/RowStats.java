package dev.normforge.runtime.internal;

/**
 * Statistics in double precision: the slow path generated kernels take when float arithmetic cannot be
 * trusted for a row (values so large that x² overflows, so small that it underflows, a constant row, or
 * NaN/infinity in the input), and BatchNorm's for such a feature. One routine serves both: a row is
 * {@code n} values with stride 1, a feature of a row-major batch {@code n} values with stride
 * {@code hidden}. Rare, so simplicity wins over speed here.
 */
public final class RowStats {
  private RowStats() {}

  /** The mean of {@code n} values from {@code off}. */
  public static double mean(float[] x, int off, int n) {
    return mean(x, off, n, 1, 0.0);
  }

  /** The mean of {@code x - shift} over {@code n} values {@code x[off + i·stride]}, in double. */
  public static double mean(float[] x, int off, int n, int stride, double shift) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += x[off + i * stride] - shift;
    }
    return s / n;
  }

  /**
   * {@code 1/sqrt(mean((x - center)²) + eps)} over {@code n} values from {@code off}, with PyTorch's
   * semantics for values that are not finite: NaN for a row holding NaN, or infinity around an infinite
   * center (LayerNorm's mean: {@code inf - inf}); 0 when the mean square is {@code +inf} around a finite
   * center (RMSNorm's {@code rsqrt(inf)}: the row's finite elements become 0, its infinite ones NaN), as
   * {@code -0.0} so that a saved rstd of {@code +0.0} still means "never written by a forward";
   * {@code 1/sqrt(eps)} for a constant row.
   */
  public static double rstd(float[] x, int off, int n, double center, double eps) {
    double var = variance(x, off, n, 1, center);
    return var == Double.POSITIVE_INFINITY ? -0.0 : 1.0 / Math.sqrt(var + eps);
  }

  /**
   * The biased variance {@code mean((x - center)²)} over {@code n} values {@code x[off + i·stride]}, scaled
   * by the largest deviation so that no square over- or underflows: 0 for constant values, NaN when one is
   * NaN, infinity when one is infinite.
   */
  public static double variance(float[] x, int off, int n, int stride, double center) {
    double scale = 0;
    for (int i = 0; i < n; i++) {
      scale = Math.max(scale, Math.abs(x[off + i * stride] - center));
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      return Double.isNaN(scale) || Double.isInfinite(scale) ? scale : 0;
    }
    double s = 0;
    for (int i = 0; i < n; i++) {
      double d = (x[off + i * stride] - center) / scale;
      s += d * d;
    }
    return s / n * scale * scale;
  }
}
