package dev.normforge.runtime;

/**
 * BatchNorm over rows of {@link #hidden()} features, as PyTorch's {@code BatchNorm1d} on an
 * {@code [rows, hidden]} input: per-feature statistics over the rows of a batch.
 *
 * <ul>
 *   <li>Training: {@code y = (x - mean)·invstd·weight + bias} with the batch's per-feature {@code mean} and
 *       biased variance, {@code invstd = 1/sqrt(var + eps)}; the running statistics are updated as
 *       {@code running = (1 - momentum)·running + momentum·batch}, the running variance with the unbiased
 *       batch variance ({@code var·rows/(rows - 1)}).
 *   <li>Eval: the same formula with the running mean and variance.
 * </ul>
 *
 * <p>Aliasing: {@code y} may be {@code x} itself, {@code dx} may be {@code dy} or {@code x} itself (same array
 * and offset); any other overlap of an output with another argument ({@code mean} and {@code invstd}
 * included) throws {@link IllegalArgumentException} before anything is written. One call at a time per
 * layer object: a call overlapping another throws {@link IllegalStateException}, as does a backward whose
 * statistics no training forward wrote.
 */
public interface BatchNormLayer {
  /** Features per row. */
  int hidden();

  /** {@code eps}, added to the variance before the square root. */
  double eps();

  /** The running statistics' update rate. */
  double momentum();

  /** The per-feature weight (initialised to 1), or null when the layer has none. */
  Parameter weight();

  /** The per-feature bias (initialised to 0), or null when the layer has none. */
  Parameter bias();

  /** The running mean (initialised to 0), live: write to it to load a checkpoint. */
  float[] runningMean();

  /** The running variance (initialised to 1), live. */
  float[] runningVar();

  /**
   * Training forward over a batch of {@code rows >= 2} rows: writes {@code y}, saves the per-feature batch
   * {@code mean} and {@code invstd} (length {@code hidden}) for {@link #backward}, updates the running
   * statistics.
   */
  void forwardTraining(float[] x, int xOff, float[] y, int yOff, int rows, float[] mean, float[] invstd);

  /** Eval forward: normalizes with the running statistics; changes nothing. */
  void forwardEval(float[] x, int xOff, float[] y, int yOff, int rows);

  /**
   * Backward of a training forward: overwrites {@code dx}, adds into the weight and bias gradients.
   * {@code x}, {@code mean} and {@code invstd} must be those of the matching {@link #forwardTraining}.
   */
  void backward(
      float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int rows, float[] mean, float[] invstd);

  /** Sets the gradients of every {@link #parameters() parameter} to zero. */
  default void zeroGrad() {
    for (Parameter p : parameters()) {
      p.zeroGrad();
    }
  }

  /**
   * Every learnable parameter of this layer, in a fixed order: {@code weight} and {@code bias} when present.
   */
  default java.util.List<Parameter> parameters() {
    return Parameter.present(weight(), bias());
  }
}
