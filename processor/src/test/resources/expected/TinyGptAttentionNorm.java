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
 * RMSNorm over rows of 100 features, specialized for that size (Vector API).
 *
 * <p>Forward: {@code y = x·rstd·weight}, {@code rstd = 1/sqrt(mean(x²) + eps)}.
 * Backward, with {@code g = dy·weight} and {@code xhat = x·rstd}:
 * {@code dx = rstd·(g - xhat·mean(g·xhat))}, {@code dweight += Σ dy·xhat}.
 *
 * <p>Configuration: type RMS, placement NONE, hidden 100, eps 1.0E-6, weight true, bias false.
 * Generated from {@code dev.example.TinyGpt#attentionNorm()}.
 */
@Generated(
    value = "dev.normforge.processor.NormProcessor",
    comments = "from dev.example.TinyGpt#attentionNorm()"
)
public final class TinyGptAttentionNorm extends RowNormLayer {
  /**
   * Features per row: every loop bound below is derived from it.
   */
  public static final int HIDDEN = 100;

  /**
   * Added to the variance before the square root.
   */
  public static final double EPS = 1.0E-6;

  private final Kernels kernels;

  /**
   * A new layer with weight 1.0 and zero gradients.
   */
  public TinyGptAttentionNorm() {
    super(HIDDEN, EPS, false, true, false, 1.0f, "");
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

    Kernels() {
      this.weight = weight().value();
    }

    void normalizeRows(float[] x, int xOff, float[] y, int yOff, int r0, int r1, float[] mean,
        float[] rstd, int statsOff) {
      if (r0 >= r1) {
        return;
      }
      // pass 1: Σx²
      float sumSq;
      {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector sumSq0 = zero, sumSq1 = zero, sumSq2 = zero, sumSq3 = zero;
        int j = 0;
        for (; j < UNROLLED_BOUND; j += UNROLLED_STEP) {
          var v0 = FloatVector.fromArray(SPECIES, x, xOff + r0 * HIDDEN + j);
          sumSq0 = v0.fma(v0, sumSq0);
          var v1 = FloatVector.fromArray(SPECIES, x, xOff + r0 * HIDDEN + j + LANES);
          sumSq1 = v1.fma(v1, sumSq1);
          var v2 = FloatVector.fromArray(SPECIES, x, xOff + r0 * HIDDEN + j + 2 * LANES);
          sumSq2 = v2.fma(v2, sumSq2);
          var v3 = FloatVector.fromArray(SPECIES, x, xOff + r0 * HIDDEN + j + 3 * LANES);
          sumSq3 = v3.fma(v3, sumSq3);
        }
        for (; j < VECTOR_BOUND; j += LANES) {
          var v0 = FloatVector.fromArray(SPECIES, x, xOff + r0 * HIDDEN + j);
          sumSq0 = v0.fma(v0, sumSq0);
        }
        FloatVector sumSqV = sumSq0.add(sumSq1).add(sumSq2.add(sumSq3));
        if (LANES > 32) sumSqV = sumSqV.add(sumSqV.rearrange(Lanes.SWAP_32));
        if (LANES > 16) sumSqV = sumSqV.add(sumSqV.rearrange(Lanes.SWAP_16));
        if (LANES > 8) sumSqV = sumSqV.add(sumSqV.rearrange(Lanes.SWAP_8));
        if (LANES > 4) sumSqV = sumSqV.add(sumSqV.rearrange(Lanes.SWAP_4));
        if (LANES > 2) sumSqV = sumSqV.add(sumSqV.rearrange(Lanes.SWAP_2));
        if (LANES > 1) sumSqV = sumSqV.add(sumSqV.rearrange(Lanes.SWAP_1));
        sumSq = sumSqV.lane(0);
        for (; j < HIDDEN; j++) {
          float v = x[xOff + r0 * HIDDEN + j];
          sumSq = Math.fma(v, v, sumSq);
        }
      }
      for (int r = r0; r < r1; r++) {
        int xo = xOff + r * HIDDEN;
        int yo = yOff + r * HIDDEN;
        float rs;
        if (sumSq > MIN_SAFE_SUM && sumSq < MAX_SAFE_SUM) {
          rs = (float) (1.0 / Math.sqrt((double) sumSq / HIDDEN + EPS));
        } else {
          // an all-zero row, squares that under- or overflow float, NaN or infinity: statistics in double
          rs = (float) RowStats.rstd(x, xo, HIDDEN, 0.0, EPS);
        }
        // the last row re-reads itself (from cache) instead, and the sum is not used
        int next = r + 1 < r1 ? xo + HIDDEN : xo;
        // pass 2: y = x·rstd·weight; with pass 1 of the next row
        float nextSumSq;
        {
          FloatVector zero = FloatVector.zero(SPECIES);
          FloatVector nextSumSq0 = zero, nextSumSq1 = zero, nextSumSq2 = zero, nextSumSq3 = zero;
          int j = 0;
          for (; j < UNROLLED_BOUND; j += UNROLLED_STEP) {
            FloatVector.fromArray(SPECIES, x, xo + j).mul(rs).mul(FloatVector.fromArray(SPECIES, weight, j)).intoArray(y, yo + j);
            var nextv0 = FloatVector.fromArray(SPECIES, x, next + j);
            nextSumSq0 = nextv0.fma(nextv0, nextSumSq0);
            FloatVector.fromArray(SPECIES, x, xo + j + LANES).mul(rs).mul(FloatVector.fromArray(SPECIES, weight, j + LANES)).intoArray(y, yo + j + LANES);
            var nextv1 = FloatVector.fromArray(SPECIES, x, next + j + LANES);
            nextSumSq1 = nextv1.fma(nextv1, nextSumSq1);
            FloatVector.fromArray(SPECIES, x, xo + j + 2 * LANES).mul(rs).mul(FloatVector.fromArray(SPECIES, weight, j + 2 * LANES)).intoArray(y, yo + j + 2 * LANES);
            var nextv2 = FloatVector.fromArray(SPECIES, x, next + j + 2 * LANES);
            nextSumSq2 = nextv2.fma(nextv2, nextSumSq2);
            FloatVector.fromArray(SPECIES, x, xo + j + 3 * LANES).mul(rs).mul(FloatVector.fromArray(SPECIES, weight, j + 3 * LANES)).intoArray(y, yo + j + 3 * LANES);
            var nextv3 = FloatVector.fromArray(SPECIES, x, next + j + 3 * LANES);
            nextSumSq3 = nextv3.fma(nextv3, nextSumSq3);
          }
          for (; j < VECTOR_BOUND; j += LANES) {
            FloatVector.fromArray(SPECIES, x, xo + j).mul(rs).mul(FloatVector.fromArray(SPECIES, weight, j)).intoArray(y, yo + j);
            var nextv0 = FloatVector.fromArray(SPECIES, x, next + j);
            nextSumSq0 = nextv0.fma(nextv0, nextSumSq0);
          }
          FloatVector nextSumSqV = nextSumSq0.add(nextSumSq1).add(nextSumSq2.add(nextSumSq3));
          if (LANES > 32) nextSumSqV = nextSumSqV.add(nextSumSqV.rearrange(Lanes.SWAP_32));
          if (LANES > 16) nextSumSqV = nextSumSqV.add(nextSumSqV.rearrange(Lanes.SWAP_16));
          if (LANES > 8) nextSumSqV = nextSumSqV.add(nextSumSqV.rearrange(Lanes.SWAP_8));
          if (LANES > 4) nextSumSqV = nextSumSqV.add(nextSumSqV.rearrange(Lanes.SWAP_4));
          if (LANES > 2) nextSumSqV = nextSumSqV.add(nextSumSqV.rearrange(Lanes.SWAP_2));
          if (LANES > 1) nextSumSqV = nextSumSqV.add(nextSumSqV.rearrange(Lanes.SWAP_1));
          nextSumSq = nextSumSqV.lane(0);
          for (; j < HIDDEN; j++) {
            y[yo + j] = x[xo + j] * rs * weight[j];
            float nextv = x[next + j];
            nextSumSq = Math.fma(nextv, nextv, nextSumSq);
          }
        }
        sumSq = nextSumSq;
        if (rstd != null) {
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
        float rs = rstd[statsOff + r];
        // pass 1: xhat = x·rstd, g = dy·weight; Σg·xhat
        float sumGx;
        {
          FloatVector zero = FloatVector.zero(SPECIES);
          FloatVector sumGx0 = zero, sumGx1 = zero, sumGx2 = zero, sumGx3 = zero;
          int j = 0;
          for (; j < UNROLLED_BOUND; j += UNROLLED_STEP) {
            var xh0 = FloatVector.fromArray(SPECIES, x, xo + j).mul(rs);
            var g0 = FloatVector.fromArray(SPECIES, dy, dyo + j).mul(FloatVector.fromArray(SPECIES, weight, j));
            sumGx0 = g0.fma(xh0, sumGx0);
            var xh1 = FloatVector.fromArray(SPECIES, x, xo + j + LANES).mul(rs);
            var g1 = FloatVector.fromArray(SPECIES, dy, dyo + j + LANES).mul(FloatVector.fromArray(SPECIES, weight, j + LANES));
            sumGx1 = g1.fma(xh1, sumGx1);
            var xh2 = FloatVector.fromArray(SPECIES, x, xo + j + 2 * LANES).mul(rs);
            var g2 = FloatVector.fromArray(SPECIES, dy, dyo + j + 2 * LANES).mul(FloatVector.fromArray(SPECIES, weight, j + 2 * LANES));
            sumGx2 = g2.fma(xh2, sumGx2);
            var xh3 = FloatVector.fromArray(SPECIES, x, xo + j + 3 * LANES).mul(rs);
            var g3 = FloatVector.fromArray(SPECIES, dy, dyo + j + 3 * LANES).mul(FloatVector.fromArray(SPECIES, weight, j + 3 * LANES));
            sumGx3 = g3.fma(xh3, sumGx3);
          }
          for (; j < VECTOR_BOUND; j += LANES) {
            var xh0 = FloatVector.fromArray(SPECIES, x, xo + j).mul(rs);
            var g0 = FloatVector.fromArray(SPECIES, dy, dyo + j).mul(FloatVector.fromArray(SPECIES, weight, j));
            sumGx0 = g0.fma(xh0, sumGx0);
          }
          FloatVector sumGxV = sumGx0.add(sumGx1).add(sumGx2.add(sumGx3));
          if (LANES > 32) sumGxV = sumGxV.add(sumGxV.rearrange(Lanes.SWAP_32));
          if (LANES > 16) sumGxV = sumGxV.add(sumGxV.rearrange(Lanes.SWAP_16));
          if (LANES > 8) sumGxV = sumGxV.add(sumGxV.rearrange(Lanes.SWAP_8));
          if (LANES > 4) sumGxV = sumGxV.add(sumGxV.rearrange(Lanes.SWAP_4));
          if (LANES > 2) sumGxV = sumGxV.add(sumGxV.rearrange(Lanes.SWAP_2));
          if (LANES > 1) sumGxV = sumGxV.add(sumGxV.rearrange(Lanes.SWAP_1));
          sumGx = sumGxV.lane(0);
          for (; j < HIDDEN; j++) {
            float xh = x[xo + j] * rs;
            float g = dy[dyo + j] * weight[j];
            sumGx = Math.fma(g, xh, sumGx);
          }
        }
        float meanGx = sumGx / HIDDEN;
        float negMeanGx = -meanGx;
        // pass 2: dx = rstd·(g - xhat·mean(g·xhat)); dweight += dy·xhat
        {
          var negMeanGxV = FloatVector.broadcast(SPECIES, negMeanGx);
          int j = 0;
          for (; j < UNROLLED_BOUND; j += UNROLLED_STEP) {
            var dyv0 = FloatVector.fromArray(SPECIES, dy, dyo + j);
            var xh0 = FloatVector.fromArray(SPECIES, x, xo + j).mul(rs);
            var g0 = dyv0.mul(FloatVector.fromArray(SPECIES, weight, j));
            xh0.fma(negMeanGxV, g0).mul(rs).intoArray(dx, dxo + j);
            dyv0.fma(xh0, FloatVector.fromArray(SPECIES, dweight, j)).intoArray(dweight, j);
            var dyv1 = FloatVector.fromArray(SPECIES, dy, dyo + j + LANES);
            var xh1 = FloatVector.fromArray(SPECIES, x, xo + j + LANES).mul(rs);
            var g1 = dyv1.mul(FloatVector.fromArray(SPECIES, weight, j + LANES));
            xh1.fma(negMeanGxV, g1).mul(rs).intoArray(dx, dxo + j + LANES);
            dyv1.fma(xh1, FloatVector.fromArray(SPECIES, dweight, j + LANES)).intoArray(dweight, j + LANES);
            var dyv2 = FloatVector.fromArray(SPECIES, dy, dyo + j + 2 * LANES);
            var xh2 = FloatVector.fromArray(SPECIES, x, xo + j + 2 * LANES).mul(rs);
            var g2 = dyv2.mul(FloatVector.fromArray(SPECIES, weight, j + 2 * LANES));
            xh2.fma(negMeanGxV, g2).mul(rs).intoArray(dx, dxo + j + 2 * LANES);
            dyv2.fma(xh2, FloatVector.fromArray(SPECIES, dweight, j + 2 * LANES)).intoArray(dweight, j + 2 * LANES);
            var dyv3 = FloatVector.fromArray(SPECIES, dy, dyo + j + 3 * LANES);
            var xh3 = FloatVector.fromArray(SPECIES, x, xo + j + 3 * LANES).mul(rs);
            var g3 = dyv3.mul(FloatVector.fromArray(SPECIES, weight, j + 3 * LANES));
            xh3.fma(negMeanGxV, g3).mul(rs).intoArray(dx, dxo + j + 3 * LANES);
            dyv3.fma(xh3, FloatVector.fromArray(SPECIES, dweight, j + 3 * LANES)).intoArray(dweight, j + 3 * LANES);
          }
          for (; j < VECTOR_BOUND; j += LANES) {
            var dyv0 = FloatVector.fromArray(SPECIES, dy, dyo + j);
            var xh0 = FloatVector.fromArray(SPECIES, x, xo + j).mul(rs);
            var g0 = dyv0.mul(FloatVector.fromArray(SPECIES, weight, j));
            xh0.fma(negMeanGxV, g0).mul(rs).intoArray(dx, dxo + j);
            dyv0.fma(xh0, FloatVector.fromArray(SPECIES, dweight, j)).intoArray(dweight, j);
          }
          for (; j < HIDDEN; j++) {
            float dyv = dy[dyo + j];
            float xh = x[xo + j] * rs;
            float g = dyv * weight[j];
            dx[dxo + j] = Math.fma(xh, negMeanGx, g) * rs;
            dweight[j] = Math.fma(dyv, xh, dweight[j]);
          }
        }
      }
    }
  }
}
