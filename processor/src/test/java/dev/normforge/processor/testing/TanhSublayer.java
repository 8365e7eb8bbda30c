package dev.normforge.processor.testing;

import dev.normforge.runtime.internal.exec.Checks;
import dev.normforge.runtime.Sublayer;

/**
 * The golden cases' sublayer {@code F(h) = tanh(h·Wᵀ)}, {@code W} row-major {@code [hidden][hidden]}:
 * forward overwrites its output; backward adds {@code dz·W} into {@code dIn} (as {@link Sublayer} requires)
 * and accumulates {@code dW += dzᵀ·h}, with {@code dz = dOut·(1 - tanh²)}. Dot products in double, so the
 * sublayer adds almost no error of its own to what the block tests measure.
 */
public final class TanhSublayer implements Sublayer {
  private final int hidden;
  /** W, row-major. */
  public final float[] w;
  /** The accumulated gradient of W. */
  public final float[] dw;

  public TanhSublayer(int hidden, float[] w) {
    this.hidden = hidden;
    this.w = w;
    this.dw = new float[w.length];
  }

  private double z(float[] in, int xo, int i) {
    double z = 0;
    for (int j = 0; j < hidden; j++) {
      z += (double) in[xo + j] * w[i * hidden + j];
    }
    return z;
  }

  @Override
  public void forward(float[] in, int inOff, float[] out, int outOff, int rows) {
    Checks.rows("in", in, inOff, rows, hidden);
    Checks.rows("out", out, outOff, rows, hidden);
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < hidden; i++) {
        out[outOff + r * hidden + i] = (float) Math.tanh(z(in, inOff + r * hidden, i));
      }
    }
  }

  @Override
  public void backward(float[] in, int inOff, float[] dOut, int dOutOff, float[] dIn, int dInOff, int rows) {
    Checks.rows("in", in, inOff, rows, hidden);
    Checks.rows("dOut", dOut, dOutOff, rows, hidden);
    Checks.rows("dIn", dIn, dInOff, rows, hidden);
    double[] dinRow = new double[hidden];
    for (int r = 0; r < rows; r++) {
      int xo = inOff + r * hidden;
      java.util.Arrays.fill(dinRow, 0);
      for (int i = 0; i < hidden; i++) {
        double t = Math.tanh(z(in, xo, i));
        double dz = dOut[dOutOff + r * hidden + i] * (1 - t * t);
        for (int j = 0; j < hidden; j++) {
          dinRow[j] += dz * w[i * hidden + j];
          dw[i * hidden + j] += (float) (dz * in[xo + j]);
        }
      }
      for (int j = 0; j < hidden; j++) {
        dIn[dInOff + r * hidden + j] += (float) dinRow[j];
      }
    }
  }
}
