package dev.normforge.benchmarks;

import dev.normforge.runtime.internal.RowNormLayer;
import dev.normforge.runtime.internal.RowStats;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Baseline: the generated RMSNorm's algorithm (weight, no bias; 4 vectors unrolled with independent
 * accumulators) with {@code hidden} an instance field known only at run time. See {@link DynamicLayerNorm}.
 * Loads are written out ({@code FloatVector.fromArray}) as in generated code: see {@link DynamicLayerNorm}.
 */
final class DynamicRmsNorm extends RowNormLayer {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private final int n;
  private final int unrolledBound;
  private final int vectorBound;
  private final float[] weight;

  DynamicRmsNorm(int hidden) {
    super(hidden, 1e-5, false, true, false);
    this.n = hidden;
    this.unrolledBound = hidden - hidden % (4 * LANES);
    this.vectorBound = SPECIES.loopBound(hidden);
    this.weight = weight().value();
  }

  @Override
  protected void normalizeRows(
      float[] x, int xOff, float[] y, int yOff, int r0, int r1, float[] mean, float[] rstd, int statsOff) {
    for (int r = r0; r < r1; r++) {
      int xo = xOff + r * n;
      int yo = yOff + r * n;
      FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0;
      int j = 0;
      for (; j < unrolledBound; j += 4 * LANES) {
        var v0 = FloatVector.fromArray(SPECIES, x, xo + j);
        s0 = v0.fma(v0, s0);
        var v1 = FloatVector.fromArray(SPECIES, x, xo + j + LANES);
        s1 = v1.fma(v1, s1);
        var v2 = FloatVector.fromArray(SPECIES, x, xo + j + 2 * LANES);
        s2 = v2.fma(v2, s2);
        var v3 = FloatVector.fromArray(SPECIES, x, xo + j + 3 * LANES);
        s3 = v3.fma(v3, s3);
      }
      for (; j < vectorBound; j += LANES) {
        var v0 = FloatVector.fromArray(SPECIES, x, xo + j);
        s0 = v0.fma(v0, s0);
      }
      float sumSq = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
      for (; j < n; j++) {
        sumSq += x[xo + j] * x[xo + j];
      }
      float rs = sumSq > 1e-30f && sumSq < 1e36f
          ? (float) (1.0 / Math.sqrt((double) sumSq / n + eps()))
          : (float) RowStats.rstd(x, xo, n, 0.0, eps());
      j = 0;
      for (; j < unrolledBound; j += 4 * LANES) {
        for (int k = 0; k < 4 * LANES; k += LANES) {
          FloatVector.fromArray(SPECIES, x, xo + j + k).mul(rs).mul(FloatVector.fromArray(SPECIES, weight, j + k)).intoArray(y, yo + j + k);
        }
      }
      for (; j < vectorBound; j += LANES) {
        FloatVector.fromArray(SPECIES, x, xo + j).mul(rs).mul(FloatVector.fromArray(SPECIES, weight, j)).intoArray(y, yo + j);
      }
      for (; j < n; j++) {
        y[yo + j] = x[xo + j] * rs * weight[j];
      }
      if (rstd != null) {
        rstd[statsOff + r] = rs;
      }
    }
  }

  @Override
  protected void backwardRows(
      float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int r0, int r1,
      float[] mean, float[] rstd, int statsOff, float[] dweight, float[] dbias) {
    for (int r = r0; r < r1; r++) {
      int xo = xOff + r * n;
      int dyo = dyOff + r * n;
      int dxo = dxOff + r * n;
      float rs = rstd[statsOff + r];
      FloatVector p0 = FloatVector.zero(SPECIES), p1 = p0, p2 = p0, p3 = p0;
      int j = 0;
      for (; j < unrolledBound; j += 4 * LANES) {
        p0 = FloatVector.fromArray(SPECIES, dy, dyo + j).mul(FloatVector.fromArray(SPECIES, weight, j)).fma(FloatVector.fromArray(SPECIES, x, xo + j), p0);
        p1 = FloatVector.fromArray(SPECIES, dy, dyo + j + LANES).mul(FloatVector.fromArray(SPECIES, weight, j + LANES)).fma(FloatVector.fromArray(SPECIES, x, xo + j + LANES), p1);
        p2 = FloatVector.fromArray(SPECIES, dy, dyo + j + 2 * LANES).mul(FloatVector.fromArray(SPECIES, weight, j + 2 * LANES)).fma(FloatVector.fromArray(SPECIES, x, xo + j + 2 * LANES), p2);
        p3 = FloatVector.fromArray(SPECIES, dy, dyo + j + 3 * LANES).mul(FloatVector.fromArray(SPECIES, weight, j + 3 * LANES)).fma(FloatVector.fromArray(SPECIES, x, xo + j + 3 * LANES), p3);
      }
      for (; j < vectorBound; j += LANES) {
        p0 = FloatVector.fromArray(SPECIES, dy, dyo + j).mul(FloatVector.fromArray(SPECIES, weight, j)).fma(FloatVector.fromArray(SPECIES, x, xo + j), p0);
      }
      float sumGx = p0.add(p1).add(p2.add(p3)).reduceLanes(VectorOperators.ADD);
      for (; j < n; j++) {
        sumGx += dy[dyo + j] * weight[j] * x[xo + j];
      }
      float meanGx = sumGx * rs / n;
      var negMeanGx = FloatVector.broadcast(SPECIES, -meanGx);
      j = 0;
      for (; j < vectorBound; j += LANES) {
        var dyv = FloatVector.fromArray(SPECIES, dy, dyo + j);
        var xh = FloatVector.fromArray(SPECIES, x, xo + j).mul(rs);
        xh.fma(negMeanGx, dyv.mul(FloatVector.fromArray(SPECIES, weight, j))).mul(rs).intoArray(dx, dxo + j);
        dyv.fma(xh, FloatVector.fromArray(SPECIES, dweight, j)).intoArray(dweight, j);
      }
      for (; j < n; j++) {
        float dyv = dy[dyo + j];
        float xh = x[xo + j] * rs;
        dx[dxo + j] = (dyv * weight[j] - xh * meanGx) * rs;
        dweight[j] += dyv * xh;
      }
    }
  }
}
