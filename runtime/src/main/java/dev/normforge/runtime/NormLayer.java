package dev.normforge.runtime;

/**
 * A standalone row norm (LayerNorm or RMSNorm) over rows of {@link #hidden()} features, forward and
 * backward. Rows are row-major {@code float[]}: row {@code r} of {@code x} starts at {@code xOff + r·hidden}.
 *
 * <p>Per-row statistics: {@link #forwardTraining} writes each row's {@code mean} (LayerNorm only) and
 * {@code rstd = 1/sqrt(var + eps)} into caller-provided arrays at {@code statsOff + r}; {@link #backward}
 * reads them back. Every method checks all its arguments before writing anything and allocates nothing.
 *
 * <p>A layer object holds only its parameters and their gradients: forward passes may run from several
 * threads at once; backward passes add into the shared gradients and must not overlap each other (one that
 * would is refused with {@link IllegalStateException}).
 *
 * <p>Aliasing: {@code y} may be {@code x} itself (same array and offset), {@code dx} may be {@code dy} or
 * {@code x} itself; any other overlap of an output with another argument (statistics included) is refused
 * with {@link IllegalArgumentException} before anything is written.
 */
public interface NormLayer {
  /** Features per row. */
  int hidden();

  /** {@code eps}, added to the variance (or mean square) before the square root. */
  double eps();

  /** The per-feature weight (initialised to 1), or null when the layer has none ({@code affine = false}). */
  Parameter weight();

  /** The per-feature bias (initialised to 0), or null when the layer has none. */
  Parameter bias();

  /** Whether this norm subtracts the row mean (LayerNorm) or not (RMSNorm). */
  boolean centered();

  /** Inference forward: {@code y = norm(x)} for {@code rows} rows; keeps nothing. */
  void forward(float[] x, int xOff, float[] y, int yOff, int rows);

  /**
   * Training forward: {@code y = norm(x)}, saving each row's statistics for {@link #backward}.
   *
   * @param mean per-row means, written at {@code statsOff + r}; may be null for RMSNorm
   * @param rstd per-row {@code 1/sqrt(var + eps)}, written at {@code statsOff + r}
   */
  void forwardTraining(
      float[] x, int xOff, float[] y, int yOff, int rows, float[] mean, float[] rstd, int statsOff);

  /**
   * Backward: overwrites {@code dx} with the gradient of the loss with respect to {@code x}, and adds the
   * gradients of weight and bias into their {@link Parameter#grad()}. {@code x} and the statistics must be
   * those of the matching {@link #forwardTraining} call.
   */
  void backward(
      float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int rows,
      float[] mean, float[] rstd, int statsOff);

  /** Sets the gradients of every {@link #parameters() parameter} to zero. */
  default void zeroGrad() {
    for (Parameter p : parameters()) {
      p.zeroGrad();
    }
  }

  /**
   * Every learnable parameter of this layer, in a fixed order: {@code weight} and {@code bias} when present
   * (and, for a Sandwich block, its second norm's {@code weight2} and {@code bias2}). Each has a stable name.
   */
  default java.util.List<Parameter> parameters() {
    return Parameter.present(weight(), bias());
  }
}
