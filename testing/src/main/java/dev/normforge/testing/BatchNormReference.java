package dev.normforge.testing;

/**
 * The float64 oracle for BatchNorm (PyTorch's {@code BatchNorm1d} on {@code [rows, hidden]}), written
 * plainly in double precision with no attempt at speed, beside {@link Reference} for the row norms.
 *
 * <p>Arrays are row-major, {@code rows × hidden}, from index 0; per-feature arrays have length
 * {@code hidden}. A null {@code weight} or {@code bias} means the layer has none. Gradient outputs are
 * overwritten, not accumulated.
 */
public final class BatchNormReference {
  private BatchNormReference() {}

  /** The per-feature batch mean. */
  public static double[] mean(float[] x, int rows, int hidden) {
    double[] mean = new double[hidden];
    for (int j = 0; j < hidden; j++) {
      double s = 0;
      for (int r = 0; r < rows; r++) {
        s += x[r * hidden + j];
      }
      mean[j] = s / rows;
    }
    return mean;
  }

  /** The per-feature biased batch variance around {@code mean} (two passes: exact for any mean). */
  public static double[] variance(float[] x, int rows, int hidden, double[] mean) {
    double[] var = new double[hidden];
    for (int j = 0; j < hidden; j++) {
      double s = 0;
      for (int r = 0; r < rows; r++) {
        double d = x[r * hidden + j] - mean[j];
        s += d * d;
      }
      var[j] = s / rows;
    }
    return var;
  }

  /**
   * Training forward: {@code y = (x - mean)·invstd·weight + bias}, {@code invstd = 1/sqrt(var + eps)};
   * writes {@code mean} and {@code invstd} (may be null) and updates {@code runningMean}/{@code runningVar}
   * (may be null) with {@code momentum}, the variance unbiased.
   */
  public static void forwardTraining(
      float[] x, int rows, int hidden, float[] weight, float[] bias, double eps, double momentum,
      double[] runningMean, double[] runningVar, double[] y, double[] mean, double[] invstd) {
    double[] m = mean(x, rows, hidden);
    double[] v = variance(x, rows, hidden, m);
    double[] is = new double[hidden];
    for (int j = 0; j < hidden; j++) {
      is[j] = 1.0 / Math.sqrt(v[j] + eps);
    }
    apply(x, rows, hidden, weight, bias, m, is, y);
    for (int j = 0; j < hidden; j++) {
      if (mean != null) {
        mean[j] = m[j];
      }
      if (invstd != null) {
        invstd[j] = is[j];
      }
      if (runningMean != null) {
        runningMean[j] = (1 - momentum) * runningMean[j] + momentum * m[j];
      }
      if (runningVar != null) {
        runningVar[j] = (1 - momentum) * runningVar[j] + momentum * v[j] * rows / (rows - 1);
      }
    }
  }

  /** Eval forward: {@code y = (x - runningMean)/sqrt(runningVar + eps)·weight + bias}. */
  public static void forwardEval(
      float[] x, int rows, int hidden, float[] weight, float[] bias, double eps,
      float[] runningMean, float[] runningVar, double[] y) {
    double[] m = new double[hidden];
    double[] is = new double[hidden];
    for (int j = 0; j < hidden; j++) {
      m[j] = runningMean[j];
      is[j] = 1.0 / Math.sqrt(runningVar[j] + eps);
    }
    apply(x, rows, hidden, weight, bias, m, is, y);
  }

  /**
   * Backward of the training forward, with {@code xhat = (x - mean)·invstd} and means over the rows:
   * {@code dx = invstd·weight·(dy - mean(dy) - xhat·mean(dy·xhat))}, {@code dweight = Σ dy·xhat},
   * {@code dbias = Σ dy}. {@code dweight}/{@code dbias} may be null.
   */
  public static void backward(
      float[] x, float[] dy, int rows, int hidden, float[] weight, double eps,
      double[] dx, double[] dweight, double[] dbias) {
    double[] m = mean(x, rows, hidden);
    double[] v = variance(x, rows, hidden, m);
    for (int j = 0; j < hidden; j++) {
      double is = 1.0 / Math.sqrt(v[j] + eps);
      double sumDy = 0;
      double sumDyXhat = 0;
      for (int r = 0; r < rows; r++) {
        int i = r * hidden + j;
        sumDy += dy[i];
        sumDyXhat += dy[i] * (x[i] - m[j]) * is;
      }
      double k = is * (weight == null ? 1 : weight[j]);
      for (int r = 0; r < rows; r++) {
        int i = r * hidden + j;
        double xhat = (x[i] - m[j]) * is;
        dx[i] = k * (dy[i] - sumDy / rows - xhat * sumDyXhat / rows);
      }
      if (dweight != null) {
        dweight[j] = sumDyXhat;
      }
      if (dbias != null) {
        dbias[j] = sumDy;
      }
    }
  }

  private static void apply(
      float[] x, int rows, int hidden, float[] weight, float[] bias, double[] mean, double[] invstd, double[] y) {
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < hidden; j++) {
        int i = r * hidden + j;
        double v = (x[i] - mean[j]) * invstd[j];
        if (weight != null) {
          v *= weight[j];
        }
        if (bias != null) {
          v += bias[j];
        }
        y[i] = v;
      }
    }
  }
}
