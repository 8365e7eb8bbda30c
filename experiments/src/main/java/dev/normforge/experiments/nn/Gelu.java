package dev.normforge.experiments.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * GELU with the tanh approximation, as PyTorch's {@code nn.GELU(approximate="tanh")} (GPT-2's and the
 * original BERT code's): {@code gelu(x) = x/2·(1 + tanh(z))}, {@code z = sqrt(2/π)·(x + 0.044715·x³)}.
 *
 * <p>{@code tanh} is the rational minimax approximation Eigen, XLA and ONNX Runtime use for float32
 * ({@code p(z)/q(z)} of degrees 13 and 6 on z clamped to ±7.9053, where tanh rounds to ±1): a few ulp
 * from {@code Math.tanh}, and built only from multiply-adds, a division and min/max, so it gives the same
 * bits interpreted or compiled, unlike the Vector API's {@code TANH}, whose compiled form may differ from
 * its fallback in the last bit.
 */
public final class Gelu {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
  private static final float CUBIC = 0.044715f;
  private static final float CLAMP = 7.90531110763549805f;
  private static final float[] NUMERATOR = {
      -2.76076847742355e-16f, 2.00018790482477e-13f, -8.60467152213735e-11f, 5.12229709037114e-08f,
      1.48572235717979e-05f, 6.37261928875436e-04f, 4.89352455891786e-03f};
  private static final float[] DENOMINATOR = {
      1.19825839466702e-06f, 1.18534705686654e-04f, 2.26843463243900e-03f, 4.89352518554385e-03f};

  private Gelu() {}

  /** {@code g[i] = gelu(u[i])} for {@code count} values. */
  public static void forward(float[] u, int uOff, float[] g, int gOff, int count) {
    for (int i = 0; i < count; i += SPECIES.length()) {
      VectorMask<Float> lanes = SPECIES.indexInRange(i, count);
      FloatVector x = FloatVector.fromArray(SPECIES, u, uOff + i, lanes);
      FloatVector t = tanh(inner(x));
      x.mul(0.5f).mul(t.add(1f)).intoArray(g, gOff + i, lanes);
    }
  }

  /**
   * {@code du[i] = dg[i]·gelu'(u[i])} for {@code count} values, with
   * {@code gelu'(x) = (1 + t)/2 + x/2·(1 - t²)·sqrt(2/π)·(1 + 3·0.044715·x²)}, {@code t = tanh(z)}; {@code du}
   * may be {@code dg} itself.
   */
  public static void backward(float[] u, int uOff, float[] dg, int dgOff, float[] du, int duOff, int count) {
    for (int i = 0; i < count; i += SPECIES.length()) {
      VectorMask<Float> lanes = SPECIES.indexInRange(i, count);
      FloatVector x = FloatVector.fromArray(SPECIES, u, uOff + i, lanes);
      FloatVector t = tanh(inner(x));
      FloatVector dz = x.mul(x).mul(3 * CUBIC).add(1f).mul(SQRT_2_OVER_PI);
      FloatVector slope = t.add(1f).mul(0.5f)
          .add(x.mul(0.5f).mul(t.fma(t.neg(), FloatVector.broadcast(SPECIES, 1f))).mul(dz));
      FloatVector.fromArray(SPECIES, dg, dgOff + i, lanes).mul(slope).intoArray(du, duOff + i, lanes);
    }
  }

  /** {@code z = sqrt(2/π)·(x + 0.044715·x³)}. */
  private static FloatVector inner(FloatVector x) {
    return x.mul(x).mul(CUBIC).fma(x, x).mul(SQRT_2_OVER_PI);
  }

  /** tanh by the rational approximation (see the class comment). */
  static FloatVector tanh(FloatVector z) {
    FloatVector c = z.min(CLAMP).max(-CLAMP);
    FloatVector c2 = c.mul(c);
    FloatVector p = FloatVector.broadcast(SPECIES, NUMERATOR[0]);
    for (int i = 1; i < NUMERATOR.length; i++) {
      p = p.fma(c2, FloatVector.broadcast(SPECIES, NUMERATOR[i]));
    }
    FloatVector q = FloatVector.broadcast(SPECIES, DENOMINATOR[0]);
    for (int i = 1; i < DENOMINATOR.length; i++) {
      q = q.fma(c2, FloatVector.broadcast(SPECIES, DENOMINATOR[i]));
    }
    return p.mul(c).div(q);
  }

  /** Scalar {@code tanh} by the same approximation (for tests and plots: one lane of {@link #tanh(FloatVector)}). */
  static float tanh(float z) {
    return tanh(FloatVector.broadcast(SPECIES, z)).lane(0);
  }
}
