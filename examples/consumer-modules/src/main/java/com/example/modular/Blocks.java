package com.example.modular;

import dev.normforge.annotations.Norm;
import dev.normforge.annotations.NormModel;
import dev.normforge.annotations.NormType;
import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.ResidualBlock;

/** A model in a named module: the generated classes land in this package, inside this module. */
@NormModel(hidden = 32, decoderLayers = 6)
public interface Blocks {
  /** LayerNorm: generates {@code BlocksNorm}. */
  @Norm(type = NormType.LAYER)
  NormLayer norm();

  /** A DeepNorm residual block: generates {@code BlocksDeep}. */
  @Norm(type = NormType.DEEP)
  ResidualBlock deep();
}
