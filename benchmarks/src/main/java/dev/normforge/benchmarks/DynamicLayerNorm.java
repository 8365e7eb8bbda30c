package dev.normforge.benchmarks;

import dev.normforge.runtime.internal.RowNormLayer;
import dev.normforge.runtime.internal.RowStats;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Baseline: the generated LayerNorm's algorithm (corrected two-pass statistics, 4 vectors unrolled with
 * independent accumulators, same passes), but with {@code hidden} an instance field known only at run time.
 * The JIT cannot fold it into the loop bounds, so the gap to the generated class is what specialization buys.
 *
 * <p>Loads are written out as {@code FloatVector.fromArray} calls, as generated code does: with a small
 * {@code load(array, index)} helper instead, C2 (JDK 25) left this backward's vectors boxed, 10x slower.
 */
final class DynamicLayerNorm extends RowNormLayer {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private final int n;
  private final int unrolledBound;
  private final int vectorBound;
  private final float[] weight;
  private final float[] bias;

  DynamicLayerNorm(int hidden) {
    super(hidden, 1e-5, true, true, true);
    this.n = hidden;
    this.unrolledBound = hidden - hidden % (4 * LANES);
    this.vectorBound = SPECIES.loopBound(hidden);
    this.weight = weight().value();
    this.bias = bias().value();
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
        s0 = s0.add(FloatVector.fromArray(SPECIES, x, xo + j));
        s1 = s1.add(FloatVector.fromArray(SPECIES, x, xo + j + LANES));
        s2 = s2.add(FloatVector.fromArray(SPECIES, x, xo + j + 2 * LANES));
        s3 = s3.add(FloatVector.fromArray(SPECIES, x, xo + j + 3 * LANES));
      }
      for (; j < vectorBound; j += LANES) {
        s0 = s0.add(FloatVector.fromArray(SPECIES, x, xo + j));
      }
      float sum = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
      for (; j < n; j++) {
        sum += x[xo + j];
      }
      float m = sum / n;
      FloatVector d0 = FloatVector.zero(SPECIES), d1 = d0, d2 = d0, d3 = d0;
      FloatVector q0 = d0, q1 = d0, q2 = d0, q3 = d0;
      j = 0;
      for (; j < unrolledBound; j += 4 * LANES) {
        var a0 = FloatVector.fromArray(SPECIES, x, xo + j).sub(m);
        d0 = d0.add(a0);
        q0 = a0.fma(a0, q0);
        var a1 = FloatVector.fromArray(SPECIES, x, xo + j + LANES).sub(m);
        d1 = d1.add(a1);
        q1 = a1.fma(a1, q1);
        var a2 = FloatVector.fromArray(SPECIES, x, xo + j + 2 * LANES).sub(m);
        d2 = d2.add(a2);
        q2 = a2.fma(a2, q2);
        var a3 = FloatVector.fromArray(SPECIES, x, xo + j + 3 * LANES).sub(m);
        d3 = d3.add(a3);
        q3 = a3.fma(a3, q3);
      }
      for (; j < vectorBound; j += LANES) {
        var a0 = FloatVector.fromArray(SPECIES, x, xo + j).sub(m);
        d0 = d0.add(a0);
        q0 = a0.fma(a0, q0);
      }
      float dev = d0.add(d1).add(d2.add(d3)).reduceLanes(VectorOperators.ADD);
      float devSq = q0.add(q1).add(q2.add(q3)).reduceLanes(VectorOperators.ADD);
      for (; j < n; j++) {
        float d = x[xo + j] - m;
        dev += d;
        devSq += d * d;
      }
      float shift = dev / n;
      float rs;
      if (devSq > 1e-30f && devSq < 1e36f) {
        rs = (float) (1.0 / Math.sqrt(Math.max(0.0, (double) devSq / n - (double) shift * shift) + eps()));
      } else {
        double md = RowStats.mean(x, xo, n);
        m = (float) md;
        shift = (float) (md - m);
        rs = (float) RowStats.rstd(x, xo, n, md, eps());
      }
      float c = -shift * rs;
      j = 0;
      for (; j < unrolledBound; j += 4 * LANES) {
        for (int k = 0; k < 4 * LANES; k += LANES) {
          FloatVector.fromArray(SPECIES, x, xo + j + k).sub(m).fma(rs, c).fma(FloatVector.fromArray(SPECIES, weight, j + k), FloatVector.fromArray(SPECIES, bias, j + k)).intoArray(y, yo + j + k);
        }
      }
      for (; j < vectorBound; j += LANES) {
        FloatVector.fromArray(SPECIES, x, xo + j).sub(m).fma(rs, c).fma(FloatVector.fromArray(SPECIES, weight, j), FloatVector.fromArray(SPECIES, bias, j)).intoArray(y, yo + j);
      }
      for (; j < n; j++) {
        y[yo + j] = ((x[xo + j] - m) * rs + c) * weight[j] + bias[j];
      }
      if (rstd != null) {
        mean[statsOff + r] = m + shift;
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
      float m = mean[statsOff + r];
      float rs = rstd[statsOff + r];
      FloatVector g0 = FloatVector.zero(SPECIES), g1 = g0, g2 = g0, g3 = g0;
      FloatVector p0 = g0, p1 = g0, p2 = g0, p3 = g0;
      FloatVector h0 = g0, h1 = g0, h2 = g0, h3 = g0;
      int j = 0;
      for (; j < unrolledBound; j += 4 * LANES) {
        var xh0 = FloatVector.fromArray(SPECIES, x, xo + j).sub(m).mul(rs);
        var gg0 = FloatVector.fromArray(SPECIES, dy, dyo + j).mul(FloatVector.fromArray(SPECIES, weight, j));
        g0 = g0.add(gg0);
        p0 = gg0.fma(xh0, p0);
        h0 = h0.add(xh0);
        var xh1 = FloatVector.fromArray(SPECIES, x, xo + j + LANES).sub(m).mul(rs);
        var gg1 = FloatVector.fromArray(SPECIES, dy, dyo + j + LANES).mul(FloatVector.fromArray(SPECIES, weight, j + LANES));
        g1 = g1.add(gg1);
        p1 = gg1.fma(xh1, p1);
        h1 = h1.add(xh1);
        var xh2 = FloatVector.fromArray(SPECIES, x, xo + j + 2 * LANES).sub(m).mul(rs);
        var gg2 = FloatVector.fromArray(SPECIES, dy, dyo + j + 2 * LANES).mul(FloatVector.fromArray(SPECIES, weight, j + 2 * LANES));
        g2 = g2.add(gg2);
        p2 = gg2.fma(xh2, p2);
        h2 = h2.add(xh2);
        var xh3 = FloatVector.fromArray(SPECIES, x, xo + j + 3 * LANES).sub(m).mul(rs);
        var gg3 = FloatVector.fromArray(SPECIES, dy, dyo + j + 3 * LANES).mul(FloatVector.fromArray(SPECIES, weight, j + 3 * LANES));
        g3 = g3.add(gg3);
        p3 = gg3.fma(xh3, p3);
        h3 = h3.add(xh3);
      }
      for (; j < vectorBound; j += LANES) {
        var xh0 = FloatVector.fromArray(SPECIES, x, xo + j).sub(m).mul(rs);
        var gg0 = FloatVector.fromArray(SPECIES, dy, dyo + j).mul(FloatVector.fromArray(SPECIES, weight, j));
        g0 = g0.add(gg0);
        p0 = gg0.fma(xh0, p0);
        h0 = h0.add(xh0);
      }
      float sumG = g0.add(g1).add(g2.add(g3)).reduceLanes(VectorOperators.ADD);
      float sumGx = p0.add(p1).add(p2.add(p3)).reduceLanes(VectorOperators.ADD);
      float sumX = h0.add(h1).add(h2.add(h3)).reduceLanes(VectorOperators.ADD);
      for (; j < n; j++) {
        float xh = (x[xo + j] - m) * rs;
        float g = dy[dyo + j] * weight[j];
        sumG += g;
        sumGx += g * xh;
        sumX += xh;
      }
      float e = sumX / n;
      float meanG = sumG / n;
      float meanGx = (sumGx - e * sumG) / n;
      var negMeanGx = FloatVector.broadcast(SPECIES, -meanGx);
      j = 0;
      for (; j < vectorBound; j += LANES) {
        var dyv = FloatVector.fromArray(SPECIES, dy, dyo + j);
        var xh = FloatVector.fromArray(SPECIES, x, xo + j).sub(m).mul(rs).sub(e);
        xh.fma(negMeanGx, dyv.mul(FloatVector.fromArray(SPECIES, weight, j)).sub(meanG)).mul(rs).intoArray(dx, dxo + j);
        dyv.fma(xh, FloatVector.fromArray(SPECIES, dweight, j)).intoArray(dweight, j);
        dyv.add(FloatVector.fromArray(SPECIES, dbias, j)).intoArray(dbias, j);
      }
      for (; j < n; j++) {
        float dyv = dy[dyo + j];
        float xh = (x[xo + j] - m) * rs - e;
        dx[dxo + j] = (dyv * weight[j] - meanG - xh * meanGx) * rs;
        dweight[j] += dyv * xh;
        dbias[j] += dyv;
      }
    }
  }
}
