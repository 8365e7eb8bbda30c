package dev.normforge.benchmarks;

import dev.normforge.annotations.Norm;
import dev.normforge.annotations.NormModel;
import dev.normforge.annotations.NormType;
import dev.normforge.annotations.Placement;
import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.ResidualBlock;

/**
 * The norm sites the benchmarks measure, compiled by the real processor (see this module's pom). Sizes are
 * those of the anchors (GPT-2 small 768, LLaMA-7B 4096); LayerNorm with weight and bias, RMSNorm with weight
 * only, BatchNorm with weight and bias (momentum 0.1), Post-Norm LayerNorm blocks with alpha 1 (the peers'
 * {@code x + f}), eps 1e-5, as the PyTorch and oneDNN peers.
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

  /** Generates {@code BenchModelBatch768}. */
  @Norm(type = NormType.BATCH, hidden = 768)
  BatchNormLayer batch768();

  /** Generates {@code BenchModelBatch4096}. */
  @Norm(type = NormType.BATCH, hidden = 4096)
  BatchNormLayer batch4096();

  /** Generates {@code BenchModelPostLayer768}; its fused kernels are {@code addNormForward/Backward}. */
  @Norm(type = NormType.LAYER, placement = Placement.POST, hidden = 768)
  ResidualBlock postLayer768();

  /** Generates {@code BenchModelPostLayer4096}. */
  @Norm(type = NormType.LAYER, placement = Placement.POST, hidden = 4096)
  ResidualBlock postLayer4096();
}
