package dev.normforge.experiments.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normforge.experiments.task.MarkovLanguage;
import org.junit.jupiter.api.Test;

/**
 * The papers' qualitative claims, on small instances of the study (its task, sizes and learning rate),
 * with bounds that a wrong block, a missing alpha/beta or a broken backward would not meet.
 */
class ClaimsTest {
  private static final MarkovLanguage TASK = new MarkovLanguage(16, 2, 1.5, 108);
  private static final Trainer TRAINER = new Trainer(TASK, 1_000_010);
  private static final long[] SEEDS = {1, 2, 3};

  private static RunResult run(Variant variant, int depth, int warmup, int steps, long seed) {
    return TRAINER.run(new RunSpec(variant, depth, warmup, steps, 64, 1e-3, seed));
  }

  /**
   * Xiong et al.: at initialisation, Post-LN's gradient norms do not fall from the input to the output
   * (top-quarter/bottom-quarter ratio above 0.7; the paper sees them grow), Pre-LN's do (below 0.7), and
   * DeepNorm's stay level (within 25 %), at 24 blocks for three seeds.
   */
  @Test
  void gradientNormsAtInitialisation() {
    for (long seed : SEEDS) {
      double post = run(Variant.POST_LN, 24, 0, 1, seed).gradientRatio();
      double pre = run(Variant.PRE_LN, 24, 0, 1, seed).gradientRatio();
      double deep = run(Variant.DEEP_NORM, 24, 0, 1, seed).gradientRatio();
      String all = "seed " + seed + ": Post-LN " + post + ", Pre-LN " + pre + ", DeepNorm " + deep;
      assertTrue(post > 0.7, all);
      assertTrue(pre < 0.7, all);
      assertTrue(deep > 0.8 && deep < 1.25, all);
    }
  }

  /**
   * DeepNet: in the first 20 steps without warm-up, DeepNorm's model update stays well below Post-LN's
   * (under 70 % of it), at 24 blocks for three seeds.
   */
  @Test
  void deepNormBoundsTheEarlyModelUpdate() {
    for (long seed : SEEDS) {
      double post = run(Variant.POST_LN, 24, 0, 20, seed).maxUpdateWithin(20);
      double deep = run(Variant.DEEP_NORM, 24, 0, 20, seed).maxUpdateWithin(20);
      assertTrue(deep < 0.7 * post, "seed " + seed + ": DeepNorm " + deep + ", Post-LN " + post);
    }
  }

  /**
   * DeepNet: at 50 blocks without warm-up, Post-LN learns nothing of the context in 300 steps (its loss
   * ends no lower than 0.05 under the no-context level) while DeepNorm and Pre-LN do (at least 0.15 under).
   */
  @Test
  void postLnStallsAtDepthWhereDeepNormAndPreLnTrain() {
    double level = TASK.unigramEntropy();
    RunResult post = run(Variant.POST_LN, 50, 0, 300, 7);
    RunResult deep = run(Variant.DEEP_NORM, 50, 0, 300, 7);
    RunResult pre = run(Variant.PRE_LN, 50, 0, 300, 7);
    String all = "no-context " + level + ": Post-LN " + post.finalLoss() + ", DeepNorm " + deep.finalLoss()
        + ", Pre-LN " + pre.finalLoss();
    assertTrue(post.finalLoss() > level - 0.05, all);
    assertTrue(deep.finalLoss() < level - 0.15, all);
    assertTrue(pre.finalLoss() < level - 0.15, all);
  }

  /**
   * Xiong et al.: at 18 blocks, warm-up matters to Post-LN (0.1 lower loss after 400 steps with it) and
   * hardly to Pre-LN (within 0.05); Zhang &amp; Sennrich: Pre-RMS trains like Pre-LN (within 0.05).
   */
  @Test
  void warmUpMattersToPostLnAndRmsTrainsLikeLayerNorm() {
    double postCold = run(Variant.POST_LN, 18, 0, 400, 7).finalLoss();
    double postWarm = run(Variant.POST_LN, 18, 100, 400, 7).finalLoss();
    double preCold = run(Variant.PRE_LN, 18, 0, 400, 7).finalLoss();
    double preWarm = run(Variant.PRE_LN, 18, 100, 400, 7).finalLoss();
    double rmsWarm = run(Variant.PRE_RMS, 18, 100, 400, 7).finalLoss();
    String all = "Post-LN " + postCold + " / warm-up " + postWarm + "; Pre-LN " + preCold + " / warm-up " + preWarm
        + "; Pre-RMS, warm-up " + rmsWarm;
    assertTrue(postCold - postWarm > 0.1, all);
    assertTrue(Math.abs(preCold - preWarm) < 0.05, all);
    assertTrue(Math.abs(rmsWarm - preWarm) < 0.05, all);
  }

  /** A run is a function of its spec: the same losses and updates, bit for bit. */
  @Test
  void runsAreDeterministic() {
    RunResult a = run(Variant.SANDWICH_LN, 6, 5, 30, 11);
    RunResult b = run(Variant.SANDWICH_LN, 6, 5, 30, 11);
    assertArrayEquals(a.loss(), b.loss());
    assertArrayEquals(a.update(), b.update());
    assertArrayEquals(a.gradDown(), b.gradDown());
  }
}
