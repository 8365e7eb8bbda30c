package dev.example;

import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.NormModule;
import dev.normforge.runtime.StateDict;
import dev.normforge.runtime.internal.LayerIndex;
import dev.normforge.runtime.internal.ModelTensors;
import java.lang.Override;
import java.lang.String;
import javax.annotation.processing.Generated;

/**
 * The model class of {@link Llama}: it implements the model type and {@code NormModule}; {@link #create()}
 * makes a new model.
 *
 * <p>The constructor creates every site instance (one per single site, one per layer for a per-layer
 * site) and holds it in a final field, so a model may be shared between threads once created; the
 * thread rules of the sites themselves apply. Sites:
 *
 * <ul>
 *   <li>{@code attentionNorm(int layer)} × 32 (decoderLayers = 32): {@link LlamaAttentionNorm}
 *   <li>{@code ffnNorm(int layer)} × 32 (decoderLayers = 32): {@link LlamaFfnNorm}
 *   <li>{@code finalNorm()}: {@link LlamaFinalNorm}
 * </ul>
 */
@Generated(
    value = "dev.normforge.processor.NormProcessor",
    comments = "from dev.example.Llama"
)
public final class NormforgeLlama implements Llama, NormModule {
  /**
   * What {@link #describe()} returns; also the resource {@code META-INF/normforge/dev.example.Llama.md}.
   */
  private static final String DESCRIPTION = "# Llama\n"
      + "\n"
      + "`dev.example.Llama`, implemented by the generated `dev.example.NormforgeLlama`: 0 encoder and 32 decoder layers; 3 sites, 65 site instances; 266,240 parameters (1,064,960 bytes as float32), 0 buffer values.\n"
      + "\n"
      + "| site | tensors | type | placement | hidden | eps | alpha | beta | parameters | forward bytes/row read / written | backward bytes/row read / written | class |\n"
      + "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
      + "| `attentionNorm(int layer)` × 32 (decoderLayers = 32) | `model.layers.{layer}.input_layernorm.weight` | RMS | NONE | 4096 | 1.0E-5 | – | – | 131,072 (4,096 per layer) | 16,384 / 16,388 | 32,772 / 16,384 | `LlamaAttentionNorm` |\n"
      + "| `ffnNorm(int layer)` × 32 (decoderLayers = 32) | `model.layers.{layer}.post_attention_layernorm.weight` | RMS | NONE | 4096 | 1.0E-5 | – | – | 131,072 (4,096 per layer) | 16,384 / 16,388 | 32,772 / 16,384 | `LlamaFfnNorm` |\n"
      + "| `finalNorm()` | `model.norm.weight` | RMS | NONE | 4096 | 1.0E-5 | – | – | 4,096 | 16,384 / 16,388 | 32,772 / 16,384 | `LlamaFinalNorm` |\n"
      + "\n"
      + "- alpha, beta: a block's residual scale (`alpha·x`) and DeepNet's initialisation gain, each given in the annotation, 1 by default, or DeepNet's formula of the layer counts (N encoder, M decoder layers); – for a standalone norm.\n"
      + "- bytes/row: float32 bytes per row that the site's own kernels read / write in a training forward and in a backward: each row-sized array once per sweep over the rows, 4 per per-row statistic (mean, rstd); a block's sublayer and the per-feature parameters are not counted.\n";

  /**
   * The instances of {@code attentionNorm(int layer)}, one per layer (decoderLayers = 32).
   */
  private final LlamaAttentionNorm[] attentionNorm = new LlamaAttentionNorm[32];

  /**
   * The instances of {@code ffnNorm(int layer)}, one per layer (decoderLayers = 32).
   */
  private final LlamaFfnNorm[] ffnNorm = new LlamaFfnNorm[32];

  /**
   * The instance of {@code finalNorm()}.
   */
  private final LlamaFinalNorm finalNorm;

  /**
   * Every site instance's tensors, by name.
   */
  private final StateDict stateDict;

  private NormforgeLlama() {
    ModelTensors tensors = new ModelTensors();
    for (int layer = 0; layer < 32; layer++) {
      this.attentionNorm[layer] = new LlamaAttentionNorm();
      tensors.add("model.layers.{layer}.input_layernorm", layer, this.attentionNorm[layer]);
    }
    for (int layer = 0; layer < 32; layer++) {
      this.ffnNorm[layer] = new LlamaFfnNorm();
      tensors.add("model.layers.{layer}.post_attention_layernorm", layer, this.ffnNorm[layer]);
    }
    this.finalNorm = new LlamaFinalNorm();
    tensors.add("model.norm", this.finalNorm);
    this.stateDict = tensors.build();
  }

  /**
   * A new model: every site instance created, weights at their initial values, zero gradients.
   */
  public static NormforgeLlama create() {
    return new NormforgeLlama();
  }

  /**
   * Layer {@code layer} of {@code attentionNorm(int layer)}: one {@link LlamaAttentionNorm} per layer (decoderLayers = 32),
   * created with the model.
   * Its tensors: {@code model.layers.{layer}.input_layernorm.weight}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= layer < 32}
   */
  @Override
  public NormLayer attentionNorm(int layer) {
    return this.attentionNorm[LayerIndex.check(layer, 32, "attentionNorm")];
  }

  /**
   * Layer {@code layer} of {@code ffnNorm(int layer)}: one {@link LlamaFfnNorm} per layer (decoderLayers = 32),
   * created with the model.
   * Its tensors: {@code model.layers.{layer}.post_attention_layernorm.weight}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= layer < 32}
   */
  @Override
  public NormLayer ffnNorm(int layer) {
    return this.ffnNorm[LayerIndex.check(layer, 32, "ffnNorm")];
  }

  /**
   * The one {@link LlamaFinalNorm} of {@code finalNorm()}, created with the model.
   * Its tensors: {@code model.norm.weight}.
   */
  @Override
  public NormLayer finalNorm() {
    return this.finalNorm;
  }

  @Override
  public StateDict stateDict() {
    return this.stateDict;
  }

  @Override
  public String describe() {
    return DESCRIPTION;
  }
}
