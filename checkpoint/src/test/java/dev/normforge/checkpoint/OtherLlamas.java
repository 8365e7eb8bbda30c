package dev.normforge.checkpoint;

import dev.normforge.annotations.Norm;
import dev.normforge.annotations.NormModel;
import dev.normforge.annotations.NormType;
import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.NormModule;

/** Models that do not fit the LLaMA fixture, for the load errors. */
final class OtherLlamas {
  private OtherLlamas() {}

  /** 2 layers: the fixture's layers 2 and 3 are unexpected. */
  @NormModel(hidden = 64, decoderLayers = 2)
  interface TwoLayers extends NormModule {
    @Norm(type = NormType.RMS, name = "model.layers.{layer}.input_layernorm") NormLayer attentionNorm(int layer);
    @Norm(type = NormType.RMS, name = "model.layers.{layer}.post_attention_layernorm") NormLayer ffnNorm(int layer);
    @Norm(type = NormType.RMS, name = "model.norm") NormLayer finalNorm();
  }

  /** 6 layers: layers 4 and 5 are missing from the fixture. */
  @NormModel(hidden = 64, decoderLayers = 6)
  interface SixLayers extends NormModule {
    @Norm(type = NormType.RMS, name = "model.layers.{layer}.input_layernorm") NormLayer attentionNorm(int layer);
    @Norm(type = NormType.RMS, name = "model.layers.{layer}.post_attention_layernorm") NormLayer ffnNorm(int layer);
    @Norm(type = NormType.RMS, name = "model.norm") NormLayer finalNorm();
  }

  /** The final norm over 32 features: its shape differs from the fixture's 64. */
  @NormModel(hidden = 64, decoderLayers = 4)
  interface NarrowHead extends NormModule {
    @Norm(type = NormType.RMS, name = "model.layers.{layer}.input_layernorm") NormLayer attentionNorm(int layer);
    @Norm(type = NormType.RMS, name = "model.layers.{layer}.post_attention_layernorm") NormLayer ffnNorm(int layer);
    @Norm(type = NormType.RMS, name = "model.norm", hidden = 32) NormLayer finalNorm();
  }
}
