package dev.normforge.runtime;

/**
 * A fused residual block (Add &amp; Norm) around a {@link Sublayer} {@code F}:
 *
 * <ul>
 *   <li>Pre-Norm: {@code out = alpha·x + F(norm(x))};
 *   <li>Post-Norm and DeepNorm: {@code out = norm(alpha·x + F(x))}.
 * </ul>
 *
 * What backward needs is saved in a caller-visible, reusable {@link BlockWorkspace}; after the first call
 * of a given size nothing is allocated. {@code x} is not copied: it must not change between
 * {@link #forward} and {@link #backward}. The workspace records which block, sublayer and row count its
 * forward was; {@link #backward} takes the row count from it and throws {@link IllegalStateException}
 * when it holds no forward of this block with this sublayer. Every method checks its arguments (null,
 * {@code rows < 0}, negative offsets, arrays too short for {@code rows × hidden}) before writing anything,
 * with messages naming the argument.
 *
 * <p>Aliasing: {@code dx} may be {@code dout} itself (same array and offset). {@code out} must not overlap
 * {@code x}, {@code dx} must not overlap the forward's {@code x} nor partly overlap {@code dout}, and no
 * argument may be a buffer of the workspace: such calls throw {@link IllegalArgumentException} before
 * anything is written. Backward calls on one block must not overlap each other (nor, for a BatchNorm block,
 * any two calls): one that would throws {@link IllegalStateException}.
 *
 * <p>Post-Norm and DeepNorm blocks are also {@link AddNormBlock}s: they expose the fused add+norm kernels
 * for callers with their own graph. BatchNorm blocks are {@link BatchNormResidualBlock}s.
 */
public interface ResidualBlock {
  /** Features per row. */
  int hidden();

  /** Whether the norm comes before the sublayer (Pre-Norm) rather than after the residual add. */
  boolean preNorm();

  /** The residual scale {@code alpha}. */
  double alpha();

  /**
   * DeepNet's {@code beta}: the gain for the Xavier-normal initialisation of the sublayer's ffn, v_proj
   * and out_proj weights (1 for blocks that are not DeepNorm unless configured).
   */
  double beta();

  /** {@code eps} of the norm. */
  double eps();

  /** The norm's per-feature weight, or null when it has none. */
  Parameter weight();

  /** The norm's per-feature bias, or null when it has none. */
  Parameter bias();

  /** A new, empty workspace for this block; it grows to the largest row count it is used with. */
  BlockWorkspace newWorkspace();

  /** Training forward over {@code rows} rows: writes {@code out}, saves what backward needs in {@code ws}. */
  void forward(float[] x, int xOff, float[] out, int outOff, int rows, Sublayer f, BlockWorkspace ws);

  /**
   * Backward of the last {@link #forward} on {@code ws}: overwrites {@code dx} with the gradient with
   * respect to {@code x} (through both the residual and the sublayer path), adds the norm's weight and
   * bias gradients into their parameters, and lets {@code f} add its own parameter gradients.
   */
  void backward(float[] dout, int doutOff, float[] dx, int dxOff, Sublayer f, BlockWorkspace ws);

  /** Sets the gradients of every {@link #parameters() parameter} to zero. */
  default void zeroGrad() {
    for (Parameter p : parameters()) {
      p.zeroGrad();
    }
  }

  /**
   * Every learnable parameter of this block, in a fixed order: {@code weight} and {@code bias} when present
   * (and, for a Sandwich block, its second norm's {@code weight2} and {@code bias2}). Each has a stable name.
   */
  default java.util.List<Parameter> parameters() {
    return Parameter.present(weight(), bias());
  }
}
