package dev.normforge.benchmarks;

import dev.normforge.runtime.internal.PostNormBlock;

/**
 * Baseline: a plain scalar float Post-Norm LayerNorm block's fused kernels (the same algorithm as the
 * generated {@code addNormRows}/{@code addNormBackwardRows}: {@code s = alpha·x + f} written and summed in
 * one pass, corrected two-pass statistics, one backward pass writing {@code ds} and {@code dx = alpha·ds}),
 * one element at a time with {@code hidden} a field. Alpha 1, eps 1e-5, weight and bias, as the
 * {@code BenchModel} sites.
 */
final class ScalarAddLayerNorm extends PostNormBlock {
  private final int n;
  private final float a;
  private final float[] weight;
  private final float[] bias;

  ScalarAddLayerNorm(int hidden) {
    super(hidden, 1e-5, 1.0, 1.0, true, true, true, 1f);
    this.n = hidden;
    this.a = (float) alpha();
    this.weight = weight().value();
    this.bias = bias().value();
  }

  @Override
  protected void addNormRows(
      float[] x, int xOff, float[] f, int fOff, float[] s, int sOff, float[] y, int yOff, int r0, int r1,
      float[] mean, float[] rstd, int statsOff) {
    for (int r = r0; r < r1; r++) {
      int xo = xOff + r * n;
      int fo = fOff + r * n;
      int so = sOff + r * n;
      int yo = yOff + r * n;
      float sum = 0;
      for (int j = 0; j < n; j++) {
        float v = Math.fma(a, x[xo + j], f[fo + j]);
        s[so + j] = v;
        sum += v;
      }
      float m = sum / n;
      float dev = 0;
      float devSq = 0;
      for (int j = 0; j < n; j++) {
        float d = s[so + j] - m;
        dev += d;
        devSq += d * d;
      }
      float shift = dev / n;
      float rs = (float) (1.0 / Math.sqrt(Math.max(0.0, (double) devSq / n - (double) shift * shift) + eps()));
      float mm = m + shift;
      for (int j = 0; j < n; j++) {
        y[yo + j] = (s[so + j] - mm) * rs * weight[j] + bias[j];
      }
      mean[statsOff + r] = mm;
      rstd[statsOff + r] = rs;
    }
  }

  @Override
  protected void addNormBackwardRows(
      float[] s, int sOff, float[] dy, int dyOff, float[] ds, int dsOff, float[] dx, int dxOff, int r0, int r1,
      float[] mean, float[] rstd, int statsOff, float[] dweight, float[] dbias) {
    for (int r = r0; r < r1; r++) {
      int so = sOff + r * n;
      int dyo = dyOff + r * n;
      int dso = dsOff + r * n;
      int dxo = dxOff + r * n;
      float m = mean[statsOff + r];
      float rs = rstd[statsOff + r];
      float sumG = 0;
      float sumGx = 0;
      for (int j = 0; j < n; j++) {
        float g = dy[dyo + j] * weight[j];
        sumG += g;
        sumGx += g * (s[so + j] - m) * rs;
      }
      float meanG = sumG / n;
      float meanGx = sumGx / n;
      for (int j = 0; j < n; j++) {
        float dyv = dy[dyo + j];
        float sh = (s[so + j] - m) * rs;
        float d = (dyv * weight[j] - meanG - sh * meanGx) * rs;
        ds[dso + j] = d;
        dx[dxo + j] = a * d;
        dweight[j] += dyv * sh;
        dbias[j] += dyv;
      }
    }
  }
}
