package dev.normforge.experiments.nn;

import dev.normforge.runtime.Init;
import dev.normforge.runtime.Parameter;
import java.util.List;
import java.util.Random;

/**
 * A fully connected layer as PyTorch's {@code nn.Linear}: {@code y = x·Wᵀ + b} over row-major batches, with
 * {@code W} of shape {@code [out][in]} ({@code W[o·in + i]} maps input feature {@code i} to output
 * {@code o}) and a bias. Parameters start at 0; {@link #initXavier} draws the weight.
 *
 * <p>Forward multiplies by a transposed copy of {@code W} made at each call (so every product reads
 * contiguous rows; the copy costs {@code in·out}, small next to the {@code rows·in·out} of the product).
 */
public final class Dense {
  private static final int TILE = 16;

  private final int in;
  private final int out;
  private final Parameter weight;
  private final Parameter bias;
  private final float[] transposed;

  /** A layer from {@code in} to {@code out} features; its parameters are named {@code name.weight}, {@code name.bias}. */
  public Dense(String name, int in, int out) {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException(name + ": in and out must be >= 1, got " + in + " and " + out);
    }
    this.in = in;
    this.out = out;
    this.weight = new Parameter(name + ".weight", in * out, 0f);
    this.bias = new Parameter(name + ".bias", out, 0f);
    this.transposed = new float[in * out];
  }

  public int in() {
    return in;
  }

  public int out() {
    return out;
  }

  public Parameter weight() {
    return weight;
  }

  public Parameter bias() {
    return bias;
  }

  /** Weight and bias, in that order. */
  public List<Parameter> parameters() {
    return List.of(weight, bias);
  }

  /** Xavier-normal weight with {@code gain} (PyTorch's {@code xavier_normal_}), zero bias. */
  public void initXavier(double gain, Random random) {
    Init.xavierNormal(weight.value(), in, out, gain, random);
    java.util.Arrays.fill(bias.value(), 0f);
  }

  /** Weight drawn from {@code N(0, std²)}, zero bias. */
  public void initNormal(double std, Random random) {
    float[] w = weight.value();
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (std * random.nextGaussian());
    }
    java.util.Arrays.fill(bias.value(), 0f);
  }

  /** {@code y = x·Wᵀ + b} for {@code rows} rows; overwrites {@code y}. */
  public void forward(float[] x, int xOff, float[] y, int yOff, int rows) {
    transpose(weight.value(), transposed);
    float[] b = bias.value();
    for (int r = 0; r < rows; r++) {
      System.arraycopy(b, 0, y, yOff + r * out, out);
    }
    MatMul.multiply(rows, out, in, x, xOff, in, 1, transposed, 0, out, y, yOff, out, true);
  }

  /**
   * Backward at input {@code x}: adds {@code dYᵀ·x} into W's gradient and {@code Σ_rows dY} into b's;
   * writes {@code dY·W} into {@code dx} (adds it when {@code accumulate}, overwrites otherwise), or skips
   * it when {@code dx} is null. {@code dx} may be {@code x} itself: {@code x} is read for the weight
   * gradient only, before {@code dx} is written.
   */
  public void backward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int rows,
      boolean accumulate) {
    MatMul.multiply(out, in, rows, dy, dyOff, 1, out, x, xOff, in, weight.grad(), 0, in, true);
    float[] db = bias.grad();
    for (int r = 0; r < rows; r++) {
      int row = dyOff + r * out;
      for (int o = 0; o < out; o++) {
        db[o] += dy[row + o];
      }
    }
    if (dx != null) {
      MatMul.multiply(rows, in, out, dy, dyOff, out, 1, weight.value(), 0, in, dx, dxOff, in, accumulate);
    }
  }

  /** {@code t[i·out + o] = w[o·in + i]}, in tiles that keep both sides' cache lines in use. */
  private void transpose(float[] w, float[] t) {
    for (int o0 = 0; o0 < out; o0 += TILE) {
      for (int i0 = 0; i0 < in; i0 += TILE) {
        for (int i = i0, iEnd = Math.min(in, i0 + TILE); i < iEnd; i++) {
          for (int o = o0, oEnd = Math.min(out, o0 + TILE); o < oEnd; o++) {
            t[i * out + o] = w[o * in + i];
          }
        }
      }
    }
  }

  @Override
  public String toString() {
    return "Dense(" + in + " -> " + out + ")";
  }
}
