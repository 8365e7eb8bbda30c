package dev.normforge.benchmarks;

import dev.normforge.annotations.Norm;
import dev.normforge.annotations.NormModel;
import dev.normforge.annotations.NormType;
import dev.normforge.runtime.NormLayer;

/**
 * The norm sites the benchmarks measure, compiled by the real processor (see this module's pom). Sizes are
 * those of the anchors (GPT-2 small 768, LLaMA-7B 4096); LayerNorm with weight and bias, RMSNorm with weight
 * only, eps 1e-5, as the PyTorch and oneDNN peers.
 */
@NormModel
public interface BenchModel {
  /** Generates {@code BenchModelLayer768}. */
  @Norm(type = NormType.LAYER, hidden = 768)
  NormLayer layer768();

  /** Generates {@code BenchModelLayer4096}. */
  @Norm(type = NormType.LAYER, hidden = 4096)
  NormLayer layer4096();

  /** Generates {@code BenchModelRms768}. */
  @Norm(type = NormType.RMS, hidden = 768, eps = 1e-5)
  NormLayer rms768();

  /** Generates {@code BenchModelRms4096}. */
  @Norm(type = NormType.RMS, hidden = 4096, eps = 1e-5)
  NormLayer rms4096();
}
