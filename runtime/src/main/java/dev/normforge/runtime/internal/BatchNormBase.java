package dev.normforge.runtime.internal;

import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.runtime.Parameter;
import dev.normforge.runtime.internal.exec.Aliasing;
import dev.normforge.runtime.internal.exec.Checks;
import dev.normforge.runtime.internal.exec.Exclusive;
import dev.normforge.runtime.internal.exec.RowChunks;
import dev.normforge.runtime.internal.exec.RowJob;
import dev.normforge.runtime.internal.exec.RowParallel;
import java.util.Arrays;
import java.util.List;

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
 * reduces: this class calls them on blocks of {@link #CHUNK_ROWS} rows and adds each block's float
 * partials into double sums, so float rounding stays bounded however large the batch is.
 *
 * <p>Multi-core: every pass runs on {@link RowParallel#shared()}. A call is cut into chunks that depend
 * only on the shape ({@link RowChunks#count} chunks, each a whole number of {@link #CHUNK_ROWS}-row
 * blocks): a reducing pass adds its blocks' partials into its chunk's own double sums in block order, and
 * the chunks' sums are then added into the totals in chunk order. Every addition happens in an order
 * fixed by the shape, so outputs, running statistics and gradients are bitwise the same for any number of
 * threads. A call with one chunk runs entirely on the caller's thread.
 *
 * <p>Thread safety: a layer keeps per-feature scratch arrays and reusable jobs (allocated in the
 * constructor, the per-chunk sums grown on the first call that needs more chunks) that every call uses,
 * so a layer object must not run two calls at once, of any kind, as a PyTorch module (a call that would
 * overlap another is refused with {@link IllegalStateException}); different layer objects may be used from
 * different threads at once. Backward refuses statistics no forward wrote. Nothing is allocated per call after the first call
 * of a given size.
 */
public abstract class BatchNormBase implements BatchNormLayer {
  /** Rows per chunk whose float partial sums are reduced into double totals. */
  public static final int CHUNK_ROWS = 128;

  private final int hidden;
  private final double eps;
  private final double momentum;
  private final NormParameters params;
  private final float[] runningMean;
  private final float[] runningVar;

  // per-feature scratch: coefficients for the second pass, double totals of the first
  private final float[] shift;
  private final float[] coefA;
  private final float[] coefB;
  private final float[] coefC;
  private final double[] total1;
  private final double[] total2;
  private final double[] total3;
  /** Per chunk of a reducing pass: float partials of one block, 3 × hidden. */
  private float[][][] parts = new float[0][][];
  /** Per chunk of a reducing pass: double sums, 3 × hidden; null for chunk 0 (it sums into the totals). */
  private double[][][] sums = new double[0][][];
  private final RowJob sumsJob;
  private final RowJob mapJob;
  /** Every call uses the scratch above: one call at a time per layer object. */
  private final Exclusive guard = new Exclusive("a BatchNorm layer keeps per-feature scratch that every call "
      + "uses, so one layer object runs one call at a time (as a PyTorch module); give each thread its own layer");

  protected BatchNormBase(int hidden, double eps, double momentum, boolean affine, boolean bias) {
    if (hidden <= 0) {
      throw new IllegalArgumentException("hidden must be > 0, got " + hidden);
    }
    this.hidden = hidden;
    this.eps = eps;
    this.momentum = momentum;
    this.params = new NormParameters(hidden, affine, bias, 1f, "");
    this.runningMean = new float[hidden];
    this.runningVar = new float[hidden];
    Arrays.fill(runningVar, 1f);
    shift = new float[hidden];
    coefA = new float[hidden];
    coefB = new float[hidden];
    coefC = new float[hidden];
    total1 = new double[hidden];
    total2 = new double[hidden];
    total3 = new double[hidden];
    sumsJob = new RowJob(this::sumsChunk, hidden);
    mapJob = new RowJob(this::mapChunk, hidden);
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
    return params.weight;
  }

  @Override
  public final Parameter bias() {
    return params.bias;
  }

  @Override
  public final List<Parameter> parameters() {
    return params.all;
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
    guard.enter(this, "forwardTraining");
    try {
      trainingForward(x, xOff, y, yOff, rows, mean, invstd);
    } finally {
      guard.exit();
    }
  }

  @Override
  public final void forwardEval(float[] x, int xOff, float[] y, int yOff, int rows) {
    guard.enter(this, "forwardEval");
    try {
      evalForward(x, xOff, y, yOff, rows);
    } finally {
      guard.exit();
    }
  }

  @Override
  public final void backward(
      float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int rows, float[] mean, float[] invstd) {
    guard.enter(this, "backward");
    try {
      backwardPass(x, xOff, dy, dyOff, dx, dxOff, rows, mean, invstd);
    } finally {
      guard.exit();
    }
  }

  private void trainingForward(
      float[] x, int xOff, float[] y, int yOff, int rows, float[] mean, float[] invstd) {
    trainingRows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("y", y, yOff, rows, hidden);
    Checks.values("mean", mean, 0, hidden);
    Checks.values("invstd", invstd, 0, hidden);
    long size = (long) rows * hidden;
    Aliasing.sameOrSeparate("y", y, yOff, "x", x, xOff, size);
    featuresSeparate(mean, invstd, "x", x, xOff, size);
    featuresSeparate(mean, invstd, "y", y, yOff, size);
    Aliasing.separate("mean", mean, 0, "invstd", invstd, 0, hidden);

    // pass 1: Σd and Σd² per feature, d = x - shift, shift = the batch's first row
    System.arraycopy(x, xOff, shift, 0, hidden);
    reduce(x, xOff, rows, shift, false, null, 0);
    double n = rows;
    float[] w = params.weightValue();
    float[] b = params.biasValue();
    for (int j = 0; j < hidden; j++) {
      double d = total1[j] / n;
      double sq = total2[j];
      double var;
      if (sq > 1e-30 && sq < 1e36) {
        var = Math.max(0.0, sq / n - d * d);
      } else {
        // a constant feature, squares that under- or overflow float, NaN or infinity: this one in double
        d = RowStats.mean(x, xOff + j, rows, hidden, shift[j]);
        var = RowStats.variance(x, xOff + j, rows, hidden, shift[j] + d);
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
    map(x, xOff, null, 0, y, yOff, rows, shift, false);
  }

  private void evalForward(float[] x, int xOff, float[] y, int yOff, int rows) {
    Checks.rows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("y", y, yOff, rows, hidden);
    Aliasing.sameOrSeparate("y", y, yOff, "x", x, xOff, (long) rows * hidden);
    float[] w = params.weightValue();
    float[] b = params.biasValue();
    for (int j = 0; j < hidden; j++) {
      double is = 1.0 / Math.sqrt(runningVar[j] + eps);
      coefA[j] = (float) (w == null ? is : is * w[j]);
      coefB[j] = b == null ? 0f : b[j];
    }
    map(x, xOff, null, 0, y, yOff, rows, runningMean, false);
  }

  private void backwardPass(
      float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int rows, float[] mean, float[] invstd) {
    trainingRows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("dy", dy, dyOff, rows, hidden);
    Checks.rows("dx", dx, dxOff, rows, hidden);
    Checks.values("mean", mean, 0, hidden);
    Checks.values("invstd", invstd, 0, hidden);
    long size = (long) rows * hidden;
    Aliasing.sameOrSeparate("dx", dx, dxOff, "dy", dy, dyOff, size);
    Aliasing.sameOrSeparate("dx", dx, dxOff, "x", x, xOff, size);
    featuresSeparate(mean, invstd, "dx", dx, dxOff, size);
    checkForwardRan(mean, invstd);

    // pass 1: Σdy, Σdy·xc and Σxc per feature, xc = x - mean
    reduce(x, xOff, rows, mean, true, dy, dyOff);
    double n = rows;
    float[] w = params.weightValue();
    float[] dw = params.dweight();
    float[] db = params.dbias();
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
    map(x, xOff, dy, dyOff, dx, dxOff, rows, mean, true);
  }

  /**
   * Runs the first pass over {@code rows} rows in chunks, leaving the per-feature sums in double totals:
   * the forward's ({@code Σd, Σd²}) or, with {@code gradient}, the backward's ({@code Σdy, Σdy·xc, Σxc}).
   * Chunk 0 sums into the totals themselves, chunk {@code c > 0} into its own double buffers, added into
   * the totals in chunk order afterwards: the same additions in the same order for any thread count.
   */
  private void reduce(float[] x, int xOff, int rows, float[] center, boolean gradient, float[] dy, int dyOff) {
    int blocks = RowChunks.units(rows, CHUNK_ROWS);
    int chunks = Math.min(RowChunks.count(rows, hidden), blocks);
    if (chunks > parts.length) {
      float[][][] p = Arrays.copyOf(parts, chunks);
      double[][][] d = Arrays.copyOf(sums, chunks);
      for (int c = parts.length; c < chunks; c++) {
        p[c] = new float[3][hidden];
        d[c] = c == 0 ? null : new double[3][hidden];
      }
      parts = p;
      sums = d;
    }
    sumsJob.blocks(gradient ? GRADIENT_SUMS : STATS_SUMS, rows, CHUNK_ROWS, chunks, x, xOff, dy, dyOff, center);
    int n = gradient ? 3 : 2;
    for (int c = 1; c < chunks; c++) {
      addInto(total1, sums[c][0]);
      addInto(total2, sums[c][1]);
      if (n == 3) {
        addInto(total3, sums[c][2]);
      }
    }
  }

  private static final int STATS_SUMS = 0;
  private static final int GRADIENT_SUMS = 1;

  /**
   * Chunk {@code c} of a reducing pass, rows {@code [r0, r1)}: adds each {@link #CHUNK_ROWS}-row block's
   * float partials into the chunk's double sums (chunk 0's are the totals), in block order.
   */
  private void sumsChunk(int kind, int c, int r0, int r1, float[] x, int xOff, float[] dy, int dyOff,
      float[] unusedC, int unusedCOff, float[] unusedD, int unusedDOff, float[] center, float[] unusedRstd,
      int unusedStatsOff, float[] unusedDw, float[] unusedDb) {
    boolean gradient = kind == GRADIENT_SUMS;
    float[] p1 = parts[c][0];
    float[] p2 = parts[c][1];
    float[] p3 = parts[c][2];
    double[] s1 = c == 0 ? total1 : sums[c][0];
    double[] s2 = c == 0 ? total2 : sums[c][1];
    double[] s3 = c == 0 ? total3 : sums[c][2];
    Arrays.fill(s1, 0);
    Arrays.fill(s2, 0);
    Arrays.fill(s3, 0);
    for (int b0 = r0, b1; b0 < r1; b0 = b1) {
      b1 = RowChunks.blockEnd(b0, r1, CHUNK_ROWS);
      if (gradient) {
        gradientSumsRows(x, xOff, dy, dyOff, b0, b1, center, p1, p2, p3);
      } else {
        statsRows(x, xOff, b0, b1, center, p1, p2);
      }
      for (int j = 0; j < hidden; j++) {
        s1[j] += p1[j];
        s2[j] += p2[j];
      }
      if (gradient) {
        for (int j = 0; j < hidden; j++) {
          s3[j] += p3[j];
        }
      }
    }
  }

  private void addInto(double[] dst, double[] src) {
    for (int j = 0; j < hidden; j++) {
      dst[j] += src[j];
    }
  }

  /**
   * Runs the second pass over {@code rows} rows in chunks (rows are independent here, so any cut gives the
   * same result): {@link #normalizeRows} with {@code coefA, coefB} into {@code out}, or, with
   * {@code backward}, {@link #backwardRows} with {@code coefA, coefB, coefC}.
   */
  private void map(float[] x, int xOff, float[] dy, int dyOff, float[] out, int outOff, int rows, float[] center,
      boolean backward) {
    mapJob.rows(backward ? BACKWARD_MAP : NORMALIZE_MAP, rows, x, xOff, dy, dyOff, out, outOff, null, 0, center,
        null, 0);
  }

  private static final int NORMALIZE_MAP = 0;
  private static final int BACKWARD_MAP = 1;

  /** A chunk of the second pass, rows {@code [r0, r1)}, with the layer's coefficients. */
  private void mapChunk(int kind, int chunk, int r0, int r1, float[] x, int xOff, float[] dy, int dyOff,
      float[] out, int outOff, float[] unusedD, int unusedDOff, float[] center, float[] unusedRstd,
      int unusedStatsOff, float[] unusedDw, float[] unusedDb) {
    if (kind == BACKWARD_MAP) {
      backwardRows(x, xOff, dy, dyOff, out, outOff, r0, r1, center, coefA, coefB, coefC);
    } else {
      normalizeRows(x, xOff, out, outOff, r0, r1, center, coefA, coefB);
    }
  }

  /** The per-feature statistics ({@code hidden} floats each) must not overlap a row array. */
  private void featuresSeparate(float[] mean, float[] invstd, String name, float[] a, int aOff, long length) {
    Aliasing.separate("mean", mean, 0, hidden, name, a, aOff, length);
    Aliasing.separate("invstd", invstd, 0, hidden, name, a, aOff, length);
  }

  /**
   * A training forward never leaves a feature's invstd at 0 with its mean at 0: invstd = 1/sqrt(var + eps)
   * is 0 only for an infinite variance, whose mean is then infinite or NaN. Both 0 means the statistics
   * were never written: backward without its forward.
   */
  private void checkForwardRan(float[] mean, float[] invstd) {
    for (int j = 0; j < hidden; j++) {
      if (invstd[j] == 0f && mean[j] == 0f) {
        throw new IllegalStateException("mean[" + j + "] and invstd[" + j + "] are 0: backward needs the "
            + "statistics written by the matching forwardTraining call (was it run?)");
      }
    }
  }

  private void trainingRows(int rows) {
    if (rows < 2) {
      throw new IllegalArgumentException("rows must be >= 2 in training: the batch variance of "
          + rows + " row" + (rows == 1 ? "" : "s") + " is undefined (PyTorch raises too), got " + rows);
    }
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
        + ", " + params + ")";
  }
}
