package dev.normforge.runtime;

import java.util.List;

/**
 * A model as users hold it: the class normforge generates for a {@code @NormModel} type
 * ({@code NormforgeTinyGpt} for {@code TinyGpt}) implements the model type and this interface. Its site
 * methods return the site instances; this interface adds what concerns the model as a whole: its tensors
 * by name (PyTorch's {@code state_dict}), their gradients, and checkpoints through them (module
 * {@code normforge-checkpoint}).
 *
 * <p>A model type may extend this interface itself, so that these methods are at hand on the model type:
 *
 * <pre>{@code
 * @NormModel(hidden = 4096, decoderLayers = 32)
 * public interface Llama extends NormModule {
 *   @Norm(type = NormType.RMS, name = "model.layers.{layer}.input_layernorm") NormLayer attentionNorm(int layer);
 *   static Llama create() { return NormforgeLlama.create(); }
 * }
 * }</pre>
 */
public interface NormModule {
  /**
   * Every tensor of every site instance with its model-wide name, in a fixed order: parameters
   * ({@code layers.3.attention_norm.weight}) and buffers ({@code bn.running_mean}). Built once; the arrays
   * are the live ones the kernels read.
   */
  StateDict stateDict();

  /** The learnable tensors of {@link #stateDict()}, in order: PyTorch's {@code named_parameters()}. */
  default List<NamedTensor> parameters() {
    return stateDict().parameters();
  }

  /** The buffers of {@link #stateDict()} (BatchNorm's running statistics), in order. */
  default List<NamedTensor> buffers() {
    return stateDict().buffers();
  }

  /**
   * The model's description, in Markdown, written by the processor (and also generated as the resource
   * {@code META-INF/normforge/<model>.md}): one row per site with its tensors, type, placement, hidden, eps,
   * alpha and beta (with where each came from: given, default or DeepNet's formula), parameter count, the
   * bytes per row its forward and backward read and write, and its generated class.
   */
  String describe();

  /** Sets the gradient of every parameter of every site to zero. */
  default void zeroGrad() {
    for (NamedTensor t : stateDict()) {
      t.zeroGrad();
    }
  }
}
