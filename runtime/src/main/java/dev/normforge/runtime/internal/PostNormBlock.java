package dev.normforge.runtime.internal;

import dev.normforge.runtime.AddNormBlock;
import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.Sublayer;
import dev.normforge.runtime.internal.exec.Aliasing;
import dev.normforge.runtime.internal.exec.Checks;

/**
 * A Post-Norm residual block, {@code out = norm(alpha·x + F(x))}, as generated for a site with
 * {@code placement = POST} or {@code type = DEEP} (DeepNorm: LayerNorm with DeepNet's alpha).
 *
 * <p>Forward: {@code out = F(x)}, then per row one fused pass writes {@code s = alpha·x + out} into the
 * workspace and sums it, and the norm's remaining passes write {@code out = norm(s)}. Backward: one fused
 * kernel per row writes {@code ds} (the norm's backward at {@code s}) into the workspace and
 * {@code dx = alpha·ds}, then {@code F.backward(x, ds, dx)} adds the sublayer path into {@code dx}.
 *
 * <p>The fused add+norm kernels are public too, for callers with their own graph, through
 * {@link AddNormBlock}: {@link #addNormForward} and {@link #addNormBackward}.
 */
public abstract non-sealed class PostNormBlock extends RowNormBlock implements AddNormBlock {
  protected PostNormBlock(int hidden, double eps, double alpha, double beta, boolean centered, boolean affine,
      boolean bias, float initialWeight) {
    super(hidden, eps, alpha, beta, centered, affine, bias, initialWeight);
  }

  @Override
  public final boolean preNorm() {
    return false;
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code out} must not overlap {@code x}; {@code x} must not change until {@link #backward}.
   */
  @Override
  public final void forward(float[] x, int xOff, float[] out, int outOff, int rows, Sublayer f, BlockWorkspace ws) {
    checkForward(x, xOff, out, outOff, rows, f, ws);
    f.forward(x, xOff, out, outOff, rows);
    runForward(ADD_NORM, x, xOff, out, outOff, ws.saved(), 0, out, outOff, rows, centered() ? ws.mean() : null,
        ws.rstd(), 0);
    WS.filled(ws, this, f, rows, hidden, x, xOff);
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code dx} may be {@code dout} itself (same array and offset).
   */
  @Override
  public final void backward(float[] dout, int doutOff, float[] dx, int dxOff, Sublayer f, BlockWorkspace ws) {
    int rows = checkBackward(dout, doutOff, dx, dxOff, f, ws);
    backwardGuard.enter(this, "backward");
    try {
      runBackward(ADD_NORM_BACKWARD, ws.saved(), 0, dout, doutOff, ws.gradient(), 0, dx, dxOff, rows,
          centered() ? ws.mean() : null, ws.rstd(), 0);
      f.backward(WS.x(ws), WS.xOff(ws), ws.gradient(), 0, dx, dxOff, rows);
    } finally {
      backwardGuard.exit();
    }
  }

  @Override
  public final void addNormForward(
      float[] x, int xOff, float[] f, int fOff, float[] s, int sOff, float[] y, int yOff, int rows,
      float[] mean, float[] rstd, int statsOff) {
    Checks.rows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("f", f, fOff, rows, hidden);
    Checks.rows("s", s, sOff, rows, hidden);
    Checks.rows("y", y, yOff, rows, hidden);
    checkStats(mean, rstd, statsOff, rows);
    long n = (long) rows * hidden;
    Aliasing.sameOrSeparate("s", s, sOff, "x", x, xOff, n);
    Aliasing.sameOrSeparate("s", s, sOff, "f", f, fOff, n);
    Aliasing.sameOrSeparate("y", y, yOff, "x", x, xOff, n);
    Aliasing.sameOrSeparate("y", y, yOff, "f", f, fOff, n);
    Aliasing.sameOrSeparate("y", y, yOff, "s", s, sOff, n);
    RowNormLayer.statsSeparate(mean, rstd, statsOff, rows, "x", x, xOff, n);
    RowNormLayer.statsSeparate(mean, rstd, statsOff, rows, "f", f, fOff, n);
    RowNormLayer.statsSeparate(mean, rstd, statsOff, rows, "s", s, sOff, n);
    RowNormLayer.statsSeparate(mean, rstd, statsOff, rows, "y", y, yOff, n);
    Aliasing.separate("mean", mean, statsOff, "rstd", rstd, statsOff, rows);
    runForward(ADD_NORM, x, xOff, f, fOff, s, sOff, y, yOff, rows, centered() ? mean : null, rstd, statsOff);
  }

  @Override
  public final void addNormBackward(
      float[] s, int sOff, float[] dy, int dyOff, float[] ds, int dsOff, float[] dx, int dxOff, int rows,
      float[] mean, float[] rstd, int statsOff) {
    Checks.rows(rows);
    Checks.rows("s", s, sOff, rows, hidden);
    Checks.rows("dy", dy, dyOff, rows, hidden);
    Checks.rows("ds", ds, dsOff, rows, hidden);
    Checks.rows("dx", dx, dxOff, rows, hidden);
    checkStats(mean, rstd, statsOff, rows);
    long n = (long) rows * hidden;
    Aliasing.sameOrSeparate("ds", ds, dsOff, "dy", dy, dyOff, n);
    Aliasing.separate("ds", ds, dsOff, "s", s, sOff, n);
    Aliasing.separate("dx", dx, dxOff, "ds", ds, dsOff, n);
    Aliasing.separate("dx", dx, dxOff, "dy", dy, dyOff, n);
    Aliasing.separate("dx", dx, dxOff, "s", s, sOff, n);
    RowNormLayer.statsSeparate(mean, rstd, statsOff, rows, "ds", ds, dsOff, n);
    RowNormLayer.statsSeparate(mean, rstd, statsOff, rows, "dx", dx, dxOff, n);
    backwardGuard.enter(this, "addNormBackward");
    try {
      runBackward(ADD_NORM_BACKWARD, s, sOff, dy, dyOff, ds, dsOff, dx, dxOff, rows, centered() ? mean : null,
          rstd, statsOff);
    } finally {
      backwardGuard.exit();
    }
  }

  private static final int ADD_NORM = 0;
  private static final int ADD_NORM_BACKWARD = 1;

  @Override
  final void kernel(int kind, int chunk, int r0, int r1, float[] a, int aOff, float[] b, int bOff, float[] c,
      int cOff, float[] d, int dOff, float[] mean, float[] rstd, int statsOff, float[] dweight, float[] dbias) {
    if (kind == ADD_NORM) {
      addNormRows(a, aOff, b, bOff, c, cOff, d, dOff, r0, r1, mean, rstd, statsOff);
    } else {
      addNormBackwardRows(a, aOff, b, bOff, c, cOff, d, dOff, r0, r1, mean, rstd, statsOff, dweight, dbias);
    }
  }

  /** {@link #addNormForward} over rows {@code [r0, r1)}, arguments checked; {@code mean} is null for RMSNorm. */
  protected abstract void addNormRows(
      float[] x, int xOff, float[] f, int fOff, float[] s, int sOff, float[] y, int yOff, int r0, int r1,
      float[] mean, float[] rstd, int statsOff);

  /** {@link #addNormBackward} over rows {@code [r0, r1)}; {@code dweight}/{@code dbias} null when absent. */
  protected abstract void addNormBackwardRows(
      float[] s, int sOff, float[] dy, int dyOff, float[] ds, int dsOff, float[] dx, int dxOff, int r0, int r1,
      float[] mean, float[] rstd, int statsOff, float[] dweight, float[] dbias);
}
