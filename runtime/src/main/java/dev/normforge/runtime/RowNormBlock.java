package dev.normforge.runtime;

/**
 * What every generated residual block shares, whatever its placement: the norm's parameters, the
 * configuration (hidden, eps, alpha, beta), argument checks and workspaces. {@link PreNormBlock} and
 * {@link PostNormBlock} add the forward and backward of their placement; a generated subclass of one of
 * them supplies only the kernels, specialized for its hidden size.
 */
public abstract sealed class RowNormBlock implements ResidualBlock permits PreNormBlock, PostNormBlock {
  final int hidden;
  private final double eps;
  private final double alpha;
  private final double beta;
  private final boolean centered;
  private final Parameter weight;
  private final Parameter bias;

  RowNormBlock(int hidden, double eps, double alpha, double beta, boolean centered, boolean affine, boolean bias) {
    this.hidden = hidden;
    this.eps = eps;
    this.alpha = alpha;
    this.beta = beta;
    this.centered = centered;
    this.weight = affine ? new Parameter("weight", hidden, 1f) : null;
    this.bias = bias ? new Parameter("bias", hidden, 0f) : null;
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
    return weight;
  }

  @Override
  public final Parameter bias() {
    return bias;
  }

  @Override
  public final BlockWorkspace newWorkspace() {
    return new BlockWorkspace();
  }

  final float[] dweight() {
    return weight == null ? null : weight.grad();
  }

  final float[] dbias() {
    return bias == null ? null : bias.grad();
  }

  /** The checks of {@code forward}, before anything is written; prepares {@code ws} for {@code rows}. */
  final void checkForward(float[] x, int xOff, float[] out, int outOff, int rows, Sublayer f, BlockWorkspace ws) {
    Checks.rows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("out", out, outOff, rows, hidden);
    Checks.disjoint("x", x, xOff, "out", out, outOff, (long) rows * hidden);
    Checks.notNull("f", f);
    Checks.notNull("ws", ws);
    ws.prepare(rows, hidden);
  }

  /** The checks of {@code backward}, before anything is written; returns the forward's row count. */
  final int checkBackward(float[] dout, int doutOff, float[] dx, int dxOff, Sublayer f, BlockWorkspace ws) {
    Checks.notNull("f", f);
    Checks.notNull("ws", ws);
    int rows = ws.rowsOf(this, f);
    Checks.rows("dout", dout, doutOff, rows, hidden);
    Checks.rows("dx", dx, dxOff, rows, hidden);
    return rows;
  }

  /** Checks per-row statistics arrays: {@code mean} is required for LayerNorm, ignored (may be null) for RMSNorm. */
  final void checkStats(float[] mean, float[] rstd, int statsOff, int rows) {
    if (centered) {
      Checks.values("mean", mean, statsOff, rows);
    }
    Checks.values("rstd", rstd, statsOff, rows);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + (preNorm() ? "pre" : "post") + ", hidden=" + hidden
        + ", eps=" + eps + ", alpha=" + alpha + ", beta=" + beta + ")";
  }
}
