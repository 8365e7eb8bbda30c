package dev.normforge.runtime.internal;

import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.Parameter;
import dev.normforge.runtime.internal.exec.Aliasing;
import dev.normforge.runtime.internal.exec.Checks;
import dev.normforge.runtime.internal.exec.Exclusive;
import dev.normforge.runtime.internal.exec.RowChunks;
import dev.normforge.runtime.internal.exec.RowJob;
import dev.normforge.runtime.internal.exec.RowParallel;
import java.util.List;

/**
 * What every generated LayerNorm/RMSNorm class shares: parameters, argument checks and the split of a call
 * into row ranges. A generated subclass supplies only the kernels, specialized for its hidden size.
 *
 * <p>Calls run on {@link RowParallel#shared()}, cut into {@link RowChunks} that depend only on the shape.
 * Rows are independent in forward; in backward each chunk sums its weight and bias gradients into its own
 * partial buffer ({@link RowJob}), added into the parameters' gradients in chunk order. So every output,
 * gradients included, is bitwise the same for any number of threads. A call with one chunk runs on the
 * caller's thread and adds into the gradients directly.
 *
 * <p>Thread safety as {@link NormLayer}: concurrent forward calls are allowed (a second concurrent forward
 * on the same layer runs on its own thread instead of sharing the layer's reusable task); backward calls
 * must not overlap each other, since they share the gradients and the partial buffers: one that would is
 * refused with {@link IllegalStateException} ({@link Exclusive}).
 */
public abstract class RowNormLayer implements NormLayer {
  private final int hidden;
  private final double eps;
  private final boolean centered;
  private final NormParameters params;
  private final RowJob forwardJob;
  private final RowJob backwardJob;
  private final Exclusive backwardGuard = new Exclusive(BACKWARD_RULE);

  /** What a refused overlapping backward is told. */
  static final String BACKWARD_RULE = "backward calls on one layer or block add into its shared gradients and "
      + "must not overlap; run them one after another, or give each thread its own layer";

  /** A layer with weight 1 (when {@code affine}) and bias 0 (when {@code bias}). */
  protected RowNormLayer(int hidden, double eps, boolean centered, boolean affine, boolean bias) {
    this(hidden, eps, centered, affine, bias, 1f, "");
  }

  /**
   * A layer whose weight starts at {@code initialWeight} (a zero-centred weight starts at 0), its
   * parameters named {@code weight}/{@code bias} followed by {@code suffix} ({@code "2"}: a block's second norm).
   */
  protected RowNormLayer(int hidden, double eps, boolean centered, boolean affine, boolean bias, float initialWeight,
      String suffix) {
    VectorApi.require();
    this.hidden = hidden;
    this.eps = eps;
    this.centered = centered;
    this.params = new NormParameters(hidden, affine, bias, initialWeight, suffix);
    this.forwardJob = new RowJob(this::chunk, hidden);
    this.backwardJob = new RowJob(this::chunk, hidden, params.dweight(), params.dbias());
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
  public final boolean centered() {
    return centered;
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
  public final void forward(float[] x, int xOff, float[] y, int yOff, int rows) {
    Checks.rows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("y", y, yOff, rows, hidden);
    Aliasing.sameOrSeparate("y", y, yOff, "x", x, xOff, (long) rows * hidden);
    forwardRows(x, xOff, y, yOff, rows, null, null, 0);
  }

  @Override
  public final void forwardTraining(
      float[] x, int xOff, float[] y, int yOff, int rows, float[] mean, float[] rstd, int statsOff) {
    Checks.rows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("y", y, yOff, rows, hidden);
    checkStats(mean, rstd, statsOff, rows);
    long n = (long) rows * hidden;
    Aliasing.sameOrSeparate("y", y, yOff, "x", x, xOff, n);
    statsSeparate(mean, rstd, statsOff, rows, "x", x, xOff, n);
    statsSeparate(mean, rstd, statsOff, rows, "y", y, yOff, n);
    Aliasing.separate("mean", mean, statsOff, "rstd", rstd, statsOff, rows);
    forwardRows(x, xOff, y, yOff, rows, mean, rstd, statsOff);
  }

  @Override
  public final void backward(
      float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int rows,
      float[] mean, float[] rstd, int statsOff) {
    Checks.rows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("dy", dy, dyOff, rows, hidden);
    Checks.rows("dx", dx, dxOff, rows, hidden);
    checkStats(mean, rstd, statsOff, rows);
    long n = (long) rows * hidden;
    Aliasing.sameOrSeparate("dx", dx, dxOff, "dy", dy, dyOff, n);
    Aliasing.sameOrSeparate("dx", dx, dxOff, "x", x, xOff, n);
    statsSeparate(mean, rstd, statsOff, rows, "dx", dx, dxOff, n);
    checkForwardRan(rstd, statsOff, rows);
    backwardGuard.enter(this, "backward");
    try {
      backwardJob.gradientRows(BACKWARD, rows, x, xOff, dy, dyOff, dx, dxOff, null, 0, mean, rstd, statsOff);
    } finally {
      backwardGuard.exit();
    }
  }

  /** Forward over all rows: in parallel chunks, or on this thread when small or the job is in use. */
  private void forwardRows(
      float[] x, int xOff, float[] y, int yOff, int rows, float[] mean, float[] rstd, int statsOff) {
    forwardJob.rows(FORWARD, rows, x, xOff, y, yOff, null, 0, null, 0, mean, rstd, statsOff);
  }

  private static final int FORWARD = 0;
  private static final int BACKWARD = 1;

  /** The kernel of a chunk of a forward or backward call, rows {@code [r0, r1)}. */
  private void chunk(int kind, int chunk, int r0, int r1, float[] a, int aOff, float[] b, int bOff, float[] c,
      int cOff, float[] d, int dOff, float[] mean, float[] rstd, int statsOff, float[] dweight, float[] dbias) {
    if (kind == FORWARD) {
      normalizeRows(a, aOff, b, bOff, r0, r1, mean, rstd, statsOff);
    } else {
      backwardRows(a, aOff, b, bOff, c, cOff, r0, r1, mean, rstd, statsOff, dweight, dbias);
    }
  }

  /**
   * A training forward never leaves rstd at +0 (it is 1/sqrt(var + eps) > 0, NaN for a row holding NaN, or
   * -0 for an RMSNorm row holding infinity: see {@code RowStats.rstd}), so a +0 means the statistics were
   * never written: backward without its forward.
   */
  private static void checkForwardRan(float[] rstd, int statsOff, int rows) {
    for (int r = 0; r < rows; r++) {
      if (Float.floatToRawIntBits(rstd[statsOff + r]) == 0) {
        throw new IllegalStateException("rstd[" + (statsOff + r) + "] is 0: backward needs the statistics "
            + "written by the matching forwardTraining call (was it run, with the same rows and statsOff?)");
      }
    }
  }

  /** The per-row statistics ({@code rows} floats from {@code statsOff}) must not overlap a row array. */
  static void statsSeparate(float[] mean, float[] rstd, int statsOff, int rows, String name, float[] a, int aOff,
      long length) {
    Aliasing.separate("mean", mean, statsOff, rows, name, a, aOff, length);
    Aliasing.separate("rstd", rstd, statsOff, rows, name, a, aOff, length);
  }

  private void checkStats(float[] mean, float[] rstd, int statsOff, int rows) {
    if (centered || mean != null) {
      Checks.values("mean", mean, statsOff, rows);
    }
    Checks.values("rstd", rstd, statsOff, rows);
  }

  /**
   * Normalizes rows {@code [r0, r1)}. With non-null {@code mean}/{@code rstd} (training), saves row
   * {@code r}'s statistics at {@code statsOff + r}; {@code mean} is null for RMSNorm and inference.
   */
  protected abstract void normalizeRows(
      float[] x, int xOff, float[] y, int yOff, int r0, int r1, float[] mean, float[] rstd, int statsOff);

  /**
   * Backward over rows {@code [r0, r1)}: overwrites {@code dx}, adds the weight and bias gradients into
   * {@code dweight}/{@code dbias} (null when the layer has no such parameter).
   */
  protected abstract void backwardRows(
      float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int r0, int r1,
      float[] mean, float[] rstd, int statsOff, float[] dweight, float[] dbias);

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(hidden=" + hidden + ", eps=" + eps
        + ", " + params + ")";
  }
}
