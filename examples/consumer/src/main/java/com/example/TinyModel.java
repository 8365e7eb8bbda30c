package com.example;

import dev.normforge.annotations.Norm;
import dev.normforge.annotations.NormModel;
import dev.normforge.annotations.NormType;
import dev.normforge.runtime.NormLayer;

/** The norms of a small model: the processor writes one class per site when this compiles. */
@NormModel(hidden = 64)
public interface TinyModel {
  /** RMSNorm, eps 1e-6: generates {@code TinyModelAttentionNorm}. */
  @Norm(type = NormType.RMS, eps = 1e-6)
  NormLayer attentionNorm();

  /** LayerNorm with weight and bias: generates {@code TinyModelFinalNorm}. */
  @Norm(type = NormType.LAYER)
  NormLayer finalNorm();
}
