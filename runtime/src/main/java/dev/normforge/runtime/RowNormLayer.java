package dev.normforge.runtime;

/**
 * What every generated LayerNorm/RMSNorm class shares: parameters, argument checks and the split of a call
 * into row ranges. A generated subclass supplies only the kernels, specialized for its hidden size.
 */
public abstract class RowNormLayer implements NormLayer {
  private final int hidden;
  private final double eps;
  private final boolean centered;
  private final Parameter weight;
  private final Parameter bias;

  protected RowNormLayer(int hidden, double eps, boolean centered, boolean affine, boolean bias) {
    this.hidden = hidden;
    this.eps = eps;
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
  public final void forward(float[] x, int xOff, float[] y, int yOff, int rows) {
    Checks.rows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("y", y, yOff, rows, hidden);
    normalizeRows(x, xOff, y, yOff, 0, rows, null, null, 0);
  }

  @Override
  public final void forwardTraining(
      float[] x, int xOff, float[] y, int yOff, int rows, float[] mean, float[] rstd, int statsOff) {
    Checks.rows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("y", y, yOff, rows, hidden);
    checkStats(mean, rstd, statsOff, rows);
    normalizeRows(x, xOff, y, yOff, 0, rows, mean, rstd, statsOff);
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
    checkForwardRan(rstd, statsOff, rows);
    backwardRows(
        x, xOff, dy, dyOff, dx, dxOff, 0, rows, mean, rstd, statsOff,
        weight == null ? null : weight.grad(), bias == null ? null : bias.grad());
  }

  /**
   * A training forward never leaves rstd at 0 (it is 1/sqrt(var + eps) > 0, or NaN for a row holding NaN or
   * infinity), so a 0 means the statistics were never written: backward without its forward.
   */
  private static void checkForwardRan(float[] rstd, int statsOff, int rows) {
    for (int r = 0; r < rows; r++) {
      if (rstd[statsOff + r] == 0f) {
        throw new IllegalStateException("rstd[" + (statsOff + r) + "] is 0: backward needs the statistics "
            + "written by the matching forwardTraining call (was it run, with the same rows and statsOff?)");
      }
    }
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
        + ", weight=" + (weight != null) + ", bias=" + (bias != null) + ")";
  }
}
