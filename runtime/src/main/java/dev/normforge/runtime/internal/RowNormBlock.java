package dev.normforge.runtime.internal;

import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.Parameter;
import dev.normforge.runtime.ResidualBlock;
import dev.normforge.runtime.Sublayer;
import dev.normforge.runtime.internal.exec.Checks;
import dev.normforge.runtime.internal.exec.Exclusive;
import dev.normforge.runtime.internal.exec.RowChunks;
import dev.normforge.runtime.internal.exec.RowJob;
import dev.normforge.runtime.internal.exec.RowParallel;
import java.util.List;

/**
 * What every generated residual block shares, whatever its placement: the norm's parameters, the
 * configuration (hidden, eps, alpha, beta), argument checks and workspaces. {@link PreNormBlock} and
 * {@link PostNormBlock} add the forward and backward of their placement; a generated subclass of one of
 * them supplies only the kernels, specialized for its hidden size.
 *
 * <p>Multi-core: the row kernels (normalize, residual add, fused add+norm, and their backward) run on
 * {@link RowParallel#shared()}, cut into {@link RowChunks} that depend only on the shape. Rows are
 * independent in forward; in backward each chunk sums its weight and bias gradients into its own
 * partial buffer ({@link RowJob}), added into the parameters' gradients in chunk order, so every output and
 * gradient is bitwise the same for any number of threads. A call with one chunk runs on the caller's
 * thread. The sublayer {@code F} is called once over all rows, on the caller's thread.
 *
 * <p>Thread safety: forward calls on one block may run from several threads at once, each with its own
 * workspace (a forward that finds the block's reusable task in use runs its rows on its own thread);
 * backward calls (and {@code addNormBackward}) add into the shared gradients and reuse the block's
 * partial buffers, so they must not overlap each other: one that would is refused with
 * {@link IllegalStateException} ({@link #backwardGuard}).
 */
public abstract sealed class RowNormBlock implements ResidualBlock permits PreNormBlock, PostNormBlock {
  /** The workspace state the blocks of this package use (see {@link WorkspaceAccess}). */
  static final WorkspaceAccess WS = WorkspaceAccess.get();

  final int hidden;
  private final double eps;
  private final double alpha;
  private final double beta;
  private final boolean centered;
  private final NormParameters params;
  private final RowJob forwardJob;
  private final RowJob backwardJob;
  /** Taken by every call that adds into the gradients: {@code backward}, {@code addNormBackward}. */
  final Exclusive backwardGuard = new Exclusive(RowNormLayer.BACKWARD_RULE);

  RowNormBlock(int hidden, double eps, double alpha, double beta, boolean centered, boolean affine, boolean bias,
      float initialWeight) {
    VectorApi.require();
    this.hidden = hidden;
    this.eps = eps;
    this.alpha = alpha;
    this.beta = beta;
    this.centered = centered;
    this.params = new NormParameters(hidden, affine, bias, initialWeight, "");
    this.forwardJob = new RowJob(this::kernel, hidden);
    this.backwardJob = new RowJob(this::kernel, hidden, params.dweight(), params.dbias());
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
  public final double alpha() {
    return alpha;
  }

  @Override
  public final double beta() {
    return beta;
  }

  /** Whether the norm subtracts the row mean (LayerNorm, DeepNorm) or not (RMSNorm). */
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

  /** The norm's parameters, built once (a Sandwich block adds its second norm's). */
  @Override
  public List<Parameter> parameters() {
    return params.all;
  }

  @Override
  public final BlockWorkspace newWorkspace() {
    return new BlockWorkspace();
  }

  /** The checks of {@code forward}, before anything is written; prepares {@code ws} for {@code rows}. */
  final void checkForward(float[] x, int xOff, float[] out, int outOff, int rows, Sublayer f, BlockWorkspace ws) {
    Checks.rows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("out", out, outOff, rows, hidden);
    Checks.notNull("f", f);
    Checks.notNull("ws", ws);
    BlockAliasing.checkForward(x, xOff, out, outOff, rows, hidden, ws);
    WS.prepare(ws, rows, hidden);
  }

  /** The checks of {@code backward}, before anything is written; returns the forward's row count. */
  final int checkBackward(float[] dout, int doutOff, float[] dx, int dxOff, Sublayer f, BlockWorkspace ws) {
    Checks.notNull("f", f);
    Checks.notNull("ws", ws);
    int rows = WS.rowsOf(ws, this, f);
    Checks.rows("dout", dout, doutOff, rows, hidden);
    Checks.rows("dx", dx, dxOff, rows, hidden);
    BlockAliasing.checkBackward(dout, doutOff, dx, dxOff, rows, hidden, ws);
    return rows;
  }

  /** Checks per-row statistics arrays: {@code mean} is required for LayerNorm, ignored (may be null) for RMSNorm. */
  final void checkStats(float[] mean, float[] rstd, int statsOff, int rows) {
    if (centered) {
      Checks.values("mean", mean, statsOff, rows);
    }
    Checks.values("rstd", rstd, statsOff, rows);
  }

  /**
   * Runs row kernel {@code kind} of the subclass over rows {@code [r0, r1)} with these arguments (their
   * meaning depends on the kernel); {@code dweight}/{@code dbias} are null for forward kernels.
   */
  abstract void kernel(int kind, int chunk, int r0, int r1, float[] a, int aOff, float[] b, int bOff, float[] c,
      int cOff, float[] d, int dOff, float[] mean, float[] rstd, int statsOff, float[] dweight, float[] dbias);

  /**
   * A forward kernel over all {@code rows}: in parallel chunks, or on this thread when there is one chunk
   * or another forward is using the block's task (rows are independent: same result either way).
   */
  final void runForward(int kind, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float[] d,
      int dOff, int rows, float[] mean, float[] rstd, int statsOff) {
    forwardJob.rows(kind, rows, a, aOff, b, bOff, c, cOff, d, dOff, mean, rstd, statsOff);
  }

  /**
   * A backward kernel over all {@code rows}, adding into the weight and bias gradients: with one chunk
   * directly on this thread; else in parallel chunks, each into its own partials, reduced in chunk order.
   */
  final void runBackward(int kind, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float[] d,
      int dOff, int rows, float[] mean, float[] rstd, int statsOff) {
    backwardJob.gradientRows(kind, rows, a, aOff, b, bOff, c, cOff, d, dOff, mean, rstd, statsOff);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + (preNorm() ? "pre" : "post") + ", hidden=" + hidden
        + ", eps=" + eps + ", alpha=" + alpha + ", beta=" + beta + ")";
  }
}
