package dev.normforge.runtime.internal;

import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.runtime.BatchNormResidualBlock;
import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.Parameter;
import dev.normforge.runtime.ResidualBlock;
import dev.normforge.runtime.Sublayer;
import dev.normforge.runtime.internal.exec.Checks;
import dev.normforge.runtime.internal.exec.Exclusive;
import java.util.Arrays;

/**
 * A residual block around BatchNorm, the base of generated BATCH block classes:
 *
 * <ul>
 *   <li>Pre-Norm: {@code out = alpha·x + F(BatchNorm(x))};
 *   <li>Post-Norm: {@code out = BatchNorm(alpha·x + F(x))}.
 * </ul>
 *
 * The BatchNorm is the generated, specialized one ({@link #norm()}); {@link #forward} is a training forward
 * (batch statistics, running statistics updated). Batch statistics need every row before any output, so
 * unlike the row-norm blocks the residual add is a pass of its own. Per-feature statistics are saved in
 * the workspace, as for row-norm blocks, with the same contract.
 *
 * <p>Thread safety: one call at a time per block, of any kind (its BatchNorm's scratch and running
 * statistics are shared); a call that would overlap another is refused with {@link IllegalStateException}.
 */
public abstract class BatchNormBlock implements BatchNormResidualBlock {
  private static final WorkspaceAccess WS = WorkspaceAccess.get();

  private final BatchNormLayer norm;
  private final boolean preNorm;
  private final double alpha;
  private final double beta;
  private final float alphaF;
  /** Forward and backward both use the one BatchNorm, which runs one call at a time. */
  private final Exclusive guard = new Exclusive("a BatchNorm block runs one call at a time (its BatchNorm keeps "
      + "per-feature scratch and running statistics, as a PyTorch module); give each thread its own block");

  protected BatchNormBlock(BatchNormLayer norm, boolean preNorm, double alpha, double beta) {
    this.norm = norm;
    this.preNorm = preNorm;
    this.alpha = alpha;
    this.beta = beta;
    this.alphaF = (float) alpha;
  }

  @Override
  public final BatchNormLayer norm() {
    return norm;
  }

  @Override
  public final int hidden() {
    return norm.hidden();
  }

  @Override
  public final boolean preNorm() {
    return preNorm;
  }

  @Override
  public final double alpha() {
    return alpha;
  }

  @Override
  public final double beta() {
    return beta;
  }

  @Override
  public final double eps() {
    return norm.eps();
  }

  @Override
  public final Parameter weight() {
    return norm.weight();
  }

  @Override
  public final Parameter bias() {
    return norm.bias();
  }

  @Override
  public final BlockWorkspace newWorkspace() {
    return new BlockWorkspace();
  }

  @Override
  public final void forward(float[] x, int xOff, float[] out, int outOff, int rows, Sublayer f, BlockWorkspace ws) {
    guard.enter(this, "forward");
    try {
      trainingForward(x, xOff, out, outOff, rows, f, ws);
    } finally {
      guard.exit();
    }
  }

  @Override
  public final void backward(float[] dout, int doutOff, float[] dx, int dxOff, Sublayer f, BlockWorkspace ws) {
    guard.enter(this, "backward");
    try {
      backwardPass(dout, doutOff, dx, dxOff, f, ws);
    } finally {
      guard.exit();
    }
  }

  private void trainingForward(
      float[] x, int xOff, float[] out, int outOff, int rows, Sublayer f, BlockWorkspace ws) {
    int hidden = hidden();
    Checks.rows(rows);
    if (rows < 2) {
      throw new IllegalArgumentException("rows must be >= 2 for BatchNorm's batch statistics, got " + rows);
    }
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("out", out, outOff, rows, hidden);
    Checks.notNull("f", f);
    Checks.notNull("ws", ws);
    BlockAliasing.checkForward(x, xOff, out, outOff, rows, hidden, ws);
    WS.prepare(ws, rows, hidden);
    WS.prepareFeatures(ws, hidden);
    int n = rows * hidden;
    if (preNorm) {
      norm.forwardTraining(x, xOff, ws.saved(), 0, rows, ws.mean(), ws.rstd());
      f.forward(ws.saved(), 0, out, outOff, rows);
      for (int i = 0; i < n; i++) {
        out[outOff + i] = Math.fma(alphaF, x[xOff + i], out[outOff + i]);
      }
    } else {
      f.forward(x, xOff, ws.gradient(), 0, rows);
      for (int i = 0; i < n; i++) {
        ws.saved()[i] = Math.fma(alphaF, x[xOff + i], ws.gradient()[i]);
      }
      norm.forwardTraining(ws.saved(), 0, out, outOff, rows, ws.mean(), ws.rstd());
    }
    WS.filled(ws, this, f, rows, hidden, x, xOff);
  }

  private void backwardPass(float[] dout, int doutOff, float[] dx, int dxOff, Sublayer f, BlockWorkspace ws) {
    int hidden = hidden();
    Checks.notNull("f", f);
    Checks.notNull("ws", ws);
    int rows = WS.rowsOf(ws, this, f);
    Checks.rows("dout", dout, doutOff, rows, hidden);
    Checks.rows("dx", dx, dxOff, rows, hidden);
    BlockAliasing.checkBackward(dout, doutOff, dx, dxOff, rows, hidden, ws);
    int n = rows * hidden;
    if (preNorm) {
      // dh = F'(h)ᵀ·dout; dx = BatchNorm'(x)ᵀ·dh + alpha·dout. The norm's path replaces dh in place
      // (BatchNorm's backward allows dx = dy), so dout is read only after it, and dx may be dout itself.
      Arrays.fill(ws.gradient(), 0, n, 0f);
      f.backward(ws.saved(), 0, dout, doutOff, ws.gradient(), 0, rows);
      norm.backward(WS.x(ws), WS.xOff(ws), ws.gradient(), 0, ws.gradient(), 0, rows, ws.mean(), ws.rstd());
      for (int i = 0; i < n; i++) {
        dx[dxOff + i] = Math.fma(alphaF, dout[doutOff + i], ws.gradient()[i]);
      }
    } else {
      // ds = BatchNorm'(s)ᵀ·dout; dx = alpha·ds + F'(x)ᵀ·ds
      norm.backward(ws.saved(), 0, dout, doutOff, ws.gradient(), 0, rows, ws.mean(), ws.rstd());
      for (int i = 0; i < n; i++) {
        dx[dxOff + i] = alphaF * ws.gradient()[i];
      }
      f.backward(WS.x(ws), WS.xOff(ws), ws.gradient(), 0, dx, dxOff, rows);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + (preNorm ? "pre" : "post") + " BatchNorm, hidden=" + hidden()
        + ", alpha=" + alpha + ")";
  }
}
