package dev.normforge.checkpoint;

import dev.normforge.annotations.Norm;
import dev.normforge.annotations.NormModel;
import dev.normforge.annotations.NormType;
import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.NormModule;

/** The norms of the LLaMA-style fixture (gen.py): hidden 64, 4 layers, Hugging Face's names. */
@NormModel(hidden = 64, decoderLayers = 4)
public interface LlamaNorms extends NormModule {
  @Norm(type = NormType.RMS, eps = 1e-6, name = "model.layers.{layer}.input_layernorm")
  NormLayer attentionNorm(int layer);

  @Norm(type = NormType.RMS, eps = 1e-6, name = "model.layers.{layer}.post_attention_layernorm")
  NormLayer ffnNorm(int layer);

  @Norm(type = NormType.RMS, eps = 1e-6, name = "model.norm")
  NormLayer finalNorm();

  static LlamaNorms create() {
    return NormforgeLlamaNorms.create();
  }
}
