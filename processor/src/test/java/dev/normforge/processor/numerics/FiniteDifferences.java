package dev.normforge.processor.numerics;

import java.util.function.Supplier;

/**
 * Central finite differences of a scalar loss {@code L = Σ out·dout}, evaluated in double from float
 * outputs: the gradient backward must produce.
 */
final class FiniteDifferences {
  private FiniteDifferences() {}

  /** The step: large enough that float rounding of the outputs (~1e-7 relative) stays below 1e-4. */
  static final float STEP = 1e-2f;

  /** ∂L/∂v[i] by central differences, perturbing {@code v[i]} in place and restoring it. */
  static double derivative(float[] v, int i, Supplier<Double> loss) {
    float saved = v[i];
    v[i] = saved + STEP;
    double up = loss.get();
    float hiStep = v[i] - saved;
    v[i] = saved - STEP;
    double down = loss.get();
    float loStep = saved - v[i];
    v[i] = saved;
    return (up - down) / (hiStep + loStep);
  }

  /** {@code Σ a·b} in double. */
  static double dot(float[] a, int aOff, float[] b, int bOff, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += (double) a[aOff + i] * b[bOff + i];
    }
    return s;
  }
}
