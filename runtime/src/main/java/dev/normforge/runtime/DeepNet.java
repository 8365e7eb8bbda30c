package dev.normforge.runtime;

import dev.normforge.runtime.internal.exec.Checks;

/**
 * DeepNet's constants, the one place they are defined (the processor derives a DEEP site's alpha and beta
 * from here too). Source: Wang et al. 2022, "DeepNet: Scaling Transformers to 1,000 Layers", Figure 2:
 * with N encoder and M decoder layers,
 *
 * <ul>
 *   <li>encoder-only: alpha = (2N)^1/4, beta = (8N)^-1/4;
 *   <li>decoder-only: alpha = (2M)^1/4, beta = (8M)^-1/4;
 *   <li>encoder-decoder, encoder blocks: alpha = 0.81·(N⁴M)^1/16, beta = 0.87·(N⁴M)^-1/16;
 *   <li>encoder-decoder, decoder blocks: alpha = (3M)^1/4, beta = (12M)^-1/4.
 * </ul>
 *
 * alpha scales the residual ({@code LayerNorm(alpha·x + F(x))}); beta is the gain of the Xavier-normal
 * initialisation ({@link Init#xavierNormal}{@code (w, fanIn, fanOut, beta, random)}) of the sublayer's ffn,
 * v_proj and out_proj weights; q_proj and k_proj keep gain 1. A generated DeepNorm block reports both as
 * {@link ResidualBlock#alpha()} and {@link ResidualBlock#beta()}.
 */
public final class DeepNet {
  private DeepNet() {}

  /** Which blocks a pair of constants is for. */
  public enum Stack {
    /** An encoder block. */
    ENCODER,
    /** A decoder block. */
    DECODER
  }

  /**
   * alpha for a block of {@code stack} in a model with {@code n} encoder and {@code m} decoder layers
   * (0 = no such stack).
   *
   * @throws IllegalArgumentException if a count is negative or the model has no layers of {@code stack}
   */
  public static double alpha(Stack stack, int n, int m) {
    check(stack, n, m);
    if (n > 0 && m > 0) {
      return stack == Stack.ENCODER ? 0.81 * Math.pow(Math.pow(n, 4) * m, 1.0 / 16) : Math.pow(3.0 * m, 0.25);
    }
    return Math.pow(2.0 * (n + m), 0.25);
  }

  /** beta for a block of {@code stack}; arguments as {@link #alpha}. */
  public static double beta(Stack stack, int n, int m) {
    check(stack, n, m);
    if (n > 0 && m > 0) {
      return stack == Stack.ENCODER ? 0.87 * Math.pow(Math.pow(n, 4) * m, -1.0 / 16) : Math.pow(12.0 * m, -0.25);
    }
    return Math.pow(8.0 * (n + m), -0.25);
  }

  /** {@link #alpha}'s formula, as text for descriptions: {@code (2M)^1/4}; arguments as {@link #alpha}. */
  public static String alphaFormula(Stack stack, int n, int m) {
    check(stack, n, m);
    if (n > 0 && m > 0) {
      return stack == Stack.ENCODER ? "0.81·(N⁴M)^1/16" : "(3M)^1/4";
    }
    return n > 0 ? "(2N)^1/4" : "(2M)^1/4";
  }

  /** {@link #beta}'s formula, as text for descriptions: {@code (8M)^-1/4}; arguments as {@link #alpha}. */
  public static String betaFormula(Stack stack, int n, int m) {
    check(stack, n, m);
    if (n > 0 && m > 0) {
      return stack == Stack.ENCODER ? "0.87·(N⁴M)^-1/16" : "(12M)^-1/4";
    }
    return n > 0 ? "(8N)^-1/4" : "(8M)^-1/4";
  }

  private static void check(Stack stack, int n, int m) {
    Checks.notNull("stack", stack);
    if (n < 0 || m < 0) {
      throw new IllegalArgumentException("layer counts must be >= 0, got N=" + n + ", M=" + m);
    }
    if ((stack == Stack.ENCODER ? n : m) == 0) {
      throw new IllegalArgumentException(
          "no " + stack.name().toLowerCase() + " layers (N=" + n + ", M=" + m + ")");
    }
  }
}
