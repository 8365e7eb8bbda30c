package dev.normforge.sample;

import dev.normforge.annotations.Norm;
import dev.normforge.annotations.NormModel;
import dev.normforge.annotations.NormType;
import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.runtime.NormLayer;

/** The model description of a small GPT-style decoder: the processor generates one class per site. */
@NormModel(hidden = 768, decoderLayers = 12)
public interface TinyGpt {
  /** RMSNorm before attention (LLaMA style), eps 1e-6. Generates {@code TinyGptAttentionNorm}. */
  @Norm(type = NormType.RMS, eps = 1e-6)
  NormLayer attentionNorm();

  /** The final LayerNorm. Generates {@code TinyGptFinalNorm}. */
  @Norm(type = NormType.LAYER)
  NormLayer finalNorm();

  /** A LayerNorm with an odd size and no bias, to show the tail handling. Generates {@code TinyGptHeadNorm}. */
  @Norm(type = NormType.LAYER, hidden = 100, bias = false)
  NormLayer headNorm();

  /**
   * BatchNorm over the features of a batch of rows (PyTorch's BatchNorm1d), as an ablation of the final
   * norm: per-feature statistics over the rows, running statistics for eval. Generates {@code TinyGptBatchNorm}.
   */
  @Norm(type = NormType.BATCH, momentum = 0.1)
  BatchNormLayer batchNorm();
}
