package dev.normforge.processor.testing;

/**
 * Comparison of float results against float64 answers: {@code |got - want| <= abs + rel·|want|}. Each
 * failure names what was compared, the index, both values and the bound.
 */
public record Tolerance(double abs, double rel) {
  /** For float32 kernels against float64 answers on well-scaled data (the golden README's suggestion). */
  public static final Tolerance FLOAT = new Tolerance(1e-5, 1e-4);

  /** Throws naming {@code what} at the first element outside the tolerance. */
  public void check(String what, double[] want, float[] got, int gotOffset, int count) {
    for (int i = 0; i < count; i++) {
      check(what, i, want[i], got[gotOffset + i]);
    }
  }

  /** Throws unless {@code got} is within tolerance of {@code want}. */
  public void check(String what, int index, double want, double got) {
    double bound = abs + rel * Math.abs(want);
    if (!(Math.abs(got - want) <= bound) && !(Double.isNaN(want) && Double.isNaN(got))
        && !(Double.isInfinite(want) && want == got)) {
      throw new AssertionError(String.format(
          "%s[%d]: got %s, want %s (|diff| %.3g > %.3g = %.0e + %.0e·|want|)",
          what, index, got, want, Math.abs(got - want), bound, abs, rel));
    }
  }

  /** The largest {@code |got - want| / (abs + rel·|want|)}: 1 is the edge of the tolerance. */
  public double worst(double[] want, float[] got, int gotOffset, int count) {
    double worst = 0;
    for (int i = 0; i < count; i++) {
      worst = Math.max(worst, Math.abs(got[gotOffset + i] - want[i]) / (abs + rel * Math.abs(want[i])));
    }
    return worst;
  }
}
