package dev.normforge.benchmarks;

import dev.normforge.runtime.internal.RowNormLayer;

/**
 * Baseline: a plain scalar float LayerNorm/RMSNorm (the same corrected two-pass statistics and backward
 * formula as the generated kernels, one element at a time, {@code hidden} a field). What a careful
 * Java programmer writes without the Vector API; the JIT may auto-vectorize the element-wise loops but not
 * the float reductions (it keeps their order).
 */
final class ScalarRowNorm extends RowNormLayer {
  private final int n;
  private final float[] weight;
  private final float[] bias;

  ScalarRowNorm(int hidden, boolean centered) {
    super(hidden, 1e-5, centered, true, centered);
    this.n = hidden;
    this.weight = weight().value();
    this.bias = centered ? bias().value() : null;
  }

  @Override
  protected void normalizeRows(
      float[] x, int xOff, float[] y, int yOff, int r0, int r1, float[] mean, float[] rstd, int statsOff) {
    boolean centered = centered();
    for (int r = r0; r < r1; r++) {
      int xo = xOff + r * n;
      int yo = yOff + r * n;
      float m = 0;
      if (centered) {
        float sum = 0;
        for (int j = 0; j < n; j++) {
          sum += x[xo + j];
        }
        m = sum / n;
      }
      float dev = 0;
      float devSq = 0;
      for (int j = 0; j < n; j++) {
        float d = x[xo + j] - m;
        dev += d;
        devSq += d * d;
      }
      float shift = centered ? dev / n : 0;
      float rs = (float) (1.0 / Math.sqrt(Math.max(0.0, (double) devSq / n - (double) shift * shift) + eps()));
      float mm = m + shift;
      for (int j = 0; j < n; j++) {
        float v = (x[xo + j] - mm) * rs * weight[j];
        y[yo + j] = bias == null ? v : v + bias[j];
      }
      if (rstd != null) {
        if (mean != null) {
          mean[statsOff + r] = mm;
        }
        rstd[statsOff + r] = rs;
      }
    }
  }

  @Override
  protected void backwardRows(
      float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int r0, int r1,
      float[] mean, float[] rstd, int statsOff, float[] dweight, float[] dbias) {
    boolean centered = centered();
    for (int r = r0; r < r1; r++) {
      int xo = xOff + r * n;
      int dyo = dyOff + r * n;
      int dxo = dxOff + r * n;
      float m = centered ? mean[statsOff + r] : 0;
      float rs = rstd[statsOff + r];
      float sumG = 0;
      float sumGx = 0;
      for (int j = 0; j < n; j++) {
        float g = dy[dyo + j] * weight[j];
        sumG += g;
        sumGx += g * (x[xo + j] - m) * rs;
      }
      float meanG = centered ? sumG / n : 0;
      float meanGx = sumGx / n;
      for (int j = 0; j < n; j++) {
        float dyv = dy[dyo + j];
        float xh = (x[xo + j] - m) * rs;
        dx[dxo + j] = (dyv * weight[j] - meanG - xh * meanGx) * rs;
        dweight[j] += dyv * xh;
        if (dbias != null) {
          dbias[j] += dyv;
        }
      }
    }
  }
}
