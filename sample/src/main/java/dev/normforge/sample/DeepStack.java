package dev.normforge.sample;

import dev.normforge.annotations.Norm;
import dev.normforge.annotations.NormModel;
import dev.normforge.annotations.NormType;
import dev.normforge.annotations.Placement;
import dev.normforge.runtime.ResidualBlock;

/**
 * A 24-layer decoder's residual blocks, one site per placement, to compare them on the same stack. Each
 * site generates one block class; a stack instantiates it once per layer.
 */
@NormModel(hidden = 256, decoderLayers = 24)
public interface DeepStack {
  /** Pre-LN (GPT-2 style): {@code out = x + F(LayerNorm(x))}. Generates {@code DeepStackPreLn}. */
  @Norm(type = NormType.LAYER, placement = Placement.PRE)
  ResidualBlock preLn();

  /** Post-LN (original Transformer): {@code out = LayerNorm(x + F(x))}. Generates {@code DeepStackPostLn}. */
  @Norm(type = NormType.LAYER, placement = Placement.POST)
  ResidualBlock postLn();

  /**
   * DeepNorm: {@code out = LayerNorm(alpha·x + F(x))} with DeepNet's alpha = (2M)^1/4 and beta = (8M)^-1/4
   * for M = 24 decoder layers. Generates {@code DeepStackDeepNorm}.
   */
  @Norm(type = NormType.DEEP)
  ResidualBlock deepNorm();
}
