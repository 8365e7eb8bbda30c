package dev.example;

import dev.normforge.runtime.internal.Lanes;
import dev.normforge.runtime.internal.RowNormLayer;
import dev.normforge.runtime.internal.RowStats;
import java.lang.Float;
import java.lang.Math;
import java.lang.Override;
import javax.annotation.processing.Generated;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * LayerNorm over rows of 100 features, specialized for that size (Vector API).
 *
 * <p>Forward: {@code y = (x - mean)·rstd·weight + bias}, {@code rstd = 1/sqrt(var + eps), mean and biased var over the row}.
 * Backward, with {@code g = dy·weight} and {@code xhat = (x - mean)·rstd}:
 * {@code dx = rstd·(g - mean(g) - xhat·mean(g·xhat))}, {@code dweight += Σ dy·xhat}, {@code dbias += Σ dy}.
 *
 * <p>Configuration: type LAYER, placement NONE, hidden 100, eps 1.0E-5, weight true, bias true.
 * Generated from {@code dev.example.TinyGpt#finalNorm()}.
 */
@Generated(
    value = "dev.normforge.processor.NormProcessor",
    comments = "from dev.example.TinyGpt#finalNorm()"
)
public final class TinyGptFinalNorm extends RowNormLayer {
  /**
   * Features per row: every loop bound below is derived from it.
   */
  public static final int HIDDEN = 100;

  /**
   * Added to the variance before the square root.
   */
  public static final double EPS = 1.0E-5;

  private final Kernels kernels;

  /**
   * A new layer with weight 1.0 and bias 0 and zero gradients.
   */
  public TinyGptFinalNorm() {
    super(HIDDEN, EPS, true, true, true, 1.0f, "");
    this.kernels = new Kernels();
  }

  @Override
  protected void normalizeRows(float[] x, int xOff, float[] y, int yOff, int r0, int r1,
      float[] mean, float[] rstd, int statsOff) {
    kernels.normalizeRows(x, xOff, y, yOff, r0, r1, mean, rstd, statsOff);
  }

  @Override
  protected void backwardRows(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff,
      int r0, int r1, float[] mean, float[] rstd, int statsOff, float[] dweight, float[] dbias) {
    kernels.backwardRows(x, xOff, dy, dyOff, dx, dxOff, r0, r1, mean, rstd, statsOff, dweight, dbias);
  }

  /**
   * The kernels and what they read: the Vector API code of this class, created by the constructor
   * after the base class has checked that the JVM has {@code jdk.incubator.vector}.
   */
  private final class Kernels {
    /**
     * A row's sum of squares below this may have lost precision to underflow (or the row is constant).
     */
    private static final float MIN_SAFE_SUM = 1e-30f;

    /**
     * A row's sum of squares above this may have overflowed float.
     */
    private static final float MAX_SAFE_SUM = 1e36f;

    /**
     * The widest float vector this CPU has (AVX-512: 16 lanes, AVX2: 8).
     */
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private static final int LANES = SPECIES.length();

    /**
     * Features per main-loop iteration: 4 vectors with independent accumulators.
     */
    private static final int UNROLLED_STEP = 4 * LANES;

    /**
     * End of the unrolled main loop.
     */
    private static final int UNROLLED_BOUND = HIDDEN - HIDDEN % UNROLLED_STEP;

    /**
     * End of the one-vector loop; a scalar tail does the rest.
     */
    private static final int VECTOR_BOUND = SPECIES.loopBound(HIDDEN);

    /**
     * {@code weight().value()}, read by the kernels.
     */
    private final float[] weight;

    /**
     * {@code bias().value()}, read by the kernels.
     */
    private final float[] bias;

    Kernels() {
      this.weight = weight().value();
      this.bias = bias().value();
    }

    void normalizeRows(float[] x, int xOff, float[] y, int yOff, int r0, int r1, float[] mean,
        float[] rstd, int statsOff) {
      if (r0 >= r1) {
        return;
      }
      float x0 = x[xOff + r0 * HIDDEN];
      // pass 1: a first estimate of the mean, around x0
      float sum;
      {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector sum0 = zero, sum1 = zero, sum2 = zero, sum3 = zero;
        int j = 0;
        for (; j < UNROLLED_BOUND; j += UNROLLED_STEP) {
          sum0 = sum0.add(FloatVector.fromArray(SPECIES, x, xOff + r0 * HIDDEN + j).sub(x0));
          sum1 = sum1.add(FloatVector.fromArray(SPECIES, x, xOff + r0 * HIDDEN + j + LANES).sub(x0));
          sum2 = sum2.add(FloatVector.fromArray(SPECIES, x, xOff + r0 * HIDDEN + j + 2 * LANES).sub(x0));
          sum3 = sum3.add(FloatVector.fromArray(SPECIES, x, xOff + r0 * HIDDEN + j + 3 * LANES).sub(x0));
        }
        for (; j < VECTOR_BOUND; j += LANES) {
          sum0 = sum0.add(FloatVector.fromArray(SPECIES, x, xOff + r0 * HIDDEN + j).sub(x0));
        }
        FloatVector sumV = sum0.add(sum1).add(sum2.add(sum3));
        if (LANES > 32) sumV = sumV.add(sumV.rearrange(Lanes.SWAP_32));
        if (LANES > 16) sumV = sumV.add(sumV.rearrange(Lanes.SWAP_16));
        if (LANES > 8) sumV = sumV.add(sumV.rearrange(Lanes.SWAP_8));
        if (LANES > 4) sumV = sumV.add(sumV.rearrange(Lanes.SWAP_4));
        if (LANES > 2) sumV = sumV.add(sumV.rearrange(Lanes.SWAP_2));
        if (LANES > 1) sumV = sumV.add(sumV.rearrange(Lanes.SWAP_1));
        sum = sumV.lane(0);
        for (; j < HIDDEN; j++) {
          sum += x[xOff + r0 * HIDDEN + j] - x0;
        }
      }
      for (int r = r0; r < r1; r++) {
        int xo = xOff + r * HIDDEN;
        int yo = yOff + r * HIDDEN;
        float m = x0 + sum / HIDDEN;
        // pass 2: d = x - m; Σd and Σd² (corrected two-pass: exact even when the mean dwarfs the spread)
        float devSum, devSq;
        {
          FloatVector zero = FloatVector.zero(SPECIES);
          FloatVector devSum0 = zero, devSum1 = zero, devSum2 = zero, devSum3 = zero;
          FloatVector devSq0 = zero, devSq1 = zero, devSq2 = zero, devSq3 = zero;
          int j = 0;
          for (; j < UNROLLED_BOUND; j += UNROLLED_STEP) {
            var d0 = FloatVector.fromArray(SPECIES, x, xo + j).sub(m);
            devSum0 = devSum0.add(d0);
            devSq0 = d0.fma(d0, devSq0);
            var d1 = FloatVector.fromArray(SPECIES, x, xo + j + LANES).sub(m);
            devSum1 = devSum1.add(d1);
            devSq1 = d1.fma(d1, devSq1);
            var d2 = FloatVector.fromArray(SPECIES, x, xo + j + 2 * LANES).sub(m);
            devSum2 = devSum2.add(d2);
            devSq2 = d2.fma(d2, devSq2);
            var d3 = FloatVector.fromArray(SPECIES, x, xo + j + 3 * LANES).sub(m);
            devSum3 = devSum3.add(d3);
            devSq3 = d3.fma(d3, devSq3);
          }
          for (; j < VECTOR_BOUND; j += LANES) {
            var d0 = FloatVector.fromArray(SPECIES, x, xo + j).sub(m);
            devSum0 = devSum0.add(d0);
            devSq0 = d0.fma(d0, devSq0);
          }
          FloatVector devSumV = devSum0.add(devSum1).add(devSum2.add(devSum3));
          if (LANES > 32) devSumV = devSumV.add(devSumV.rearrange(Lanes.SWAP_32));
          if (LANES > 16) devSumV = devSumV.add(devSumV.rearrange(Lanes.SWAP_16));
          if (LANES > 8) devSumV = devSumV.add(devSumV.rearrange(Lanes.SWAP_8));
          if (LANES > 4) devSumV = devSumV.add(devSumV.rearrange(Lanes.SWAP_4));
          if (LANES > 2) devSumV = devSumV.add(devSumV.rearrange(Lanes.SWAP_2));
          if (LANES > 1) devSumV = devSumV.add(devSumV.rearrange(Lanes.SWAP_1));
          devSum = devSumV.lane(0);
          FloatVector devSqV = devSq0.add(devSq1).add(devSq2.add(devSq3));
          if (LANES > 32) devSqV = devSqV.add(devSqV.rearrange(Lanes.SWAP_32));
          if (LANES > 16) devSqV = devSqV.add(devSqV.rearrange(Lanes.SWAP_16));
          if (LANES > 8) devSqV = devSqV.add(devSqV.rearrange(Lanes.SWAP_8));
          if (LANES > 4) devSqV = devSqV.add(devSqV.rearrange(Lanes.SWAP_4));
          if (LANES > 2) devSqV = devSqV.add(devSqV.rearrange(Lanes.SWAP_2));
          if (LANES > 1) devSqV = devSqV.add(devSqV.rearrange(Lanes.SWAP_1));
          devSq = devSqV.lane(0);
          for (; j < HIDDEN; j++) {
            float d = x[xo + j] - m;
            devSum += d;
            devSq = Math.fma(d, d, devSq);
          }
        }
        float shift = devSum / HIDDEN;
        float rs;
        if (devSq > MIN_SAFE_SUM && devSq < MAX_SAFE_SUM) {
          rs = (float) (1.0 / Math.sqrt(Math.max(0.0, (double) devSq / HIDDEN - (double) shift * shift) + EPS));
        } else {
          // a constant row, squares that under- or overflow float, NaN or infinity: statistics in double
          double md = RowStats.mean(x, xo, HIDDEN);
          m = (float) md;
          shift = (float) (md - m);
          rs = (float) RowStats.rstd(x, xo, HIDDEN, md, EPS);
        }
        float c = -shift * rs;
        // the last row re-reads itself (from cache) instead, and the sum is not used
        int next = r + 1 < r1 ? xo + HIDDEN : xo;
        float nextX0 = x[next];
        // pass 3: y = (x - mean)·rstd·weight + bias; with pass 1 of the next row
        float nextSum;
        {
          FloatVector zero = FloatVector.zero(SPECIES);
          FloatVector nextSum0 = zero, nextSum1 = zero, nextSum2 = zero, nextSum3 = zero;
          int j = 0;
          for (; j < UNROLLED_BOUND; j += UNROLLED_STEP) {
            FloatVector.fromArray(SPECIES, x, xo + j).sub(m).fma(rs, c).fma(FloatVector.fromArray(SPECIES, weight, j), FloatVector.fromArray(SPECIES, bias, j)).intoArray(y, yo + j);
            nextSum0 = nextSum0.add(FloatVector.fromArray(SPECIES, x, next + j).sub(nextX0));
            FloatVector.fromArray(SPECIES, x, xo + j + LANES).sub(m).fma(rs, c).fma(FloatVector.fromArray(SPECIES, weight, j + LANES), FloatVector.fromArray(SPECIES, bias, j + LANES)).intoArray(y, yo + j + LANES);
            nextSum1 = nextSum1.add(FloatVector.fromArray(SPECIES, x, next + j + LANES).sub(nextX0));
            FloatVector.fromArray(SPECIES, x, xo + j + 2 * LANES).sub(m).fma(rs, c).fma(FloatVector.fromArray(SPECIES, weight, j + 2 * LANES), FloatVector.fromArray(SPECIES, bias, j + 2 * LANES)).intoArray(y, yo + j + 2 * LANES);
            nextSum2 = nextSum2.add(FloatVector.fromArray(SPECIES, x, next + j + 2 * LANES).sub(nextX0));
            FloatVector.fromArray(SPECIES, x, xo + j + 3 * LANES).sub(m).fma(rs, c).fma(FloatVector.fromArray(SPECIES, weight, j + 3 * LANES), FloatVector.fromArray(SPECIES, bias, j + 3 * LANES)).intoArray(y, yo + j + 3 * LANES);
            nextSum3 = nextSum3.add(FloatVector.fromArray(SPECIES, x, next + j + 3 * LANES).sub(nextX0));
          }
          for (; j < VECTOR_BOUND; j += LANES) {
            FloatVector.fromArray(SPECIES, x, xo + j).sub(m).fma(rs, c).fma(FloatVector.fromArray(SPECIES, weight, j), FloatVector.fromArray(SPECIES, bias, j)).intoArray(y, yo + j);
            nextSum0 = nextSum0.add(FloatVector.fromArray(SPECIES, x, next + j).sub(nextX0));
          }
          FloatVector nextSumV = nextSum0.add(nextSum1).add(nextSum2.add(nextSum3));
          if (LANES > 32) nextSumV = nextSumV.add(nextSumV.rearrange(Lanes.SWAP_32));
          if (LANES > 16) nextSumV = nextSumV.add(nextSumV.rearrange(Lanes.SWAP_16));
          if (LANES > 8) nextSumV = nextSumV.add(nextSumV.rearrange(Lanes.SWAP_8));
          if (LANES > 4) nextSumV = nextSumV.add(nextSumV.rearrange(Lanes.SWAP_4));
          if (LANES > 2) nextSumV = nextSumV.add(nextSumV.rearrange(Lanes.SWAP_2));
          if (LANES > 1) nextSumV = nextSumV.add(nextSumV.rearrange(Lanes.SWAP_1));
          nextSum = nextSumV.lane(0);
          for (; j < HIDDEN; j++) {
            y[yo + j] = Math.fma(Math.fma(x[xo + j] - m, rs, c), weight[j], bias[j]);
            nextSum += x[next + j] - nextX0;
          }
        }
        sum = nextSum;
        x0 = nextX0;
        if (rstd != null) {
          mean[statsOff + r] = m + shift;
          rstd[statsOff + r] = rs;
        }
      }
    }

    void backwardRows(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int r0,
        int r1, float[] mean, float[] rstd, int statsOff, float[] dweight, float[] dbias) {
      for (int r = r0; r < r1; r++) {
        int xo = xOff + r * HIDDEN;
        int dyo = dyOff + r * HIDDEN;
        int dxo = dxOff + r * HIDDEN;
        float m = mean[statsOff + r];
        float rs = rstd[statsOff + r];
        // pass 1: xhat = (x - mean)·rstd, g = dy·weight; Σg, Σg·xhat, Σxhat
        float sumG, sumGx, sumX;
        {
          FloatVector zero = FloatVector.zero(SPECIES);
          FloatVector sumG0 = zero, sumG1 = zero, sumG2 = zero, sumG3 = zero;
          FloatVector sumGx0 = zero, sumGx1 = zero, sumGx2 = zero, sumGx3 = zero;
          FloatVector sumX0 = zero, sumX1 = zero, sumX2 = zero, sumX3 = zero;
          int j = 0;
          for (; j < UNROLLED_BOUND; j += UNROLLED_STEP) {
            var xh0 = FloatVector.fromArray(SPECIES, x, xo + j).sub(m).mul(rs);
            var g0 = FloatVector.fromArray(SPECIES, dy, dyo + j).mul(FloatVector.fromArray(SPECIES, weight, j));
            sumG0 = sumG0.add(g0);
            sumGx0 = g0.fma(xh0, sumGx0);
            sumX0 = sumX0.add(xh0);
            var xh1 = FloatVector.fromArray(SPECIES, x, xo + j + LANES).sub(m).mul(rs);
            var g1 = FloatVector.fromArray(SPECIES, dy, dyo + j + LANES).mul(FloatVector.fromArray(SPECIES, weight, j + LANES));
            sumG1 = sumG1.add(g1);
            sumGx1 = g1.fma(xh1, sumGx1);
            sumX1 = sumX1.add(xh1);
            var xh2 = FloatVector.fromArray(SPECIES, x, xo + j + 2 * LANES).sub(m).mul(rs);
            var g2 = FloatVector.fromArray(SPECIES, dy, dyo + j + 2 * LANES).mul(FloatVector.fromArray(SPECIES, weight, j + 2 * LANES));
            sumG2 = sumG2.add(g2);
            sumGx2 = g2.fma(xh2, sumGx2);
            sumX2 = sumX2.add(xh2);
            var xh3 = FloatVector.fromArray(SPECIES, x, xo + j + 3 * LANES).sub(m).mul(rs);
            var g3 = FloatVector.fromArray(SPECIES, dy, dyo + j + 3 * LANES).mul(FloatVector.fromArray(SPECIES, weight, j + 3 * LANES));
            sumG3 = sumG3.add(g3);
            sumGx3 = g3.fma(xh3, sumGx3);
            sumX3 = sumX3.add(xh3);
          }
          for (; j < VECTOR_BOUND; j += LANES) {
            var xh0 = FloatVector.fromArray(SPECIES, x, xo + j).sub(m).mul(rs);
            var g0 = FloatVector.fromArray(SPECIES, dy, dyo + j).mul(FloatVector.fromArray(SPECIES, weight, j));
            sumG0 = sumG0.add(g0);
            sumGx0 = g0.fma(xh0, sumGx0);
            sumX0 = sumX0.add(xh0);
          }
          FloatVector sumGV = sumG0.add(sumG1).add(sumG2.add(sumG3));
          if (LANES > 32) sumGV = sumGV.add(sumGV.rearrange(Lanes.SWAP_32));
          if (LANES > 16) sumGV = sumGV.add(sumGV.rearrange(Lanes.SWAP_16));
          if (LANES > 8) sumGV = sumGV.add(sumGV.rearrange(Lanes.SWAP_8));
          if (LANES > 4) sumGV = sumGV.add(sumGV.rearrange(Lanes.SWAP_4));
          if (LANES > 2) sumGV = sumGV.add(sumGV.rearrange(Lanes.SWAP_2));
          if (LANES > 1) sumGV = sumGV.add(sumGV.rearrange(Lanes.SWAP_1));
          sumG = sumGV.lane(0);
          FloatVector sumGxV = sumGx0.add(sumGx1).add(sumGx2.add(sumGx3));
          if (LANES > 32) sumGxV = sumGxV.add(sumGxV.rearrange(Lanes.SWAP_32));
          if (LANES > 16) sumGxV = sumGxV.add(sumGxV.rearrange(Lanes.SWAP_16));
          if (LANES > 8) sumGxV = sumGxV.add(sumGxV.rearrange(Lanes.SWAP_8));
          if (LANES > 4) sumGxV = sumGxV.add(sumGxV.rearrange(Lanes.SWAP_4));
          if (LANES > 2) sumGxV = sumGxV.add(sumGxV.rearrange(Lanes.SWAP_2));
          if (LANES > 1) sumGxV = sumGxV.add(sumGxV.rearrange(Lanes.SWAP_1));
          sumGx = sumGxV.lane(0);
          FloatVector sumXV = sumX0.add(sumX1).add(sumX2.add(sumX3));
          if (LANES > 32) sumXV = sumXV.add(sumXV.rearrange(Lanes.SWAP_32));
          if (LANES > 16) sumXV = sumXV.add(sumXV.rearrange(Lanes.SWAP_16));
          if (LANES > 8) sumXV = sumXV.add(sumXV.rearrange(Lanes.SWAP_8));
          if (LANES > 4) sumXV = sumXV.add(sumXV.rearrange(Lanes.SWAP_4));
          if (LANES > 2) sumXV = sumXV.add(sumXV.rearrange(Lanes.SWAP_2));
          if (LANES > 1) sumXV = sumXV.add(sumXV.rearrange(Lanes.SWAP_1));
          sumX = sumXV.lane(0);
          for (; j < HIDDEN; j++) {
            float xh = (x[xo + j] - m) * rs;
            float g = dy[dyo + j] * weight[j];
            sumG += g;
            sumGx = Math.fma(g, xh, sumGx);
            sumX += xh;
          }
        }
        // the saved mean was rounded to float: e re-centres xhat exactly (Σxhat = 0)
        float e = sumX / HIDDEN;
        float meanG = sumG / HIDDEN;
        float meanGx = (sumGx - e * sumG) / HIDDEN;
        float negMeanGx = -meanGx;
        // pass 2: dx = rstd·(g - mean(g) - xhat·mean(g·xhat)); dweight += dy·xhat; dbias += dy
        {
          var negMeanGxV = FloatVector.broadcast(SPECIES, negMeanGx);
          int j = 0;
          for (; j < UNROLLED_BOUND; j += UNROLLED_STEP) {
            var dyv0 = FloatVector.fromArray(SPECIES, dy, dyo + j);
            var xh0 = FloatVector.fromArray(SPECIES, x, xo + j).sub(m).mul(rs).sub(e);
            var g0 = dyv0.mul(FloatVector.fromArray(SPECIES, weight, j));
            xh0.fma(negMeanGxV, g0.sub(meanG)).mul(rs).intoArray(dx, dxo + j);
            dyv0.fma(xh0, FloatVector.fromArray(SPECIES, dweight, j)).intoArray(dweight, j);
            dyv0.add(FloatVector.fromArray(SPECIES, dbias, j)).intoArray(dbias, j);
            var dyv1 = FloatVector.fromArray(SPECIES, dy, dyo + j + LANES);
            var xh1 = FloatVector.fromArray(SPECIES, x, xo + j + LANES).sub(m).mul(rs).sub(e);
            var g1 = dyv1.mul(FloatVector.fromArray(SPECIES, weight, j + LANES));
            xh1.fma(negMeanGxV, g1.sub(meanG)).mul(rs).intoArray(dx, dxo + j + LANES);
            dyv1.fma(xh1, FloatVector.fromArray(SPECIES, dweight, j + LANES)).intoArray(dweight, j + LANES);
            dyv1.add(FloatVector.fromArray(SPECIES, dbias, j + LANES)).intoArray(dbias, j + LANES);
            var dyv2 = FloatVector.fromArray(SPECIES, dy, dyo + j + 2 * LANES);
            var xh2 = FloatVector.fromArray(SPECIES, x, xo + j + 2 * LANES).sub(m).mul(rs).sub(e);
            var g2 = dyv2.mul(FloatVector.fromArray(SPECIES, weight, j + 2 * LANES));
            xh2.fma(negMeanGxV, g2.sub(meanG)).mul(rs).intoArray(dx, dxo + j + 2 * LANES);
            dyv2.fma(xh2, FloatVector.fromArray(SPECIES, dweight, j + 2 * LANES)).intoArray(dweight, j + 2 * LANES);
            dyv2.add(FloatVector.fromArray(SPECIES, dbias, j + 2 * LANES)).intoArray(dbias, j + 2 * LANES);
            var dyv3 = FloatVector.fromArray(SPECIES, dy, dyo + j + 3 * LANES);
            var xh3 = FloatVector.fromArray(SPECIES, x, xo + j + 3 * LANES).sub(m).mul(rs).sub(e);
            var g3 = dyv3.mul(FloatVector.fromArray(SPECIES, weight, j + 3 * LANES));
            xh3.fma(negMeanGxV, g3.sub(meanG)).mul(rs).intoArray(dx, dxo + j + 3 * LANES);
            dyv3.fma(xh3, FloatVector.fromArray(SPECIES, dweight, j + 3 * LANES)).intoArray(dweight, j + 3 * LANES);
            dyv3.add(FloatVector.fromArray(SPECIES, dbias, j + 3 * LANES)).intoArray(dbias, j + 3 * LANES);
          }
          for (; j < VECTOR_BOUND; j += LANES) {
            var dyv0 = FloatVector.fromArray(SPECIES, dy, dyo + j);
            var xh0 = FloatVector.fromArray(SPECIES, x, xo + j).sub(m).mul(rs).sub(e);
            var g0 = dyv0.mul(FloatVector.fromArray(SPECIES, weight, j));
            xh0.fma(negMeanGxV, g0.sub(meanG)).mul(rs).intoArray(dx, dxo + j);
            dyv0.fma(xh0, FloatVector.fromArray(SPECIES, dweight, j)).intoArray(dweight, j);
            dyv0.add(FloatVector.fromArray(SPECIES, dbias, j)).intoArray(dbias, j);
          }
          for (; j < HIDDEN; j++) {
            float dyv = dy[dyo + j];
            float xh = (x[xo + j] - m) * rs - e;
            float g = dyv * weight[j];
            dx[dxo + j] = Math.fma(xh, negMeanGx, g - meanG) * rs;
            dweight[j] = Math.fma(dyv, xh, dweight[j]);
            dbias[j] = dyv + dbias[j];
          }
        }
      }
    }
  }
}
