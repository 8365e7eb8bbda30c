package dev.normforge.testing;

import dev.normforge.runtime.Init;
import dev.normforge.runtime.Parameter;
import dev.normforge.runtime.Sublayer;
import dev.normforge.runtime.internal.Lanes;
import dev.normforge.runtime.internal.exec.Aliasing;
import dev.normforge.runtime.internal.exec.Checks;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A square linear sublayer, {@code y = x·Wᵀ + b}, with {@code W} a {@code [hidden][hidden]} row-major
 * weight ({@code W[i·hidden + j]} maps input feature {@code j} to output feature {@code i}) and an optional
 * bias: enough for samples and tests of residual blocks, not a tuned matrix multiply. Weight starts at 0
 * (initialise it, e.g. with {@link Init#xavierNormal}), bias at 0.
 */
public final class Linear implements Sublayer {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private final int hidden;
  private final Parameter weight;
  private final Parameter bias;

  /** A {@code hidden × hidden} layer, with a bias when {@code bias}. */
  public Linear(int hidden, boolean bias) {
    if (hidden < 1) {
      throw new IllegalArgumentException("hidden must be >= 1, got " + hidden);
    }
    if ((long) hidden * hidden > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("hidden = " + hidden + " is too large: hidden² must fit an array");
    }
    this.hidden = hidden;
    this.weight = new Parameter("W", hidden * hidden, 0f);
    this.bias = bias ? new Parameter("b", hidden, 0f) : null;
  }

  /** Features in and out. */
  public int hidden() {
    return hidden;
  }

  /** {@code W}, row-major {@code [hidden][hidden]}, and its gradient. */
  public Parameter weight() {
    return weight;
  }

  /** {@code b} and its gradient, or null. */
  public Parameter bias() {
    return bias;
  }

  /** Sets the gradients of W and b to zero. */
  public void zeroGrad() {
    weight.zeroGrad();
    if (bias != null) {
      bias.zeroGrad();
    }
  }

  @Override
  public void forward(float[] in, int inOff, float[] out, int outOff, int rows) {
    Checks.rows(rows);
    Checks.rows("in", in, inOff, rows, hidden);
    Checks.rows("out", out, outOff, rows, hidden);
    Aliasing.separate("out", out, outOff, "in", in, inOff, (long) rows * hidden);
    float[] w = weight.value();
    for (int r = 0; r < rows; r++) {
      int xo = inOff + r * hidden;
      for (int i = 0; i < hidden; i++) {
        float y = dot(w, i * hidden, in, xo, hidden);
        out[outOff + r * hidden + i] = bias == null ? y : y + bias.value()[i];
      }
    }
  }

  /** Adds {@code dOut·W} into {@code dIn}, {@code dOutᵀ·in} into W's gradient and {@code Σ dOut} into b's. */
  @Override
  public void backward(float[] in, int inOff, float[] dOut, int dOutOff, float[] dIn, int dInOff, int rows) {
    Checks.rows(rows);
    Checks.rows("in", in, inOff, rows, hidden);
    Checks.rows("dOut", dOut, dOutOff, rows, hidden);
    Checks.rows("dIn", dIn, dInOff, rows, hidden);
    Aliasing.separate("dIn", dIn, dInOff, "dOut", dOut, dOutOff, (long) rows * hidden);
    float[] w = weight.value();
    float[] dw = weight.grad();
    for (int r = 0; r < rows; r++) {
      int xo = inOff + r * hidden;
      int go = dOutOff + r * hidden;
      int dxo = dInOff + r * hidden;
      for (int i = 0; i < hidden; i++) {
        float g = dOut[go + i];
        axpy(g, w, i * hidden, dIn, dxo, hidden);
        axpy(g, in, xo, dw, i * hidden, hidden);
        if (bias != null) {
          bias.grad()[i] += g;
        }
      }
    }
  }

  private static float dot(float[] a, int ao, float[] b, int bo, int n) {
    var acc = FloatVector.zero(SPECIES);
    int j = 0;
    for (int bound = SPECIES.loopBound(n); j < bound; j += SPECIES.length()) {
      acc = FloatVector.fromArray(SPECIES, a, ao + j).fma(FloatVector.fromArray(SPECIES, b, bo + j), acc);
    }
    float s = Lanes.sum(acc); // a fixed order: the same bits interpreted or compiled
    for (; j < n; j++) {
      s += a[ao + j] * b[bo + j];
    }
    return s;
  }

  /** {@code y[yo + j] += a·x[xo + j]}. */
  private static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
    int j = 0;
    for (int bound = SPECIES.loopBound(n); j < bound; j += SPECIES.length()) {
      FloatVector.fromArray(SPECIES, x, xo + j).mul(a).add(FloatVector.fromArray(SPECIES, y, yo + j)).intoArray(y, yo + j);
    }
    for (; j < n; j++) {
      y[yo + j] += a * x[xo + j];
    }
  }

  @Override
  public String toString() {
    return "Linear(" + hidden + " -> " + hidden + (bias == null ? ", no bias" : "") + ")";
  }
}
