package dev.normforge.annotations;

/** Where a {@link Norm} site sits relative to its residual connection. */
public enum Placement {
  /**
   * Not given: {@link #POST} for {@link NormType#DEEP}; otherwise {@link #PRE} when the site returns a
   * residual block ({@code dev.normforge.runtime.ResidualBlock}) and {@link #NONE} when it returns a plain
   * layer.
   */
  AUTO,
  /** Pre-Norm residual block: {@code out = alpha·x + F(norm(x))}. */
  PRE,
  /** Post-Norm residual block: {@code out = norm(alpha·x + F(x))}. */
  POST,
  /**
   * Sandwich-Norm residual block (CogView, NormFormer, Gemma 2): a norm before and a norm after the
   * sublayer, {@code out = alpha·x + norm2(F(norm1(x)))}; two independent norms of the same configuration,
   * each with its own weight and bias ({@code weight}/{@code bias} and {@code weight2}/{@code bias2}). Row
   * norms only (LAYER, RMS).
   */
  SANDWICH,
  /** A standalone norm with no residual connection (for example the final norm): {@code y = norm(x)}. */
  NONE
}
