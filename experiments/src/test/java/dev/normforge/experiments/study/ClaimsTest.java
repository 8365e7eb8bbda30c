package dev.normforge.experiments.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normforge.experiments.task.MarkovLanguage;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The papers' qualitative claims, on small instances of the study (its task, hidden size and learning rate;
 * batches of 32 rows, at most 300 steps), with bounds that a wrong block, a missing alpha/beta or a broken
 * backward would not meet. Each test's comment gives the values seen when its bounds were set; the trained
 * claims use the study's seed, 7 (seeds 1 to 3 meet the same bounds, the thinnest margin 0.03). Runs are
 * deterministic, but a change in the kernels' last bits can move a trained loss: with the runtime's last
 * numerics change most of the full study's losses moved by less than 0.01, runs on the edge of stalling by
 * 0.1-0.3 (Post-LN at 18 blocks among them), so the spread over seeds is the better guide to the margins.
 * Batches of 64 rows separate the placements less: Post-LN starts to leave the no-context level within 300
 * steps.
 */
class ClaimsTest {
  private static final MarkovLanguage TASK = new MarkovLanguage(16, 2, 1.5, 108);
  private static final Trainer TRAINER = new Trainer(TASK, 1_000_010);
  private static final long[] SEEDS = {1, 2, 3};
  private static final int BATCH = 32;
  /** The runs of this class, by spec: a run that two claims read is trained once. */
  private static final Map<RunSpec, RunResult> RUNS = new HashMap<>();

  private static RunResult run(Variant variant, int depth, int warmup, int steps, long seed) {
    return RUNS.computeIfAbsent(new RunSpec(variant, depth, warmup, steps, BATCH, 1e-3, seed), TRAINER::run);
  }

  /**
   * Xiong et al.: at initialisation, Post-LN's gradient norms do not fall from the input to the output
   * (top-quarter/bottom-quarter ratio above 0.7; the paper sees them grow), Pre-LN's do (below 0.7), and
   * DeepNorm's stay level (within 25 %), at 24 blocks for three seeds. Seen: Post-LN 1.02, 0.77, 0.96;
   * Pre-LN 0.53, 0.58, 0.53; DeepNorm 1.00, 0.99, 1.00 (these are step 0's, before any chaos of training:
   * a change in the last bits of the kernels does not move them).
   */
  @Test
  void gradientNormsAtInitialisation() {
    for (long seed : SEEDS) {
      double post = run(Variant.POST_LN, 24, 0, 20, seed).gradientRatio();
      double pre = run(Variant.PRE_LN, 24, 0, 1, seed).gradientRatio();
      double deep = run(Variant.DEEP_NORM, 24, 0, 20, seed).gradientRatio();
      String all = "seed " + seed + ": Post-LN " + post + ", Pre-LN " + pre + ", DeepNorm " + deep;
      assertTrue(post > 0.7, all);
      assertTrue(pre < 0.7, all);
      assertTrue(deep > 0.8 && deep < 1.25, all);
    }
  }

  /**
   * DeepNet: in the first 20 steps without warm-up, DeepNorm's model update stays well below Post-LN's
   * (under 70 % of it), at 24 blocks for three seeds (the same runs as the gradients'). Seen: 0.45, 0.49 and
   * 0.38 of it (DeepNorm 0.19-0.20, Post-LN 0.40-0.52).
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
   * DeepNet: at 24 blocks without warm-up, Post-LN learns nothing of the context in 300 steps (its loss ends
   * no lower than 0.05 under the no-context level), while DeepNorm ends at least 0.08 under Post-LN and
   * Pre-LN at least 0.15 under it. Seen: no-context 2.763, Post-LN 2.781, DeepNorm 2.596, Pre-LN 2.430.
   */
  @Test
  void postLnStallsAtDepthWhereDeepNormAndPreLnTrain() {
    double level = TASK.unigramEntropy();
    double post = run(Variant.POST_LN, 24, 0, 300, 7).finalLoss();
    double deep = run(Variant.DEEP_NORM, 24, 0, 300, 7).finalLoss();
    double pre = run(Variant.PRE_LN, 24, 0, 300, 7).finalLoss();
    String all = "no-context " + level + ": Post-LN " + post + ", DeepNorm " + deep + ", Pre-LN " + pre;
    assertTrue(post > level - 0.05, all);
    assertTrue(deep < post - 0.08, all);
    assertTrue(pre < post - 0.15, all);
  }

  /**
   * Xiong et al.: at 18 blocks and 300 steps, a warm-up of 100 steps lowers Post-LN's loss by more than 0.1,
   * changes Pre-LN's by less than 0.08, and Pre-LN without warm-up ends under Post-LN with it. Seen:
   * Post-LN 2.759 / warm-up 2.521, Pre-LN 2.373 / warm-up 2.352.
   */
  @Test
  void postLnNeedsWarmUpAndPreLnDoesNot() {
    double postCold = run(Variant.POST_LN, 18, 0, 300, 7).finalLoss();
    double postWarm = run(Variant.POST_LN, 18, 100, 300, 7).finalLoss();
    double preCold = run(Variant.PRE_LN, 18, 0, 300, 7).finalLoss();
    double preWarm = run(Variant.PRE_LN, 18, 100, 300, 7).finalLoss();
    String all = "Post-LN " + postCold + " / warm-up " + postWarm + "; Pre-LN " + preCold + " / warm-up " + preWarm;
    assertTrue(postCold - postWarm > 0.1, all);
    assertTrue(Math.abs(preCold - preWarm) < 0.08, all);
    assertTrue(preCold < postWarm, all);
  }

  /**
   * Zhang &amp; Sennrich: Pre-RMS trains like Pre-LN, within 0.05 after 300 steps at 24 blocks (the Pre-LN run
   * of the stall claim), while both end 0.2 under the loss at initialisation. Seen: 2.430 and 2.442, from 3.42
   * and 3.40.
   */
  @Test
  void rmsNormTrainsLikeLayerNorm() {
    RunResult ln = run(Variant.PRE_LN, 24, 0, 300, 7);
    RunResult rms = run(Variant.PRE_RMS, 24, 0, 300, 7);
    String all = "Pre-LN " + ln.startLoss() + " -> " + ln.finalLoss() + ", Pre-RMS " + rms.startLoss() + " -> "
        + rms.finalLoss();
    assertTrue(Math.abs(rms.finalLoss() - ln.finalLoss()) < 0.05, all);
    assertTrue(ln.finalLoss() < ln.startLoss() - 0.2 && rms.finalLoss() < rms.startLoss() - 0.2, all);
  }

  /** A run is a function of its spec: the same losses and updates, bit for bit. */
  @Test
  void runsAreDeterministic() {
    RunSpec spec = new RunSpec(Variant.SANDWICH_LN, 6, 5, 30, BATCH, 1e-3, 11);
    RunResult a = TRAINER.run(spec);
    RunResult b = TRAINER.run(spec);
    assertArrayEquals(a.loss(), b.loss());
    assertArrayEquals(a.update(), b.update());
    assertArrayEquals(a.gradDown(), b.gradDown());
  }
}
