package dev.normforge.runtime.internal;

import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.Sublayer;
import java.util.Arrays;

/**
 * A Pre-Norm residual block, {@code out = alpha·x + F(norm(x))}, as generated for a site with
 * {@code placement = PRE}: the orchestration (checks, workspace, calls of {@code F}); the generated subclass
 * supplies the kernels.
 *
 * <p>Forward: {@code h = norm(x)} into the workspace (saving mean and rstd), {@code out = F(h)}, then
 * {@code out = alpha·x + out} in place. Backward: {@code dh = 0}, {@code F.backward(h, dout, dh)}, then one
 * pass per row of the norm's backward with {@code dy = dh} that also adds the residual path:
 * {@code dx = norm'(x)ᵀ·dh + alpha·dout}.
 */
public abstract non-sealed class PreNormBlock extends RowNormBlock {
  protected PreNormBlock(int hidden, double eps, double alpha, double beta, boolean centered, boolean affine,
      boolean bias, float initialWeight) {
    super(hidden, eps, alpha, beta, centered, affine, bias, initialWeight);
  }

  @Override
  public final boolean preNorm() {
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code out} must not overlap {@code x}; {@code x} must not change until {@link #backward}.
   */
  @Override
  public final void forward(float[] x, int xOff, float[] out, int outOff, int rows, Sublayer f, BlockWorkspace ws) {
    checkForward(x, xOff, out, outOff, rows, f, ws);
    runForward(NORMALIZE, x, xOff, ws.saved(), 0, null, 0, null, 0, rows, centered() ? ws.mean() : null, ws.rstd(), 0);
    sublayerForward(f, ws.saved(), out, outOff, rows, ws);
    runForward(RESIDUAL, x, xOff, out, outOff, null, 0, null, 0, rows, null, null, 0);
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
      Arrays.fill(ws.gradient(), 0, rows * hidden, 0f);
      sublayerBackward(f, ws.saved(), dout, doutOff, ws.gradient(), rows, ws);
      runBackward(BACKWARD, WS.x(ws), WS.xOff(ws), ws.gradient(), 0, dout, doutOff, dx, dxOff, rows,
          centered() ? ws.mean() : null, ws.rstd(), 0);
    } finally {
      backwardGuard.exit();
    }
  }

  /** {@code out = F(h)}: what runs between the norm and the residual add (a Sandwich block adds its second norm). */
  void sublayerForward(Sublayer f, float[] h, float[] out, int outOff, int rows, BlockWorkspace ws) {
    f.forward(h, 0, out, outOff, rows);
  }

  /** {@code dh += F'(h)ᵀ·dout}: the backward of {@link #sublayerForward}. */
  void sublayerBackward(Sublayer f, float[] h, float[] dout, int doutOff, float[] dh, int rows, BlockWorkspace ws) {
    f.backward(h, 0, dout, doutOff, dh, 0, rows);
  }

  private static final int NORMALIZE = 0;
  private static final int RESIDUAL = 1;
  private static final int BACKWARD = 2;

  @Override
  final void kernel(int kind, int chunk, int r0, int r1, float[] a, int aOff, float[] b, int bOff, float[] c,
      int cOff, float[] d, int dOff, float[] mean, float[] rstd, int statsOff, float[] dweight, float[] dbias) {
    switch (kind) {
      case NORMALIZE -> normalizeRows(a, aOff, b, bOff, r0, r1, mean, rstd, statsOff);
      case RESIDUAL -> residualRows(a, aOff, b, bOff, r0, r1);
      default -> backwardRows(a, aOff, b, bOff, c, cOff, d, dOff, r0, r1, mean, rstd, statsOff, dweight, dbias);
    }
  }

  /**
   * Normalizes rows {@code [r0, r1)} of {@code x} into {@code h}, saving row {@code r}'s statistics at
   * {@code statsOff + r} ({@code mean} is null for RMSNorm).
   */
  protected abstract void normalizeRows(
      float[] x, int xOff, float[] h, int hOff, int r0, int r1, float[] mean, float[] rstd, int statsOff);

  /** {@code out = alpha·x + out} over rows {@code [r0, r1)}. */
  protected abstract void residualRows(float[] x, int xOff, float[] out, int outOff, int r0, int r1);

  /**
   * Over rows {@code [r0, r1)}: overwrites {@code dx} with the norm's backward at {@code x} with
   * {@code dy = dh}, plus {@code alpha·dout}; adds into {@code dweight}/{@code dbias} (null when absent).
   */
  protected abstract void backwardRows(
      float[] x, int xOff, float[] dh, int dhOff, float[] dout, int doutOff, float[] dx, int dxOff, int r0, int r1,
      float[] mean, float[] rstd, int statsOff, float[] dweight, float[] dbias);
}
