package dev.normforge.sample;

import dev.normforge.annotations.Norm;
import dev.normforge.annotations.NormModel;
import dev.normforge.annotations.NormType;
import dev.normforge.annotations.Placement;
import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.NormModule;
import dev.normforge.runtime.ResidualBlock;

/**
 * The norms of a LLaMA-style decoder, named as Hugging Face's LLaMA checkpoints name them: each layer is two
 * Pre-RMSNorm residual blocks, {@code h = x + attention(input_layernorm(x))} and
 * {@code out = h + mlp(post_attention_layernorm(h))}, and a final RMSNorm. The sizes are those of the
 * checkpoint in {@code checkpoints/} (4 layers of 64 features); a real LLaMA 2 7B is {@code hidden = 4096,
 * decoderLayers = 32}. The processor generates {@code NormforgeLlama}, which implements this interface.
 */
@NormModel(hidden = 64, decoderLayers = Llama.LAYERS)
public interface Llama extends NormModule {
  /** Decoder layers. */
  int LAYERS = 4;

  /** The attention block of layer {@code layer}, around the caller's attention. */
  @Norm(type = NormType.RMS, placement = Placement.PRE, eps = 1e-6, name = "model.layers.{layer}.input_layernorm")
  ResidualBlock attention(int layer);

  /** The MLP block of layer {@code layer}. */
  @Norm(type = NormType.RMS, placement = Placement.PRE, eps = 1e-6,
      name = "model.layers.{layer}.post_attention_layernorm")
  ResidualBlock mlp(int layer);

  /** The norm after the last layer. */
  @Norm(type = NormType.RMS, eps = 1e-6, name = "model.norm")
  NormLayer finalNorm();

  /** A new model: every norm at weight 1. */
  static Llama create() {
    return NormforgeLlama.create();
  }
}
