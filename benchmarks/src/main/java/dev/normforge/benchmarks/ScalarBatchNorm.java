package dev.normforge.benchmarks;

import dev.normforge.runtime.internal.BatchNormBase;

/**
 * Baseline: a plain scalar float BatchNorm, the same five row-range kernels the processor generates
 * (column sums and shifted sums, then {@code y = (x - shift)·scale + offset}; backward sums, then
 * {@code dx = (dy + b·xc + c)·a})
 * written one element at a time with {@code hidden} a field, under the same {@link BatchNormBase} (chunking,
 * double totals, per-feature coefficients). The per-feature sums run across rows, so the JIT may
 * auto-vectorize every loop here (no loop-carried float reduction inside a row).
 */
final class ScalarBatchNorm extends BatchNormBase {
  private final int n;

  ScalarBatchNorm(int hidden) {
    super(hidden, 1e-5, 0.1, true, true);
    this.n = hidden;
  }

  @Override
  protected void sumRows(float[] x, int xOff, int r0, int r1, float[] sum) {
    for (int j = 0; j < n; j++) {
      sum[j] = 0;
    }
    for (int r = r0; r < r1; r++) {
      int xo = xOff + r * n;
      for (int j = 0; j < n; j++) {
        sum[j] += x[xo + j];
      }
    }
  }

  @Override
  protected void statsRows(float[] x, int xOff, int r0, int r1, float[] shift, float[] sum, float[] sumSq) {
    for (int j = 0; j < n; j++) {
      sum[j] = 0;
      sumSq[j] = 0;
    }
    for (int r = r0; r < r1; r++) {
      int xo = xOff + r * n;
      for (int j = 0; j < n; j++) {
        float d = x[xo + j] - shift[j];
        sum[j] += d;
        sumSq[j] += d * d;
      }
    }
  }

  @Override
  protected void normalizeRows(
      float[] x, int xOff, float[] y, int yOff, int r0, int r1, float[] shift, float[] scale, float[] offset) {
    for (int r = r0; r < r1; r++) {
      int xo = xOff + r * n;
      int yo = yOff + r * n;
      for (int j = 0; j < n; j++) {
        y[yo + j] = (x[xo + j] - shift[j]) * scale[j] + offset[j];
      }
    }
  }

  @Override
  protected void gradientSumsRows(
      float[] x, int xOff, float[] dy, int dyOff, int r0, int r1, float[] center,
      float[] sumDy, float[] sumDyXc, float[] sumXc) {
    for (int j = 0; j < n; j++) {
      sumDy[j] = 0;
      sumDyXc[j] = 0;
      sumXc[j] = 0;
    }
    for (int r = r0; r < r1; r++) {
      int xo = xOff + r * n;
      int dyo = dyOff + r * n;
      for (int j = 0; j < n; j++) {
        float g = dy[dyo + j];
        float xc = x[xo + j] - center[j];
        sumDy[j] += g;
        sumDyXc[j] += g * xc;
        sumXc[j] += xc;
      }
    }
  }

  @Override
  protected void backwardRows(
      float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int r0, int r1,
      float[] center, float[] coefA, float[] coefB, float[] coefC) {
    for (int r = r0; r < r1; r++) {
      int xo = xOff + r * n;
      int dyo = dyOff + r * n;
      int dxo = dxOff + r * n;
      for (int j = 0; j < n; j++) {
        dx[dxo + j] = (dy[dyo + j] + coefB[j] * (x[xo + j] - center[j]) + coefC[j]) * coefA[j];
      }
    }
  }
}
