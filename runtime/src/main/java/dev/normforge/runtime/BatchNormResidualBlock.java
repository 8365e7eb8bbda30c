package dev.normforge.runtime;

/**
 * A residual block around BatchNorm ({@code out = alpha·x + F(BN(x))} for Pre-Norm,
 * {@code out = BN(alpha·x + F(x))} for Post-Norm), as generated for a BATCH site that returns
 * {@link ResidualBlock}. Its {@link #forward} is a training forward (batch statistics); {@link #norm()} is
 * the block's BatchNorm, for the running statistics and for inference.
 */
public interface BatchNormResidualBlock extends ResidualBlock {
  /** The block's BatchNorm: its running statistics, and {@code forwardEval} for inference. */
  BatchNormLayer norm();
}
