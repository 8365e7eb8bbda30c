package dev.normforge.runtime;

/**
 * The user's sublayer {@code F} inside a residual block (attention, MLP, ...): maps rows of
 * {@code hidden} features to rows of {@code hidden} features. Blocks call it; they never look inside.
 */
public interface Sublayer {
  /** {@code out = F(in)} for {@code rows} rows; overwrites {@code out}. */
  void forward(float[] in, int inOff, float[] out, int outOff, int rows);

  /**
   * Backward of {@link #forward} at the same {@code in}: ADDS the gradient with respect to {@code in}
   * ({@code dOut·∂F/∂in}) into {@code dIn} (it does not overwrite it), and adds the gradients of its own
   * parameters into wherever it keeps them.
   */
  void backward(float[] in, int inOff, float[] dOut, int dOutOff, float[] dIn, int dInOff, int rows);
}
