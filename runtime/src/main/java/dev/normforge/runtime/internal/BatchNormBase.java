package dev.normforge.runtime.internal;

import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.runtime.Parameter;
import dev.normforge.runtime.internal.exec.Aliasing;
import dev.normforge.runtime.internal.exec.Checks;
import dev.normforge.runtime.internal.exec.ChunkTask;
import dev.normforge.runtime.internal.exec.Exclusive;
import dev.normforge.runtime.internal.exec.RowChunks;
import dev.normforge.runtime.internal.exec.RowJob;
import dev.normforge.runtime.internal.exec.RowParallel;
import java.util.Arrays;
import java.util.List;

/**
 * What every generated BatchNorm class shares: parameters, running statistics, argument checks, and the
 * per-feature arithmetic between the passes. A generated subclass supplies only five row-range kernels,
 * specialized for its hidden size; each is one pass over its rows.
 *
 * <ul>
 *   <li>Training forward, two passes over {@code x}: the statistics, block by block of
 *       {@link #blockRows} rows (small enough to stay in cache): {@link #sumRows} gives the block's column
 *       means, then {@link #statsRows} sums {@code d = x - blockMean} and {@code d²} around them (from
 *       cache), so that the shift is inside the block's data whatever its first row holds; per feature in
 *       double, the block's {@code mean = blockMean + Σd/nb} and {@code M2 = Σd² - (Σd)²/nb} (corrected
 *       two-pass: exact when the mean dwarfs the spread) combine with the others' (Chan et al.). Then
 *       {@link #normalizeRows} writes {@code y = (x - mean)·scale + offset}, {@code scale = invstd·weight},
 *       the mean rounded to float and {@code offset} correcting that rounding.
 *   <li>Eval forward, one pass: {@link #normalizeRows} with {@code shift = running mean},
 *       {@code scale = weight/sqrt(running var + eps)}, {@code offset = bias}.
 *   <li>Backward, two passes over {@code x} and {@code dy}: {@link #gradientSumsRows} sums {@code dy},
 *       {@code dy·(x - mean)} and {@code x - mean} per feature, then {@link #backwardRows} writes
 *       {@code dx = (dy + b·(x - mean) + c)·a} with per-feature {@code a = invstd·weight},
 *       {@code b = -invstd·mean(dy·xhat)} and {@code c} from those sums: no coefficient is a product of two
 *       invstd factors, so none over- or underflows while the gradient itself is a float.
 * </ul>
 *
 * <p>Features whose float sums cannot be trusted (squares that over- or underflow, a spread beyond
 * {@code 1e±15} in the backward, NaN or infinity) take a double-precision slow path ({@link RowStats}),
 * forward and backward alike.
 *
 * <p>Kernels take a row range {@code [r0, r1)} and write per-feature partial sums for it, which the caller
 * reduces: this class calls them on blocks of {@link #blockRows} rows and adds each block's float
 * partials into double sums, so float rounding stays bounded however large the batch is.
 *
 * <p>Multi-core: every pass runs on {@link RowParallel#shared()}. A call is cut into chunks that depend
 * only on the shape ({@link RowChunks#count} chunks, each a whole number of {@link #blockRows}-row
 * blocks): a reducing pass adds its blocks' partials into its chunk's own double sums in block order, and
 * the chunks' sums are then added into the totals in chunk order, in parallel chunks of features (with the
 * per-feature arithmetic between the passes: every feature's is independent). Every addition happens in an
 * order fixed by the shape, so outputs, running statistics and gradients are bitwise the same for any number of
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
  /** Floats a block of rows may hold: 256 KiB, so that a block read twice is read once from memory. */
  private static final int BLOCK_FLOATS = 1 << 16;

  /**
   * Rows per block whose float partial sums are reduced into double totals: as many as fit
   * {@code BLOCK_FLOATS} (a block's statistics read it twice), between 8 and 128. Depends only on the hidden
   * size, so results do not depend on the thread count.
   */
  public static int blockRows(int hidden) {
    return Math.max(8, Math.min(128, BLOCK_FLOATS / hidden));
  }

  /**
   * Chunks of a reducing pass (the training forward's and the backward's first pass) over {@code rows} rows
   * of {@code hidden}: {@link RowChunks#count}, but whole blocks of {@link #blockRows} rows each.
   */
  public static int reducingChunks(int rows, int hidden) {
    return Math.min(RowChunks.count(rows, hidden), RowChunks.units(rows, blockRows(hidden)));
  }

  private final int hidden;
  private final int blockRows;
  private final double eps;
  private final double momentum;
  private final NormParameters params;
  private final float[] runningMean;
  private final float[] runningVar;

  // per-feature scratch: coefficients for the second pass, double totals of the first
  private final float[] center;
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
  /** The per-feature step in flight ({@link #perFeature}): its kind, chunks and the call's arguments. */
  private final ChunkTask featureTask = this::featureChunk;
  private int featureKind;
  private int featureChunks;
  private int callRows;
  private float[] callX;
  private int callXOff;
  private float[] callDy;
  private int callDyOff;
  private float[] callMean;
  private float[] callInvstd;
  /** Every call uses the scratch above: one call at a time per layer object. */
  private final Exclusive guard = new Exclusive("a BatchNorm layer keeps per-feature scratch that every call "
      + "uses, so one layer object runs one call at a time (as a PyTorch module); give each thread its own layer");

  protected BatchNormBase(int hidden, double eps, double momentum, boolean affine, boolean bias) {
    VectorApi.require();
    if (hidden <= 0) {
      throw new IllegalArgumentException("hidden must be > 0, got " + hidden);
    }
    this.hidden = hidden;
    this.blockRows = blockRows(hidden);
    this.eps = eps;
    this.momentum = momentum;
    this.params = new NormParameters(hidden, affine, bias, 1f, "");
    this.runningMean = new float[hidden];
    this.runningVar = new float[hidden];
    Arrays.fill(runningVar, 1f);
    center = new float[hidden];
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

    // pass 1: per feature, the mean and M2 = Σ(x - mean)² in double totals (see reduce); then per feature
    // the statistics and pass 2's coefficients
    reduce(x, xOff, rows, null, false, null, 0);
    perFeature(TRAINING_FEATURES, rows, x, xOff, null, 0, mean, invstd);
    // pass 2: y = (x - center)·scale + offset
    map(x, xOff, null, 0, y, yOff, rows, center, false);
  }

  private void evalForward(float[] x, int xOff, float[] y, int yOff, int rows) {
    Checks.rows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("y", y, yOff, rows, hidden);
    Aliasing.sameOrSeparate("y", y, yOff, "x", x, xOff, (long) rows * hidden);
    perFeature(EVAL_FEATURES, rows, x, xOff, null, 0, null, null);
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
    perFeature(GRADIENT_FEATURES, rows, x, xOff, dy, dyOff, mean, invstd);
    // pass 2: dx = (dy + b·xc + c)·a
    map(x, xOff, dy, dyOff, dx, dxOff, rows, center, true);
  }

  private static final int TRAINING_FEATURES = 0;
  private static final int EVAL_FEATURES = 1;
  private static final int GRADIENT_FEATURES = 2;
  /** Features per chunk of the per-feature step, at least: fewer and the pool costs more than it saves. */
  private static final int MIN_CHUNK_FEATURES = 256;

  /**
   * Chunks of the per-feature step of {@code hidden} features after a pass of {@code chunks} chunks: as many,
   * but at least {@link #MIN_CHUNK_FEATURES} features each (so 1 below 512 features).
   */
  public static int featureChunks(int chunks, int hidden) {
    return Math.max(1, Math.min(chunks, hidden / MIN_CHUNK_FEATURES));
  }

  /**
   * The per-feature arithmetic between a call's passes, kind {@code kind}, in parallel chunks of features:
   * every feature's is independent of the others', so any cut gives the same result, and it runs on as many
   * cores as the passes (at 4096 features and 64 rows it cost as much as a pass when the caller did it alone).
   * The eval forward cuts it as its map pass, the others as their reducing pass ({@link #featureChunks}).
   */
  private void perFeature(int kind, int rows, float[] x, int xOff, float[] dy, int dyOff, float[] mean,
      float[] invstd) {
    featureKind = kind;
    featureChunks = featureChunks(
        kind == EVAL_FEATURES ? RowChunks.count(rows, hidden) : reducingChunks(rows, hidden), hidden);
    callRows = rows;
    callX = x;
    callXOff = xOff;
    callDy = dy;
    callDyOff = dyOff;
    callMean = mean;
    callInvstd = invstd;
    try {
      if (featureChunks == 1) {
        featureChunk(0); // as a pass of one chunk: never touches the pool
      } else {
        RowParallel.shared().run(featureChunks, featureTask);
      }
    } finally {
      // drops the references to the caller's arrays
      callX = callDy = callMean = callInvstd = null;
    }
  }

  /** Chunk {@code c} of the per-feature step: features {@code [start(hidden, chunks, c), start(.., c + 1))}. */
  private void featureChunk(int c) {
    int j0 = RowChunks.start(hidden, featureChunks, c);
    int j1 = RowChunks.start(hidden, featureChunks, c + 1);
    switch (featureKind) {
      case TRAINING_FEATURES -> {
        combineChunks(callRows, false, j0, j1);
        trainingFeatures(j0, j1, callRows, callX, callXOff, callMean, callInvstd);
      }
      case EVAL_FEATURES -> evalFeatures(j0, j1);
      default -> {
        combineChunks(callRows, true, j0, j1);
        gradientFeatures(j0, j1, callRows, callX, callXOff, callDy, callDyOff, callMean, callInvstd);
      }
    }
  }

  /**
   * The training forward's per-feature step for features {@code [j0, j1)}: mean and invstd from the totals
   * (or in double for a flagged feature), the running statistics, and pass 2's centre and coefficients.
   */
  private void trainingFeatures(int j0, int j1, int rows, float[] x, int xOff, float[] mean, float[] invstd) {
    double n = rows;
    float[] w = params.weightValue();
    float[] b = params.biasValue();
    for (int j = j0; j < j1; j++) {
      double m = total1[j];
      double var = total2[j] / n;
      boolean slow = total3[j] != 0;
      if (slow) {
        // squares that under- or overflow float, NaN or infinity in some block: this feature in double
        m = RowStats.mean(x, xOff + j, rows, hidden, 0.0);
        var = RowStats.variance(x, xOff + j, rows, hidden, m);
      }
      double is = 1.0 / Math.sqrt(var + eps);
      mean[j] = (float) m;
      invstd[j] = (float) is;
      runningMean[j] = (float) ((1 - momentum) * runningMean[j] + momentum * m);
      runningVar[j] = (float) ((1 - momentum) * runningVar[j] + momentum * var * n / (n - 1));
      double scale = w == null ? is : is * w[j];
      // the float nearest the mean, or for a slow feature near float's range a centre x - center cannot overflow
      center[j] = (float) (slow ? RowStats.center(x, xOff + j, rows, hidden, m, is) : m);
      coefA[j] = (float) scale;
      coefB[j] = (float) ((b == null ? 0 : b[j]) - (m - center[j]) * scale);
    }
  }

  /** The eval forward's coefficients for features {@code [j0, j1)}, from the running statistics. */
  private void evalFeatures(int j0, int j1) {
    float[] w = params.weightValue();
    float[] b = params.biasValue();
    for (int j = j0; j < j1; j++) {
      double is = 1.0 / Math.sqrt(runningVar[j] + eps);
      coefA[j] = (float) (w == null ? is : is * w[j]);
      coefB[j] = b == null ? 0f : b[j];
    }
  }

  /**
   * The backward's per-feature step for features {@code [j0, j1)}: the weight and bias gradients and pass 2's
   * coefficients, from the totals (or in double for a feature whose float sums cannot be trusted).
   */
  private void gradientFeatures(int j0, int j1, int rows, float[] x, int xOff, float[] dy, int dyOff,
      float[] mean, float[] invstd) {
    System.arraycopy(mean, j0, center, j0, j1 - j0);
    double n = rows;
    float[] w = params.weightValue();
    float[] dw = params.dweight();
    float[] db = params.dbias();
    for (int j = j0; j < j1; j++) {
      double is = invstd[j];
      double sumDy = total1[j];
      double sumDyXc = total2[j];
      double sumXc = total3[j];
      if (!(is > MIN_FLOAT_INVSTD && is < MAX_FLOAT_INVSTD && Double.isFinite(sumDy) && Double.isFinite(sumDyXc))) {
        // a spread so wide or narrow that float products may over- or underflow, or NaN/infinity: in double,
        // around a centre from which pass 2's x - center cannot overflow float
        center[j] = (float) RowStats.center(x, xOff + j, rows, hidden, mean[j], is);
        sumDy = sumDyXc = sumXc = 0;
        for (int r = 0, i = j; r < rows; r++, i += hidden) {
          double xc = (double) x[xOff + i] - center[j];
          double g = dy[dyOff + i];
          sumDy += g;
          sumDyXc += g * xc;
          sumXc += xc;
        }
      }
      // xc is around the saved mean, rounded to float (or a safe centre): e re-centres xhat on the exact batch mean
      double e = sumXc / n;
      double sumDyXhat = (sumDyXc - e * sumDy) * is;
      if (dw != null) {
        dw[j] += (float) sumDyXhat;
      }
      if (db != null) {
        db[j] += (float) sumDy;
      }
      // dx = k·(dy - mean(dy) - xhat·mean(dy·xhat)), k = invstd·weight, xhat = (xc - e)·invstd
      //    = (dy + b·xc + c)·k with b = -invstd·mean(dy·xhat), c = -mean(dy) - b·e
      double bj = -is * sumDyXhat / n;
      coefA[j] = (float) (w == null ? is : is * w[j]);
      coefB[j] = (float) bj;
      coefC[j] = (float) (-sumDy / n - bj * e);
    }
  }

  /** Beyond these, the backward's float sums of {@code dy·(x - mean)} may over- or underflow: double instead. */
  private static final double MIN_FLOAT_INVSTD = 1e-15;
  private static final double MAX_FLOAT_INVSTD = 1e15;

  /**
   * Runs the first pass over {@code rows} rows in chunks of whole blocks, leaving per-feature double totals:
   * the forward's mean, {@code M2 = Σ(x - mean)²} and a slow-path flag (non-zero when some block's float
   * squares cannot be trusted), or, with {@code gradient}, the backward's {@code Σdy, Σdy·xc, Σxc}. Chunk 0
   * reduces into the totals themselves, chunk {@code c > 0} into its own buffers, combined into the totals
   * in chunk order afterwards: the same operations in the same order for any thread count.
   */
  private void reduce(float[] x, int xOff, int rows, float[] center, boolean gradient, float[] dy, int dyOff) {
    int chunks = reducingChunks(rows, hidden);
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
    sumsJob.blocks(gradient ? GRADIENT_SUMS : STATS_SUMS, rows, blockRows, chunks, x, xOff, dy, dyOff, center);
  }

  /**
   * Adds the reducing pass's chunk sums, chunks {@code 1, 2, ...}, into the totals (chunk 0's), in chunk
   * order, for features {@code [j0, j1)}: the backward's by addition, the forward's moments by Chan's update.
   */
  private void combineChunks(int rows, boolean gradient, int j0, int j1) {
    int blocks = RowChunks.units(rows, blockRows);
    int chunks = reducingChunks(rows, hidden);
    long counted = chunkRows(rows, blocks, chunks, 0);
    for (int c = 1; c < chunks; c++) {
      long n = chunkRows(rows, blocks, chunks, c);
      if (gradient) {
        addInto(total1, sums[c][0], j0, j1);
        addInto(total2, sums[c][1], j0, j1);
        addInto(total3, sums[c][2], j0, j1);
      } else {
        combineMoments(counted, total1, total2, total3, n, sums[c][0], sums[c][1], sums[c][2], j0, j1);
      }
      counted += n;
    }
  }

  private static void addInto(double[] dst, double[] src, int j0, int j1) {
    for (int j = j0; j < j1; j++) {
      dst[j] += src[j];
    }
  }

  /** Rows of chunk {@code c} when {@code rows} rows in {@code blocks} blocks are cut into {@code chunks}. */
  private int chunkRows(int rows, int blocks, int chunks, int c) {
    long first = (long) RowChunks.start(blocks, chunks, c) * blockRows;
    long end = Math.min(rows, (long) RowChunks.start(blocks, chunks, c + 1) * blockRows);
    return (int) (end - first);
  }

  /**
   * Adds a group of {@code nb} rows with per-feature {@code mean}, {@code m2} and slow-path {@code flag} into
   * totals of {@code na > 0} rows: Chan, Golub and LeVeque's pairwise update,
   * {@code M2 = M2a + M2b + δ²·na·nb/n} with {@code δ = meanB - meanA}, for features {@code [j0, j1)}.
   */
  private static void combineMoments(long na, double[] meanA, double[] m2A, double[] flagA, long nb,
      double[] meanB, double[] m2B, double[] flagB, int j0, int j1) {
    double n = na + nb;
    double wb = nb / n;
    double wab = (double) na * nb / n;
    for (int j = j0; j < j1; j++) {
      BlockMoments.join(meanA, m2A, j, meanB[j], m2B[j], wb, wab);
      flagA[j] += flagB[j];
    }
  }

  private static final int STATS_SUMS = 0;
  private static final int GRADIENT_SUMS = 1;

  /**
   * Chunk {@code c} of a reducing pass, rows {@code [r0, r1)}, block by block in block order: the forward's
   * statistics of each block (its column means from {@link #sumRows}, then {@link #statsRows} around them),
   * combined into the chunk's moments; or the backward's float partials, added into the chunk's double sums.
   * Chunk 0's are the totals.
   */
  private void sumsChunk(int kind, int c, int r0, int r1, float[] x, int xOff, float[] dy, int dyOff,
      float[] unusedC, int unusedCOff, float[] unusedD, int unusedDOff, float[] center, float[] unusedRstd,
      int unusedStatsOff, float[] unusedDw, float[] unusedDb) {
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
      b1 = RowChunks.blockEnd(b0, r1, blockRows);
      if (kind == GRADIENT_SUMS) {
        gradientSumsRows(x, xOff, dy, dyOff, b0, b1, center, p1, p2, p3);
        for (int j = 0; j < hidden; j++) {
          s1[j] += p1[j];
          s2[j] += p2[j];
          s3[j] += p3[j];
        }
      } else {
        blockMoments(x, xOff, b0, b1, p1, p2, p3, (long) b0 - r0, s1, s2, s3);
      }
    }
  }

  /**
   * The statistics of rows {@code [b0, b1)}, combined into moments of {@code counted} rows before them:
   * {@code p3} gets the block's column means (a shift inside its data, however far any one row lies), then
   * {@code p1, p2} get {@code Σd, Σd²} around it, read from cache.
   */
  private void blockMoments(float[] x, int xOff, int b0, int b1, float[] p1, float[] p2, float[] p3,
      long counted, double[] mean, double[] m2, double[] flag) {
    int nb = b1 - b0;
    sumRows(x, xOff, b0, b1, p3);
    for (int j = 0; j < hidden; j++) {
      p3[j] /= nb;
    }
    statsRows(x, xOff, b0, b1, p3, p1, p2);
    // flagged: squares that under- or overflow float (or a constant block: which of the two, float cannot
    // tell), NaN or infinity
    BlockMoments.add(hidden, nb, counted, p1, p2, p3, mean, m2, flag);
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

  /** Overwrites {@code sum[j]} with {@code Σ x} over rows {@code [r0, r1)}, for every feature. */
  protected abstract void sumRows(float[] x, int xOff, int r0, int r1, float[] sum);

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
   * Writes {@code dx = (dy + b·(x - center) + c)·a}, per feature ({@code a = coefA[j]}, ...), for rows
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
