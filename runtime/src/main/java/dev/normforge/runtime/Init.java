package dev.normforge.runtime;

import dev.normforge.runtime.internal.exec.Checks;
import java.util.Random;

/** Weight initialisers. */
public final class Init {
  private Init() {}

  /**
   * Xavier (Glorot) normal initialisation with a gain, as PyTorch's {@code xavier_normal_(w, gain)}: every
   * value drawn from {@code N(0, std²)} with {@code std = gain·sqrt(2/(fanIn + fanOut))}. DeepNet
   * initialises the ffn, v_proj and out_proj weights of its blocks this way with {@code gain = beta}
   * ({@link ResidualBlock#beta()}), and q_proj/k_proj with gain 1.
   *
   * @throws IllegalArgumentException if a fan is &lt; 1 or {@code gain} is not finite and &gt;= 0
   */
  public static void xavierNormal(float[] w, int fanIn, int fanOut, double gain, Random random) {
    Checks.notNull("w", w);
    Checks.notNull("random", random);
    if (fanIn < 1 || fanOut < 1) {
      throw new IllegalArgumentException("fanIn and fanOut must be >= 1, got " + fanIn + " and " + fanOut);
    }
    if (!(gain >= 0) || Double.isInfinite(gain)) {
      throw new IllegalArgumentException("gain must be finite and >= 0, got " + gain);
    }
    double std = gain * Math.sqrt(2.0 / ((double) fanIn + fanOut));
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (std * random.nextGaussian());
    }
  }
}
