package dev.normforge.runtime.internal;

/** A hand-written float LayerNorm/RMSNorm with the kernel contract of a generated class, for runtime tests. */
final class ScalarRowNorm extends RowNormLayer {
  ScalarRowNorm(int hidden, boolean centered) {
    super(hidden, 1e-5, centered, true, centered);
  }

  @Override
  protected void normalizeRows(
      float[] x, int xOff, float[] y, int yOff, int r0, int r1, float[] mean, float[] rstd, int statsOff) {
    int n = hidden();
    float[] w = weight().value();
    for (int r = r0; r < r1; r++) {
      int xo = xOff + r * n;
      int yo = yOff + r * n;
      float m = centered() ? (float) RowStats.mean(x, xo, n) : 0f;
      float rs = (float) RowStats.rstd(x, xo, n, m, eps());
      for (int j = 0; j < n; j++) {
        y[yo + j] = (x[xo + j] - m) * rs * w[j] + (bias() == null ? 0f : bias().value()[j]);
      }
      if (rstd != null) {
        if (mean != null) {
          mean[statsOff + r] = m;
        }
        rstd[statsOff + r] = rs;
      }
    }
  }

  @Override
  protected void backwardRows(
      float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int r0, int r1,
      float[] mean, float[] rstd, int statsOff, float[] dweight, float[] dbias) {
    int n = hidden();
    float[] w = weight().value();
    for (int r = r0; r < r1; r++) {
      int xo = xOff + r * n;
      int dyo = dyOff + r * n;
      int dxo = dxOff + r * n;
      float m = mean == null ? 0f : mean[statsOff + r];
      float rs = rstd[statsOff + r];
      float sumG = 0;
      float sumGx = 0;
      for (int j = 0; j < n; j++) {
        float g = dy[dyo + j] * w[j];
        sumG += g;
        sumGx += g * (x[xo + j] - m) * rs;
      }
      float meanG = centered() ? sumG / n : 0f;
      float meanGx = sumGx / n;
      for (int j = 0; j < n; j++) {
        float xh = (x[xo + j] - m) * rs;
        dx[dxo + j] = (dy[dyo + j] * w[j] - meanG - xh * meanGx) * rs;
        dweight[j] += dy[dyo + j] * xh;
        if (dbias != null) {
          dbias[j] += dy[dyo + j];
        }
      }
    }
  }
}
