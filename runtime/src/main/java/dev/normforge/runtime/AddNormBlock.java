package dev.normforge.runtime;

/**
 * A Post-Norm (or DeepNorm) residual block, {@code out = norm(alpha·x + F(x))}, whose fused residual add
 * and norm kernels are public, with array + offset arguments, for callers with their own graph. Every
 * generated block of placement {@code POST} or type {@code DEEP} (a LayerNorm or RMSNorm) implements it:
 *
 * <pre>{@code
 * AddNormBlock post = (AddNormBlock) block;
 * post.addNormForward(x, 0, f, 0, s, 0, y, 0, rows, mean, rstd, 0);
 * post.addNormBackward(s, 0, dy, 0, ds, 0, dx, 0, rows, mean, rstd, 0);
 * }</pre>
 */
public interface AddNormBlock extends ResidualBlock {
  /**
   * The fused residual add and norm, for {@code rows} rows: {@code s = alpha·x + f} (written: it is the
   * residual stream, e.g. the next Pre-Norm block's input) and {@code y = norm(s)}, saving each row's
   * statistics of {@code s} at {@code statsOff + r} for {@link #addNormBackward}. One pass per row computes
   * and writes {@code s} and sums it; the norm's remaining passes read {@code s}.
   *
   * <p>Any of {@code x}, {@code f}, {@code s}, {@code y} may be the same region (same array and offset), e.g.
   * {@code y = f} to normalize in place. Partly overlapping regions, and statistics sharing memory with a row
   * array or with each other, are refused with {@link IllegalArgumentException}.
   *
   * @param mean per-row means of {@code s}, written at {@code statsOff + r}; LayerNorm only (may be null
   *     for RMSNorm)
   * @param rstd per-row {@code 1/sqrt(var(s) + eps)}, written at {@code statsOff + r}
   * @throws NullPointerException naming the argument, if a required array is null
   * @throws IllegalArgumentException naming the argument, if {@code rows < 0}, an offset is negative or an
   *     array is too short; nothing is written then
   */
  void addNormForward(
      float[] x, int xOff, float[] f, int fOff, float[] s, int sOff, float[] y, int yOff, int rows,
      float[] mean, float[] rstd, int statsOff);

  /**
   * The backward of {@link #addNormForward}, for {@code rows} rows, given {@code dy} (the gradient with
   * respect to {@code y}) and the saved {@code s} and statistics: in one pass per row writes
   * {@code ds = norm'(s)ᵀ·dy}, the gradient with respect to {@code s} and so with respect to {@code f}, and
   * {@code dx = alpha·ds}, the residual path's gradient with respect to {@code x} (overwritten: add the
   * sublayer's path afterwards, as {@code F.backward(x, ds, dx)} does); adds {@code Σ dy·shat} into the
   * weight's gradient and {@code Σ dy} into the bias's.
   *
   * <p>{@code ds} may be {@code dy} itself (same array and offset); any other overlap of {@code ds} or
   * {@code dx} with another argument is refused.
   *
   * @throws NullPointerException naming the argument, if a required array is null
   * @throws IllegalArgumentException naming the argument, if {@code rows < 0}, an offset is negative, an
   *     array is too short, or outputs overlap other arguments as above; nothing is written then
   * @throws IllegalStateException if another backward on this block is running
   */
  void addNormBackward(
      float[] s, int sOff, float[] dy, int dyOff, float[] ds, int dsOff, float[] dx, int dxOff, int rows,
      float[] mean, float[] rstd, int statsOff);
}
