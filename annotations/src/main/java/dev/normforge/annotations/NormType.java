package dev.normforge.annotations;

/** The normalization a {@link Norm} site computes. Math and names follow PyTorch. */
public enum NormType {
  /**
   * LayerNorm over the hidden features of each row: {@code y = (x - mean)·rstd·weight + bias}, with
   * {@code mean} and the biased variance {@code var} taken over the row and {@code rstd = 1/sqrt(var + eps)}.
   */
  LAYER,
  /**
   * RMSNorm over the hidden features of each row: {@code y = x·rstd·weight (+ bias)}, with
   * {@code rstd = 1/sqrt(mean(x²) + eps)}. No bias unless {@link Norm#bias()} is set.
   */
  RMS,
  /**
   * BatchNorm: per-feature statistics over the rows of a batch. Training mode uses the batch's mean and
   * biased variance and updates the running statistics
   * ({@code running = (1 - momentum)·running + momentum·batch}, the running variance from the unbiased
   * batch variance); eval mode normalizes with the running statistics.
   */
  BATCH,
  /**
   * DeepNorm (DeepNet, Wang et al. 2022, "Scaling Transformers to 1,000 Layers"): a Post-Norm block
   * {@code LayerNorm(alpha·x + F(x))} whose {@code alpha} and {@code beta} (the Xavier gain of the sublayer's
   * ffn, v_proj and out_proj weights) are derived from {@link NormModel}'s layer counts unless given.
   */
  DEEP
}
