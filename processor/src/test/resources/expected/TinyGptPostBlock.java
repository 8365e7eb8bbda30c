package dev.example;

import dev.normforge.runtime.internal.Lanes;
import dev.normforge.runtime.internal.PostNormBlock;
import dev.normforge.runtime.internal.RowStats;
import java.lang.Float;
import java.lang.Math;
import java.lang.Override;
import javax.annotation.processing.Generated;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A fused residual block, Post-RMSNorm, over rows of 100 features, specialized for that size (Vector API).
 *
 * <p>Forward: {@code out = norm(alpha·x + F(x))}, with {@code norm} = RMSNorm ({@code s·rstd·weight}).
 * One pass per row writes {@code s = alpha·x + F(x)} (kept in the workspace) and sums it; backward
 * writes {@code ds = norm'(s)ᵀ·dout} and {@code dx = alpha·ds} in one pass per row, then
 * {@code F.backward(x, ds, dx)} adds the sublayer path. {@link #addNormForward} and
 * {@link #addNormBackward} expose the fused add+norm kernels.
 *
 * <p>Configuration: type RMS, placement POST, hidden 100, eps 1.0E-5, weight true, bias false, alpha 1.0, beta 1.0.
 * Generated from {@code dev.example.TinyGpt#postBlock()}.
 */
@Generated(
    value = "dev.normforge.processor.NormProcessor",
    comments = "from dev.example.TinyGpt#postBlock()"
)
public final class TinyGptPostBlock extends PostNormBlock {
  /**
   * Features per row: every loop bound below is derived from it.
   */
  public static final int HIDDEN = 100;

  /**
   * Added to the variance before the square root.
   */
  public static final double EPS = 1.0E-5;

  /**
   * The residual scale alpha.
   */
  public static final double ALPHA = 1.0;

  /**
   * The initialisation gain beta: Xavier-normal gain for the sublayer's ffn, v_proj and out_proj.
   */
  public static final double BETA = 1.0;

  private final Kernels kernels;

  /**
   * A new block whose norm has weight 1.0 and zero gradients.
   */
  public TinyGptPostBlock() {
    super(HIDDEN, EPS, ALPHA, BETA, false, true, false, 1.0f);
    this.kernels = new Kernels();
  }

  @Override
  protected void addNormRows(float[] x, int xOff, float[] f, int fOff, float[] s, int sOff,
      float[] y, int yOff, int r0, int r1, float[] mean, float[] rstd, int statsOff) {
    kernels.addNormRows(x, xOff, f, fOff, s, sOff, y, yOff, r0, r1, mean, rstd, statsOff);
  }

  @Override
  protected void addNormBackwardRows(float[] s, int sOff, float[] dy, int dyOff, float[] ds,
      int dsOff, float[] dx, int dxOff, int r0, int r1, float[] mean, float[] rstd, int statsOff,
      float[] dweight, float[] dbias) {
    kernels.addNormBackwardRows(s, sOff, dy, dyOff, ds, dsOff, dx, dxOff, r0, r1, mean, rstd, statsOff, dweight, dbias);
  }

  /**
   * The kernels and what they read: the Vector API code of this class, created by the constructor
   * after the base class has checked that the JVM has {@code jdk.incubator.vector}.
   */
  private final class Kernels {
    /**
     * alpha as the kernels use it.
     */
    private static final float ALPHA_F = (float) ALPHA;

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

    void addNormRows(float[] x, int xOff, float[] f, int fOff, float[] s, int sOff, float[] y,
        int yOff, int r0, int r1, float[] mean, float[] rstd, int statsOff) {
      for (int r = r0; r < r1; r++) {
        int xo = xOff + r * HIDDEN;
        int fo = fOff + r * HIDDEN;
        int so = sOff + r * HIDDEN;
        int yo = yOff + r * HIDDEN;
        // pass 1: s = alpha·x + f, written for the backward and the next passes; Σs²
        float sumSq;
        {
          var alphaFV = FloatVector.broadcast(SPECIES, ALPHA_F);
          FloatVector zero = FloatVector.zero(SPECIES);
          FloatVector sumSq0 = zero, sumSq1 = zero, sumSq2 = zero, sumSq3 = zero;
          int j = 0;
          for (; j < UNROLLED_BOUND; j += UNROLLED_STEP) {
            var v0 = FloatVector.fromArray(SPECIES, x, xo + j).fma(alphaFV, FloatVector.fromArray(SPECIES, f, fo + j));
            v0.intoArray(s, so + j);
            sumSq0 = v0.fma(v0, sumSq0);
            var v1 = FloatVector.fromArray(SPECIES, x, xo + j + LANES).fma(alphaFV, FloatVector.fromArray(SPECIES, f, fo + j + LANES));
            v1.intoArray(s, so + j + LANES);
            sumSq1 = v1.fma(v1, sumSq1);
            var v2 = FloatVector.fromArray(SPECIES, x, xo + j + 2 * LANES).fma(alphaFV, FloatVector.fromArray(SPECIES, f, fo + j + 2 * LANES));
            v2.intoArray(s, so + j + 2 * LANES);
            sumSq2 = v2.fma(v2, sumSq2);
            var v3 = FloatVector.fromArray(SPECIES, x, xo + j + 3 * LANES).fma(alphaFV, FloatVector.fromArray(SPECIES, f, fo + j + 3 * LANES));
            v3.intoArray(s, so + j + 3 * LANES);
            sumSq3 = v3.fma(v3, sumSq3);
          }
          for (; j < VECTOR_BOUND; j += LANES) {
            var v0 = FloatVector.fromArray(SPECIES, x, xo + j).fma(alphaFV, FloatVector.fromArray(SPECIES, f, fo + j));
            v0.intoArray(s, so + j);
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
            float v = Math.fma(ALPHA_F, x[xo + j], f[fo + j]);
            s[so + j] = v;
            sumSq = Math.fma(v, v, sumSq);
          }
        }
        float rs;
        if (sumSq > MIN_SAFE_SUM && sumSq < MAX_SAFE_SUM) {
          rs = (float) (1.0 / Math.sqrt((double) sumSq / HIDDEN + EPS));
        } else {
          // an all-zero row, squares that under- or overflow float, NaN or infinity: statistics in double
          rs = (float) RowStats.rstd(s, so, HIDDEN, 0.0, EPS);
        }
        // pass 2: y = s·rstd·weight
        {
          int j = 0;
          for (; j < UNROLLED_BOUND; j += UNROLLED_STEP) {
            FloatVector.fromArray(SPECIES, s, so + j).mul(rs).mul(FloatVector.fromArray(SPECIES, weight, j)).intoArray(y, yo + j);
            FloatVector.fromArray(SPECIES, s, so + j + LANES).mul(rs).mul(FloatVector.fromArray(SPECIES, weight, j + LANES)).intoArray(y, yo + j + LANES);
            FloatVector.fromArray(SPECIES, s, so + j + 2 * LANES).mul(rs).mul(FloatVector.fromArray(SPECIES, weight, j + 2 * LANES)).intoArray(y, yo + j + 2 * LANES);
            FloatVector.fromArray(SPECIES, s, so + j + 3 * LANES).mul(rs).mul(FloatVector.fromArray(SPECIES, weight, j + 3 * LANES)).intoArray(y, yo + j + 3 * LANES);
          }
          for (; j < VECTOR_BOUND; j += LANES) {
            FloatVector.fromArray(SPECIES, s, so + j).mul(rs).mul(FloatVector.fromArray(SPECIES, weight, j)).intoArray(y, yo + j);
          }
          for (; j < HIDDEN; j++) {
            y[yo + j] = s[so + j] * rs * weight[j];
          }
        }
        rstd[statsOff + r] = rs;
      }
    }

    void addNormBackwardRows(float[] s, int sOff, float[] dy, int dyOff, float[] ds, int dsOff,
        float[] dx, int dxOff, int r0, int r1, float[] mean, float[] rstd, int statsOff,
        float[] dweight, float[] dbias) {
      for (int r = r0; r < r1; r++) {
        int so = sOff + r * HIDDEN;
        int dyo = dyOff + r * HIDDEN;
        int dso = dsOff + r * HIDDEN;
        int dxo = dxOff + r * HIDDEN;
        float rs = rstd[statsOff + r];
        // pass 1: xhat = x·rstd, g = dy·weight; Σg·xhat
        float sumGx;
        {
          FloatVector zero = FloatVector.zero(SPECIES);
          FloatVector sumGx0 = zero, sumGx1 = zero, sumGx2 = zero, sumGx3 = zero;
          int j = 0;
          for (; j < UNROLLED_BOUND; j += UNROLLED_STEP) {
            var xh0 = FloatVector.fromArray(SPECIES, s, so + j).mul(rs);
            var g0 = FloatVector.fromArray(SPECIES, dy, dyo + j).mul(FloatVector.fromArray(SPECIES, weight, j));
            sumGx0 = g0.fma(xh0, sumGx0);
            var xh1 = FloatVector.fromArray(SPECIES, s, so + j + LANES).mul(rs);
            var g1 = FloatVector.fromArray(SPECIES, dy, dyo + j + LANES).mul(FloatVector.fromArray(SPECIES, weight, j + LANES));
            sumGx1 = g1.fma(xh1, sumGx1);
            var xh2 = FloatVector.fromArray(SPECIES, s, so + j + 2 * LANES).mul(rs);
            var g2 = FloatVector.fromArray(SPECIES, dy, dyo + j + 2 * LANES).mul(FloatVector.fromArray(SPECIES, weight, j + 2 * LANES));
            sumGx2 = g2.fma(xh2, sumGx2);
            var xh3 = FloatVector.fromArray(SPECIES, s, so + j + 3 * LANES).mul(rs);
            var g3 = FloatVector.fromArray(SPECIES, dy, dyo + j + 3 * LANES).mul(FloatVector.fromArray(SPECIES, weight, j + 3 * LANES));
            sumGx3 = g3.fma(xh3, sumGx3);
          }
          for (; j < VECTOR_BOUND; j += LANES) {
            var xh0 = FloatVector.fromArray(SPECIES, s, so + j).mul(rs);
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
            float xh = s[so + j] * rs;
            float g = dy[dyo + j] * weight[j];
            sumGx = Math.fma(g, xh, sumGx);
          }
        }
        float meanGx = sumGx / HIDDEN;
        float negMeanGx = -meanGx;
        // pass 2: ds = rstd·(g - xhat·mean(g·xhat)); dweight += dy·xhat
        {
          var negMeanGxV = FloatVector.broadcast(SPECIES, negMeanGx);
          int j = 0;
          for (; j < UNROLLED_BOUND; j += UNROLLED_STEP) {
            var dyv0 = FloatVector.fromArray(SPECIES, dy, dyo + j);
            var xh0 = FloatVector.fromArray(SPECIES, s, so + j).mul(rs);
            var g0 = dyv0.mul(FloatVector.fromArray(SPECIES, weight, j));
            var gx0 = xh0.fma(negMeanGxV, g0).mul(rs);
            gx0.intoArray(ds, dso + j);
            gx0.mul(ALPHA_F).intoArray(dx, dxo + j);
            dyv0.fma(xh0, FloatVector.fromArray(SPECIES, dweight, j)).intoArray(dweight, j);
            var dyv1 = FloatVector.fromArray(SPECIES, dy, dyo + j + LANES);
            var xh1 = FloatVector.fromArray(SPECIES, s, so + j + LANES).mul(rs);
            var g1 = dyv1.mul(FloatVector.fromArray(SPECIES, weight, j + LANES));
            var gx1 = xh1.fma(negMeanGxV, g1).mul(rs);
            gx1.intoArray(ds, dso + j + LANES);
            gx1.mul(ALPHA_F).intoArray(dx, dxo + j + LANES);
            dyv1.fma(xh1, FloatVector.fromArray(SPECIES, dweight, j + LANES)).intoArray(dweight, j + LANES);
            var dyv2 = FloatVector.fromArray(SPECIES, dy, dyo + j + 2 * LANES);
            var xh2 = FloatVector.fromArray(SPECIES, s, so + j + 2 * LANES).mul(rs);
            var g2 = dyv2.mul(FloatVector.fromArray(SPECIES, weight, j + 2 * LANES));
            var gx2 = xh2.fma(negMeanGxV, g2).mul(rs);
            gx2.intoArray(ds, dso + j + 2 * LANES);
            gx2.mul(ALPHA_F).intoArray(dx, dxo + j + 2 * LANES);
            dyv2.fma(xh2, FloatVector.fromArray(SPECIES, dweight, j + 2 * LANES)).intoArray(dweight, j + 2 * LANES);
            var dyv3 = FloatVector.fromArray(SPECIES, dy, dyo + j + 3 * LANES);
            var xh3 = FloatVector.fromArray(SPECIES, s, so + j + 3 * LANES).mul(rs);
            var g3 = dyv3.mul(FloatVector.fromArray(SPECIES, weight, j + 3 * LANES));
            var gx3 = xh3.fma(negMeanGxV, g3).mul(rs);
            gx3.intoArray(ds, dso + j + 3 * LANES);
            gx3.mul(ALPHA_F).intoArray(dx, dxo + j + 3 * LANES);
            dyv3.fma(xh3, FloatVector.fromArray(SPECIES, dweight, j + 3 * LANES)).intoArray(dweight, j + 3 * LANES);
          }
          for (; j < VECTOR_BOUND; j += LANES) {
            var dyv0 = FloatVector.fromArray(SPECIES, dy, dyo + j);
            var xh0 = FloatVector.fromArray(SPECIES, s, so + j).mul(rs);
            var g0 = dyv0.mul(FloatVector.fromArray(SPECIES, weight, j));
            var gx0 = xh0.fma(negMeanGxV, g0).mul(rs);
            gx0.intoArray(ds, dso + j);
            gx0.mul(ALPHA_F).intoArray(dx, dxo + j);
            dyv0.fma(xh0, FloatVector.fromArray(SPECIES, dweight, j)).intoArray(dweight, j);
          }
          for (; j < HIDDEN; j++) {
            float dyv = dy[dyo + j];
            float xh = s[so + j] * rs;
            float g = dyv * weight[j];
            float gx = Math.fma(xh, negMeanGx, g) * rs;
            ds[dso + j] = gx;
            dx[dxo + j] = gx * ALPHA_F;
            dweight[j] = Math.fma(dyv, xh, dweight[j]);
          }
        }
      }
    }
  }
}
