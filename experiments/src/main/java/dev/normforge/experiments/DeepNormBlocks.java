package dev.normforge.experiments;

import dev.normforge.annotations.Norm;
import dev.normforge.annotations.NormModel;
import dev.normforge.annotations.NormType;
import dev.normforge.runtime.ResidualBlock;

/**
 * DeepNorm blocks, {@code out = LayerNorm(alpha·x + F(x))}, one model per depth of the study, so that the
 * processor derives DeepNet's alpha and beta from the layer count.
 *
 * <p>A DeepNet layer holds two sublayers (attention and feed-forward) and DeepNet bounds the update over
 * all of them: {@code Σ (v² + w²)/alpha² = 1} over the 2M sublayers of an M-layer decoder, with
 * {@code v = w = beta}, gives alpha = (2M)^1/4 and beta = (8M)^-1/4. A block of the study holds one
 * feed-forward sublayer, so a stack of L blocks is a decoder of M = L/2 layers: alpha = L^1/4 and
 * beta = (4L)^-1/4, the same bound over the same number of sublayers.
 */
public interface DeepNormBlocks {
  /** 6 blocks: alpha = 6^1/4 = 1.565, beta = 24^-1/4 = 0.452. */
  @NormModel(hidden = StudyBlocks.HIDDEN, decoderLayers = 3)
  interface Depth6 {
    @Norm(type = NormType.DEEP)
    ResidualBlock block();
  }

  /** 18 blocks: alpha = 2.060, beta = 0.343. */
  @NormModel(hidden = StudyBlocks.HIDDEN, decoderLayers = 9)
  interface Depth18 {
    @Norm(type = NormType.DEEP)
    ResidualBlock block();
  }

  /** 24 blocks (the tests' stack): alpha = 2.213, beta = 0.319. */
  @NormModel(hidden = StudyBlocks.HIDDEN, decoderLayers = 12)
  interface Depth24 {
    @Norm(type = NormType.DEEP)
    ResidualBlock block();
  }

  /** 50 blocks: alpha = 2.659, beta = 0.266. */
  @NormModel(hidden = StudyBlocks.HIDDEN, decoderLayers = 25)
  interface Depth50 {
    @Norm(type = NormType.DEEP)
    ResidualBlock block();
  }

  /** 100 blocks: alpha = 3.162, beta = 0.224. */
  @NormModel(hidden = StudyBlocks.HIDDEN, decoderLayers = 50)
  interface Depth100 {
    @Norm(type = NormType.DEEP)
    ResidualBlock block();
  }

  /** 200 blocks: alpha = 3.761, beta = 0.188. */
  @NormModel(hidden = StudyBlocks.HIDDEN, decoderLayers = 100)
  interface Depth200 {
    @Norm(type = NormType.DEEP)
    ResidualBlock block();
  }

  /** 1000 blocks: alpha = 5.623, beta = 0.126. */
  @NormModel(hidden = StudyBlocks.HIDDEN, decoderLayers = 500)
  interface Depth1000 {
    @Norm(type = NormType.DEEP)
    ResidualBlock block();
  }
}
