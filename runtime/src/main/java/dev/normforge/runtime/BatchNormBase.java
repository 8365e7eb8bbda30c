package dev.normforge.runtime;

import java.util.Arrays;

/**
 * What every generated BatchNorm class shares: parameters, running statistics, argument checks, and the
 * per-feature arithmetic between the passes. A generated subclass supplies only four row-range kernels,
 * specialized for its hidden size; each is one pass over its rows.
 *
 * <ul>
 *   <li>Training forward, two passes over {@code x}: {@link #statsRows} sums {@code d = x - shift} and
 *       {@code d²} per feature around a shift (the batch's first row), then {@link #normalizeRows} writes
 *       {@code y = (x - shift)·scale + offset}. Between them, per feature in double precision:
 *       {@code mean = shift + Σd/n}, {@code var = Σd²/n - (Σd/n)²} (corrected two-pass: exact when the
 *       mean dwarfs the spread), {@code scale = invstd·weight}, {@code offset = bias - (Σd/n)·scale}.
 *   <li>Eval forward, one pass: {@link #normalizeRows} with {@code shift = running mean},
 *       {@code scale = weight/sqrt(running var + eps)}, {@code offset = bias}.
 *   <li>Backward, two passes over {@code x} and {@code dy}: {@link #gradientSumsRows} sums {@code dy},
 *       {@code dy·(x - mean)} and {@code x - mean} per feature, then {@link #backwardRows} writes
 *       {@code dx = a·dy + b·(x - mean) + c} with per-feature {@code a, b, c} from those sums.
 * </ul>
 *
 * <p>Kernels take a row range {@code [r0, r1)} and write per-feature partial sums for it, which the caller
 * reduces: this class calls them on chunks of {@link #CHUNK_ROWS} rows and adds the float partials into
 * double totals in row order, so float rounding stays bounded however large the batch is (and a
 * multi-core executor can give chunks to threads and reduce their partials in the same fixed order).
 *
 * <p>Thread safety: a layer keeps per-feature scratch arrays (allocated once, in the constructor) that
 * every call uses, so a layer object must not run two calls at once, as a PyTorch module. Nothing is
 * allocated per call.
 */
public abstract class BatchNormBase implements BatchNormLayer {
  /** Rows per chunk whose float partial sums are reduced into double totals. */
  public static final int CHUNK_ROWS = 128;

  private final int hidden;
  private final double eps;
  private final double momentum;
  private final Parameter weight;
  private final Parameter bias;
  private final float[] runningMean;
  private final float[] runningVar;

  // per-feature scratch: coefficients for the second pass, partial sums of one chunk, double totals
  private final float[] shift;
  private final float[] coefA;
  private final float[] coefB;
  private final float[] coefC;
  private final float[] part1;
  private final float[] part2;
  private final float[] part3;
  private final double[] total1;
  private final double[] total2;
  private final double[] total3;

  protected BatchNormBase(int hidden, double eps, double momentum, boolean affine, boolean bias) {
    if (hidden <= 0) {
      throw new IllegalArgumentException("hidden must be > 0, got " + hidden);
    }
    this.hidden = hidden;
    this.eps = eps;
    this.momentum = momentum;
    this.weight = affine ? new Parameter("weight", hidden, 1f) : null;
    this.bias = bias ? new Parameter("bias", hidden, 0f) : null;
    this.runningMean = new float[hidden];
    this.runningVar = new float[hidden];
    Arrays.fill(runningVar, 1f);
    shift = new float[hidden];
    coefA = new float[hidden];
    coefB = new float[hidden];
    coefC = new float[hidden];
    part1 = new float[hidden];
    part2 = new float[hidden];
    part3 = new float[hidden];
    total1 = new double[hidden];
    total2 = new double[hidden];
    total3 = new double[hidden];
  }

  @Override
  public final int hidden() {
    return hidden;
  }

  @Override
  public final double eps() {
    return eps;
  }

  @Override
  public final double momentum() {
    return momentum;
  }

  @Override
  public final Parameter weight() {
    return weight;
  }

  @Override
  public final Parameter bias() {
    return bias;
  }

  @Override
  public final float[] runningMean() {
    return runningMean;
  }

  @Override
  public final float[] runningVar() {
    return runningVar;
  }

  @Override
  public final void forwardTraining(
      float[] x, int xOff, float[] y, int yOff, int rows, float[] mean, float[] invstd) {
    trainingRows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("y", y, yOff, rows, hidden);
    Checks.values("mean", mean, 0, hidden);
    Checks.values("invstd", invstd, 0, hidden);

    // pass 1: Σd and Σd² per feature, d = x - shift, shift = the batch's first row
    System.arraycopy(x, xOff, shift, 0, hidden);
    reduce(x, xOff, rows, shift, false, null, 0);
    double n = rows;
    float[] w = weight == null ? null : weight.value();
    float[] b = bias == null ? null : bias.value();
    for (int j = 0; j < hidden; j++) {
      double d = total1[j] / n;
      double sq = total2[j];
      double var;
      if (sq > 1e-30 && sq < 1e36) {
        var = Math.max(0.0, sq / n - d * d);
      } else {
        // a constant feature, squares that under- or overflow float, NaN or infinity: this one in double
        d = featureMean(x, xOff, rows, j, shift[j]);
        var = featureVariance(x, xOff, rows, j, shift[j] + d);
      }
      double m = shift[j] + d;
      double is = 1.0 / Math.sqrt(var + eps);
      mean[j] = (float) m;
      invstd[j] = (float) is;
      runningMean[j] = (float) ((1 - momentum) * runningMean[j] + momentum * m);
      runningVar[j] = (float) ((1 - momentum) * runningVar[j] + momentum * var * n / (n - 1));
      double scale = w == null ? is : is * w[j];
      coefA[j] = (float) scale;
      coefB[j] = (float) ((b == null ? 0 : b[j]) - d * scale);
    }
    // pass 2: y = (x - shift)·scale + offset
    normalizeRows(x, xOff, y, yOff, 0, rows, shift, coefA, coefB);
  }

  @Override
  public final void forwardEval(float[] x, int xOff, float[] y, int yOff, int rows) {
    Checks.rows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("y", y, yOff, rows, hidden);
    float[] w = weight == null ? null : weight.value();
    float[] b = bias == null ? null : bias.value();
    for (int j = 0; j < hidden; j++) {
      double is = 1.0 / Math.sqrt(runningVar[j] + eps);
      coefA[j] = (float) (w == null ? is : is * w[j]);
      coefB[j] = b == null ? 0f : b[j];
    }
    normalizeRows(x, xOff, y, yOff, 0, rows, runningMean, coefA, coefB);
  }

  @Override
  public final void backward(
      float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int rows, float[] mean, float[] invstd) {
    trainingRows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("dy", dy, dyOff, rows, hidden);
    Checks.rows("dx", dx, dxOff, rows, hidden);
    Checks.values("mean", mean, 0, hidden);
    Checks.values("invstd", invstd, 0, hidden);

    // pass 1: Σdy, Σdy·xc and Σxc per feature, xc = x - mean
    reduce(x, xOff, rows, mean, true, dy, dyOff);
    double n = rows;
    float[] w = weight == null ? null : weight.value();
    float[] dw = weight == null ? null : weight.grad();
    float[] db = bias == null ? null : bias.grad();
    for (int j = 0; j < hidden; j++) {
      double is = invstd[j];
      double sumDy = total1[j];
      // the saved mean was rounded to float: e = mean(xc) re-centres xhat on the exact batch mean
      double e = total3[j] / n;
      double sumDyXhat = (total2[j] - e * sumDy) * is;
      if (dw != null) {
        dw[j] += (float) sumDyXhat;
      }
      if (db != null) {
        db[j] += (float) sumDy;
      }
      // dx = k·(dy - mean(dy) - xhat·mean(dy·xhat)), k = invstd·weight, xhat = (xc - e)·invstd
      double k = w == null ? is : is * w[j];
      double b = -k * is * sumDyXhat / n;
      coefA[j] = (float) k;
      coefB[j] = (float) b;
      coefC[j] = (float) (-k * sumDy / n - b * e);
    }
    // pass 2: dx = a·dy + b·xc + c
    backwardRows(x, xOff, dy, dyOff, dx, dxOff, 0, rows, mean, coefA, coefB, coefC);
  }

  /**
   * Runs the first pass over {@code rows} rows in chunks, leaving the per-feature sums in double totals:
   * the forward's ({@code Σd, Σd²}) or, with {@code gradient}, the backward's ({@code Σdy, Σdy·xc, Σxc}).
   */
  private void reduce(float[] x, int xOff, int rows, float[] center, boolean gradient, float[] dy, int dyOff) {
    Arrays.fill(total1, 0);
    Arrays.fill(total2, 0);
    Arrays.fill(total3, 0);
    for (int r0 = 0; r0 < rows; r0 += CHUNK_ROWS) {
      int r1 = Math.min(rows, r0 + CHUNK_ROWS);
      if (gradient) {
        gradientSumsRows(x, xOff, dy, dyOff, r0, r1, center, part1, part2, part3);
      } else {
        statsRows(x, xOff, r0, r1, center, part1, part2);
      }
      for (int j = 0; j < hidden; j++) {
        total1[j] += part1[j];
        total2[j] += part2[j];
      }
      if (gradient) {
        for (int j = 0; j < hidden; j++) {
          total3[j] += part3[j];
        }
      }
    }
  }

  private void trainingRows(int rows) {
    if (rows < 2) {
      throw new IllegalArgumentException("rows must be >= 2 in training: the batch variance of "
          + rows + " row" + (rows == 1 ? "" : "s") + " is undefined (PyTorch raises too), got " + rows);
    }
  }

  /** Mean of feature {@code j} minus {@code shift}, in double: the slow path of rare features. */
  private double featureMean(float[] x, int xOff, int rows, int j, double shift) {
    double s = 0;
    for (int r = 0; r < rows; r++) {
      s += x[xOff + r * hidden + j] - shift;
    }
    return s / rows;
  }

  /** Biased variance of feature {@code j} around {@code mean}, scaled so that no square over- or underflows. */
  private double featureVariance(float[] x, int xOff, int rows, int j, double mean) {
    double scale = 0;
    for (int r = 0; r < rows; r++) {
      scale = Math.max(scale, Math.abs(x[xOff + r * hidden + j] - mean));
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      return Double.isNaN(scale) || Double.isInfinite(scale) ? scale : 0;
    }
    double s = 0;
    for (int r = 0; r < rows; r++) {
      double d = (x[xOff + r * hidden + j] - mean) / scale;
      s += d * d;
    }
    return s / rows * scale * scale;
  }

  /**
   * Pass 1 of the training forward over rows {@code [r0, r1)}: overwrites {@code sum[j]} with
   * {@code Σ (x - shift[j])} and {@code sumSq[j]} with {@code Σ (x - shift[j])²} for every feature.
   */
  protected abstract void statsRows(
      float[] x, int xOff, int r0, int r1, float[] shift, float[] sum, float[] sumSq);

  /** Writes {@code y = (x - shift)·scale + offset}, per feature, for rows {@code [r0, r1)}. */
  protected abstract void normalizeRows(
      float[] x, int xOff, float[] y, int yOff, int r0, int r1, float[] shift, float[] scale, float[] offset);

  /**
   * Pass 1 of the backward over rows {@code [r0, r1)}: overwrites, per feature, {@code sumDy} with
   * {@code Σ dy}, {@code sumDyXc} with {@code Σ dy·(x - center)} and {@code sumXc} with {@code Σ (x - center)}.
   */
  protected abstract void gradientSumsRows(
      float[] x, int xOff, float[] dy, int dyOff, int r0, int r1, float[] center,
      float[] sumDy, float[] sumDyXc, float[] sumXc);

  /**
   * Writes {@code dx = a·dy + b·(x - center) + c}, per feature ({@code a = coefA[j]}, ...), for rows
   * {@code [r0, r1)}.
   */
  protected abstract void backwardRows(
      float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int r0, int r1,
      float[] center, float[] coefA, float[] coefB, float[] coefC);

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(hidden=" + hidden + ", eps=" + eps + ", momentum=" + momentum
        + ", weight=" + (weight != null) + ", bias=" + (bias != null) + ")";
  }
}
