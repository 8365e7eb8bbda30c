package dev.normforge.runtime;

/**
 * The float64 oracle: every formula the generated kernels compute, written plainly in double precision
 * with no attempt at speed. Tests compare generated float kernels against it; so does the sample.
 *
 * <p>Arrays are row-major, {@code rows × hidden}, starting at index 0. A null {@code weight} or
 * {@code bias} means the norm has none. Outputs are written into caller-provided double arrays; gradient
 * outputs ({@code dweight}, {@code dbias}) are overwritten, not accumulated.
 */
public final class Reference {
  private Reference() {}

  /**
   * LayerNorm forward: {@code y = (x - mean)·rstd·weight + bias}, {@code rstd = 1/sqrt(var + eps)}, mean
   * and biased variance over each row. {@code mean} and {@code rstd} (length rows) may be null.
   */
  public static void layerNorm(
      float[] x, int rows, int hidden, float[] weight, float[] bias, double eps,
      double[] y, double[] mean, double[] rstd) {
    rowNorm(true, x, rows, hidden, weight, bias, eps, y, mean, rstd);
  }

  /** RMSNorm forward: {@code y = x·rstd·weight (+ bias)}, {@code rstd = 1/sqrt(mean(x²) + eps)}. */
  public static void rmsNorm(
      float[] x, int rows, int hidden, float[] weight, float[] bias, double eps, double[] y, double[] rstd) {
    rowNorm(false, x, rows, hidden, weight, bias, eps, y, null, rstd);
  }

  /**
   * LayerNorm backward with {@code g = dy·weight} and {@code xhat = (x - mean)·rstd}:
   * {@code dx = rstd·(g - mean(g) - xhat·mean(g·xhat))}, {@code dweight = Σ_rows dy·xhat},
   * {@code dbias = Σ_rows dy}. {@code dweight}/{@code dbias} may be null.
   */
  public static void layerNormBackward(
      float[] x, float[] dy, int rows, int hidden, float[] weight, double eps,
      double[] dx, double[] dweight, double[] dbias) {
    rowNormBackward(true, x, dy, rows, hidden, weight, eps, dx, dweight, dbias);
  }

  /**
   * RMSNorm backward with {@code g = dy·weight} and {@code xhat = x·rstd}:
   * {@code dx = rstd·(g - xhat·mean(g·xhat))}, {@code dweight = Σ_rows dy·xhat}, {@code dbias = Σ_rows dy}.
   */
  public static void rmsNormBackward(
      float[] x, float[] dy, int rows, int hidden, float[] weight, double eps,
      double[] dx, double[] dweight, double[] dbias) {
    rowNormBackward(false, x, dy, rows, hidden, weight, eps, dx, dweight, dbias);
  }

  /** LayerNorm ({@code centered}) or RMSNorm forward of one kind, shared by both. */
  public static void rowNorm(
      boolean centered, float[] x, int rows, int hidden, float[] weight, float[] bias, double eps,
      double[] y, double[] mean, double[] rstd) {
    for (int r = 0; r < rows; r++) {
      int o = r * hidden;
      double m = centered ? RowStats.mean(x, o, hidden) : 0;
      double rs = RowStats.rstd(x, o, hidden, m, eps);
      for (int j = 0; j < hidden; j++) {
        double v = (x[o + j] - m) * rs;
        if (weight != null) {
          v *= weight[j];
        }
        if (bias != null) {
          v += bias[j];
        }
        y[o + j] = v;
      }
      if (mean != null) {
        mean[r] = m;
      }
      if (rstd != null) {
        rstd[r] = rs;
      }
    }
  }

  /** LayerNorm ({@code centered}) or RMSNorm backward, shared by both. */
  public static void rowNormBackward(
      boolean centered, float[] x, float[] dy, int rows, int hidden, float[] weight, double eps,
      double[] dx, double[] dweight, double[] dbias) {
    if (dweight != null) {
      java.util.Arrays.fill(dweight, 0);
    }
    if (dbias != null) {
      java.util.Arrays.fill(dbias, 0);
    }
    double[] xhat = new double[hidden];
    double[] g = new double[hidden];
    for (int r = 0; r < rows; r++) {
      int o = r * hidden;
      double m = centered ? RowStats.mean(x, o, hidden) : 0;
      double rs = RowStats.rstd(x, o, hidden, m, eps);
      double sumG = 0;
      double sumGx = 0;
      for (int j = 0; j < hidden; j++) {
        xhat[j] = (x[o + j] - m) * rs;
        g[j] = dy[o + j] * (weight == null ? 1 : weight[j]);
        sumG += g[j];
        sumGx += g[j] * xhat[j];
        if (dweight != null) {
          dweight[j] += dy[o + j] * xhat[j];
        }
        if (dbias != null) {
          dbias[j] += dy[o + j];
        }
      }
      double meanG = centered ? sumG / hidden : 0;
      double meanGx = sumGx / hidden;
      for (int j = 0; j < hidden; j++) {
        dx[o + j] = rs * (g[j] - meanG - xhat[j] * meanGx);
      }
    }
  }
}
