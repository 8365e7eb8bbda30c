package dev.example;

import dev.normforge.runtime.internal.BatchNormBase;
import dev.normforge.runtime.internal.BatchNormBlock;
import java.lang.Float;
import java.lang.Math;
import java.lang.Override;
import java.util.Arrays;
import javax.annotation.processing.Generated;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A Post-Norm residual block around BatchNorm: {@code out = BatchNorm(alpha·x + F(x))}, with the BatchNorm below.
 *
 * BatchNorm over rows of 100 features (PyTorch's {@code BatchNorm1d} on {@code [rows, 100]}), specialized for that size (Vector API).
 *
 * <p>Training: {@code y = (x - mean)·invstd·weight + bias}, {@code invstd = 1/sqrt(var + eps)}, per-feature mean and biased var over the batch's rows (at least 2); {@code running = (1 - momentum)·running + momentum·batch}, with the unbiased variance {@code var·rows/(rows - 1)}. Eval: the same with the running mean and variance.
 * Backward, with {@code xhat = (x - mean)·invstd}, means over the rows per feature: {@code dx = invstd·weight·(dy - mean(dy) - xhat·mean(dy·xhat))}, {@code dweight += Σ dy·xhat}, {@code dbias += Σ dy}.
 *
 * <p>Each kernel is one pass over a row range, vectorized across features; see {@code BatchNormBase} for the passes and the arithmetic between them.
 *
 * <p>Configuration: type BATCH, placement POST, hidden 100, eps 1.0E-5, weight true, bias true, alpha 1.0, beta 1.0, momentum 0.1.
 * Generated from {@code dev.example.TinyGpt#batchBlock()}.
 */
@Generated(
    value = "dev.normforge.processor.NormProcessor",
    comments = "from dev.example.TinyGpt#batchBlock()"
)
public final class TinyGptBatchBlock extends BatchNormBlock {
  /**
   * Features per row: every loop bound below is derived from it.
   */
  public static final int HIDDEN = 100;

  /**
   * Added to the variance before the square root.
   */
  public static final double EPS = 1.0E-5;

  /**
   * The running statistics' update rate.
   */
  public static final double MOMENTUM = 0.1;

  /**
   * The residual scale alpha.
   */
  public static final double ALPHA = 1.0;

  /**
   * The initialisation gain beta: Xavier-normal gain for the sublayer's ffn, v_proj and out_proj.
   */
  public static final double BETA = 1.0;

  /**
   * A new block whose BatchNorm has weight 1, bias 0, running mean 0 and running variance 1.
   */
  public TinyGptBatchBlock() {
    super(new Norm(), false, ALPHA, BETA);
  }

  /**
   * The block's BatchNorm, specialized for {@code HIDDEN}.
   */
  private static final class Norm extends BatchNormBase {
    private final Kernels kernels;

    Norm() {
      super(HIDDEN, EPS, MOMENTUM, true, true);
      this.kernels = new Kernels();
    }

    @Override
    protected void sumRows(float[] x, int xOff, int r0, int r1, float[] sum) {
      kernels.sumRows(x, xOff, r0, r1, sum);
    }

    @Override
    protected void statsRows(float[] x, int xOff, int r0, int r1, float[] shift, float[] sum,
        float[] sumSq) {
      kernels.statsRows(x, xOff, r0, r1, shift, sum, sumSq);
    }

    @Override
    protected void normalizeRows(float[] x, int xOff, float[] y, int yOff, int r0, int r1,
        float[] shift, float[] scale, float[] offset) {
      kernels.normalizeRows(x, xOff, y, yOff, r0, r1, shift, scale, offset);
    }

    @Override
    protected void gradientSumsRows(float[] x, int xOff, float[] dy, int dyOff, int r0, int r1,
        float[] center, float[] sumDy, float[] sumDyXc, float[] sumXc) {
      kernels.gradientSumsRows(x, xOff, dy, dyOff, r0, r1, center, sumDy, sumDyXc, sumXc);
    }

    @Override
    protected void backwardRows(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff,
        int r0, int r1, float[] center, float[] coefA, float[] coefB, float[] coefC) {
      kernels.backwardRows(x, xOff, dy, dyOff, dx, dxOff, r0, r1, center, coefA, coefB, coefC);
    }

    /**
     * The kernels and what they read: the Vector API code of this class, created by the constructor
     * after the base class has checked that the JVM has {@code jdk.incubator.vector}.
     */
    private final class Kernels {
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
       * Rows walked per block of features before the next block.
       */
      private static final int TILE_ROWS = 8;

      /**
       * Features per block of a pass with many live values per vector: 2 vectors.
       */
      private static final int PAIR_STEP = 2 * LANES;

      /**
       * End of the two-vector blocks.
       */
      private static final int PAIR_BOUND = HIDDEN - HIDDEN % PAIR_STEP;

      Kernels() {
      }

      void sumRows(float[] x, int xOff, int r0, int r1, float[] sum) {
        // Σx per feature
        Arrays.fill(sum, 0, HIDDEN, 0f);
        for (int t0 = r0, t1; t0 < r1; t0 = t1) {
          t1 = t0 + Math.min(TILE_ROWS, r1 - t0);
          int j = 0;
          for (; j < UNROLLED_BOUND; j += UNROLLED_STEP) {
            FloatVector s0 = FloatVector.fromArray(SPECIES, sum, j), s1 = FloatVector.fromArray(SPECIES, sum, j + LANES), s2 = FloatVector.fromArray(SPECIES, sum, j + 2 * LANES), s3 = FloatVector.fromArray(SPECIES, sum, j + 3 * LANES);
            for (int r = t0; r < t1; r++) {
              int xo = xOff + r * HIDDEN;
              s0 = s0.add(FloatVector.fromArray(SPECIES, x, xo + j));
              s1 = s1.add(FloatVector.fromArray(SPECIES, x, xo + j + LANES));
              s2 = s2.add(FloatVector.fromArray(SPECIES, x, xo + j + 2 * LANES));
              s3 = s3.add(FloatVector.fromArray(SPECIES, x, xo + j + 3 * LANES));
            }
            s0.intoArray(sum, j);
            s1.intoArray(sum, j + LANES);
            s2.intoArray(sum, j + 2 * LANES);
            s3.intoArray(sum, j + 3 * LANES);
          }
          for (; j < VECTOR_BOUND; j += LANES) {
            FloatVector s0 = FloatVector.fromArray(SPECIES, sum, j);
            for (int r = t0; r < t1; r++) {
              int xo = xOff + r * HIDDEN;
              s0 = s0.add(FloatVector.fromArray(SPECIES, x, xo + j));
            }
            s0.intoArray(sum, j);
          }
          for (; j < HIDDEN; j++) {
            float s = sum[j];
            for (int r = t0; r < t1; r++) {
              int xo = xOff + r * HIDDEN;
              s += x[xo + j];
            }
            sum[j] = s;
          }
        }
      }

      void statsRows(float[] x, int xOff, int r0, int r1, float[] shift, float[] sum,
          float[] sumSq) {
        // Σd and Σd² per feature, d = x - shift: around a shift near the data, the variance Σd²/n - (Σd/n)² keeps its digits when the mean dwarfs the spread
        Arrays.fill(sum, 0, HIDDEN, 0f);
        Arrays.fill(sumSq, 0, HIDDEN, 0f);
        for (int t0 = r0, t1; t0 < r1; t0 = t1) {
          t1 = t0 + Math.min(TILE_ROWS, r1 - t0);
          int j = 0;
          for (; j < UNROLLED_BOUND; j += UNROLLED_STEP) {
            FloatVector sh0 = FloatVector.fromArray(SPECIES, shift, j), sh1 = FloatVector.fromArray(SPECIES, shift, j + LANES), sh2 = FloatVector.fromArray(SPECIES, shift, j + 2 * LANES), sh3 = FloatVector.fromArray(SPECIES, shift, j + 3 * LANES);
            FloatVector s0 = FloatVector.fromArray(SPECIES, sum, j), s1 = FloatVector.fromArray(SPECIES, sum, j + LANES), s2 = FloatVector.fromArray(SPECIES, sum, j + 2 * LANES), s3 = FloatVector.fromArray(SPECIES, sum, j + 3 * LANES);
            FloatVector q0 = FloatVector.fromArray(SPECIES, sumSq, j), q1 = FloatVector.fromArray(SPECIES, sumSq, j + LANES), q2 = FloatVector.fromArray(SPECIES, sumSq, j + 2 * LANES), q3 = FloatVector.fromArray(SPECIES, sumSq, j + 3 * LANES);
            for (int r = t0; r < t1; r++) {
              int xo = xOff + r * HIDDEN;
              var d0 = FloatVector.fromArray(SPECIES, x, xo + j).sub(sh0);
              var d1 = FloatVector.fromArray(SPECIES, x, xo + j + LANES).sub(sh1);
              var d2 = FloatVector.fromArray(SPECIES, x, xo + j + 2 * LANES).sub(sh2);
              var d3 = FloatVector.fromArray(SPECIES, x, xo + j + 3 * LANES).sub(sh3);
              s0 = s0.add(d0);
              s1 = s1.add(d1);
              s2 = s2.add(d2);
              s3 = s3.add(d3);
              q0 = d0.fma(d0, q0);
              q1 = d1.fma(d1, q1);
              q2 = d2.fma(d2, q2);
              q3 = d3.fma(d3, q3);
            }
            s0.intoArray(sum, j);
            s1.intoArray(sum, j + LANES);
            s2.intoArray(sum, j + 2 * LANES);
            s3.intoArray(sum, j + 3 * LANES);
            q0.intoArray(sumSq, j);
            q1.intoArray(sumSq, j + LANES);
            q2.intoArray(sumSq, j + 2 * LANES);
            q3.intoArray(sumSq, j + 3 * LANES);
          }
          for (; j < VECTOR_BOUND; j += LANES) {
            FloatVector sh0 = FloatVector.fromArray(SPECIES, shift, j);
            FloatVector s0 = FloatVector.fromArray(SPECIES, sum, j);
            FloatVector q0 = FloatVector.fromArray(SPECIES, sumSq, j);
            for (int r = t0; r < t1; r++) {
              int xo = xOff + r * HIDDEN;
              var d0 = FloatVector.fromArray(SPECIES, x, xo + j).sub(sh0);
              s0 = s0.add(d0);
              q0 = d0.fma(d0, q0);
            }
            s0.intoArray(sum, j);
            q0.intoArray(sumSq, j);
          }
          for (; j < HIDDEN; j++) {
            float sh = shift[j];
            float s = sum[j];
            float q = sumSq[j];
            for (int r = t0; r < t1; r++) {
              int xo = xOff + r * HIDDEN;
              float d = x[xo + j] - sh;
              s += d;
              q = Math.fma(d, d, q);
            }
            sum[j] = s;
            sumSq[j] = q;
          }
        }
      }

      void normalizeRows(float[] x, int xOff, float[] y, int yOff, int r0, int r1, float[] shift,
          float[] scale, float[] offset) {
        // y = (x - shift)·scale + offset, per feature
        for (int t0 = r0, t1; t0 < r1; t0 = t1) {
          t1 = t0 + Math.min(TILE_ROWS, r1 - t0);
          int j = 0;
          for (; j < UNROLLED_BOUND; j += UNROLLED_STEP) {
            FloatVector sh0 = FloatVector.fromArray(SPECIES, shift, j), sh1 = FloatVector.fromArray(SPECIES, shift, j + LANES), sh2 = FloatVector.fromArray(SPECIES, shift, j + 2 * LANES), sh3 = FloatVector.fromArray(SPECIES, shift, j + 3 * LANES);
            FloatVector sc0 = FloatVector.fromArray(SPECIES, scale, j), sc1 = FloatVector.fromArray(SPECIES, scale, j + LANES), sc2 = FloatVector.fromArray(SPECIES, scale, j + 2 * LANES), sc3 = FloatVector.fromArray(SPECIES, scale, j + 3 * LANES);
            FloatVector of0 = FloatVector.fromArray(SPECIES, offset, j), of1 = FloatVector.fromArray(SPECIES, offset, j + LANES), of2 = FloatVector.fromArray(SPECIES, offset, j + 2 * LANES), of3 = FloatVector.fromArray(SPECIES, offset, j + 3 * LANES);
            for (int r = t0; r < t1; r++) {
              int xo = xOff + r * HIDDEN;
              int yo = yOff + r * HIDDEN;
              FloatVector.fromArray(SPECIES, x, xo + j).sub(sh0).fma(sc0, of0).intoArray(y, yo + j);
              FloatVector.fromArray(SPECIES, x, xo + j + LANES).sub(sh1).fma(sc1, of1).intoArray(y, yo + j + LANES);
              FloatVector.fromArray(SPECIES, x, xo + j + 2 * LANES).sub(sh2).fma(sc2, of2).intoArray(y, yo + j + 2 * LANES);
              FloatVector.fromArray(SPECIES, x, xo + j + 3 * LANES).sub(sh3).fma(sc3, of3).intoArray(y, yo + j + 3 * LANES);
            }
          }
          for (; j < VECTOR_BOUND; j += LANES) {
            FloatVector sh0 = FloatVector.fromArray(SPECIES, shift, j);
            FloatVector sc0 = FloatVector.fromArray(SPECIES, scale, j);
            FloatVector of0 = FloatVector.fromArray(SPECIES, offset, j);
            for (int r = t0; r < t1; r++) {
              int xo = xOff + r * HIDDEN;
              int yo = yOff + r * HIDDEN;
              FloatVector.fromArray(SPECIES, x, xo + j).sub(sh0).fma(sc0, of0).intoArray(y, yo + j);
            }
          }
          for (; j < HIDDEN; j++) {
            float sh = shift[j];
            float sc = scale[j];
            float of = offset[j];
            for (int r = t0; r < t1; r++) {
              int xo = xOff + r * HIDDEN;
              int yo = yOff + r * HIDDEN;
              y[yo + j] = Math.fma(x[xo + j] - sh, sc, of);
            }
          }
        }
      }

      void gradientSumsRows(float[] x, int xOff, float[] dy, int dyOff, int r0, int r1,
          float[] center, float[] sumDy, float[] sumDyXc, float[] sumXc) {
        // Σdy, Σdy·xc and Σxc per feature, xc = x - center
        Arrays.fill(sumDy, 0, HIDDEN, 0f);
        Arrays.fill(sumDyXc, 0, HIDDEN, 0f);
        Arrays.fill(sumXc, 0, HIDDEN, 0f);
        for (int t0 = r0, t1; t0 < r1; t0 = t1) {
          t1 = t0 + Math.min(TILE_ROWS, r1 - t0);
          int j = 0;
          for (; j < PAIR_BOUND; j += PAIR_STEP) {
            FloatVector m0 = FloatVector.fromArray(SPECIES, center, j), m1 = FloatVector.fromArray(SPECIES, center, j + LANES);
            FloatVector sg0 = FloatVector.fromArray(SPECIES, sumDy, j), sg1 = FloatVector.fromArray(SPECIES, sumDy, j + LANES);
            FloatVector sgx0 = FloatVector.fromArray(SPECIES, sumDyXc, j), sgx1 = FloatVector.fromArray(SPECIES, sumDyXc, j + LANES);
            FloatVector sx0 = FloatVector.fromArray(SPECIES, sumXc, j), sx1 = FloatVector.fromArray(SPECIES, sumXc, j + LANES);
            for (int r = t0; r < t1; r++) {
              int xo = xOff + r * HIDDEN;
              int dyo = dyOff + r * HIDDEN;
              var xc0 = FloatVector.fromArray(SPECIES, x, xo + j).sub(m0);
              var xc1 = FloatVector.fromArray(SPECIES, x, xo + j + LANES).sub(m1);
              var g0 = FloatVector.fromArray(SPECIES, dy, dyo + j);
              var g1 = FloatVector.fromArray(SPECIES, dy, dyo + j + LANES);
              sg0 = sg0.add(g0);
              sg1 = sg1.add(g1);
              sgx0 = g0.fma(xc0, sgx0);
              sgx1 = g1.fma(xc1, sgx1);
              sx0 = sx0.add(xc0);
              sx1 = sx1.add(xc1);
            }
            sg0.intoArray(sumDy, j);
            sg1.intoArray(sumDy, j + LANES);
            sgx0.intoArray(sumDyXc, j);
            sgx1.intoArray(sumDyXc, j + LANES);
            sx0.intoArray(sumXc, j);
            sx1.intoArray(sumXc, j + LANES);
          }
          for (; j < VECTOR_BOUND; j += LANES) {
            FloatVector m0 = FloatVector.fromArray(SPECIES, center, j);
            FloatVector sg0 = FloatVector.fromArray(SPECIES, sumDy, j);
            FloatVector sgx0 = FloatVector.fromArray(SPECIES, sumDyXc, j);
            FloatVector sx0 = FloatVector.fromArray(SPECIES, sumXc, j);
            for (int r = t0; r < t1; r++) {
              int xo = xOff + r * HIDDEN;
              int dyo = dyOff + r * HIDDEN;
              var xc0 = FloatVector.fromArray(SPECIES, x, xo + j).sub(m0);
              var g0 = FloatVector.fromArray(SPECIES, dy, dyo + j);
              sg0 = sg0.add(g0);
              sgx0 = g0.fma(xc0, sgx0);
              sx0 = sx0.add(xc0);
            }
            sg0.intoArray(sumDy, j);
            sgx0.intoArray(sumDyXc, j);
            sx0.intoArray(sumXc, j);
          }
          for (; j < HIDDEN; j++) {
            float m = center[j];
            float sg = sumDy[j];
            float sgx = sumDyXc[j];
            float sx = sumXc[j];
            for (int r = t0; r < t1; r++) {
              int xo = xOff + r * HIDDEN;
              int dyo = dyOff + r * HIDDEN;
              float xc = x[xo + j] - m;
              float g = dy[dyo + j];
              sg += g;
              sgx = Math.fma(g, xc, sgx);
              sx += xc;
            }
            sumDy[j] = sg;
            sumDyXc[j] = sgx;
            sumXc[j] = sx;
          }
        }
      }

      void backwardRows(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int r0,
          int r1, float[] center, float[] coefA, float[] coefB, float[] coefC) {
        // dx = (dy + b·(x - center) + c)·a, per feature
        for (int t0 = r0, t1; t0 < r1; t0 = t1) {
          t1 = t0 + Math.min(TILE_ROWS, r1 - t0);
          int j = 0;
          for (; j < PAIR_BOUND; j += PAIR_STEP) {
            FloatVector m0 = FloatVector.fromArray(SPECIES, center, j), m1 = FloatVector.fromArray(SPECIES, center, j + LANES);
            FloatVector a0 = FloatVector.fromArray(SPECIES, coefA, j), a1 = FloatVector.fromArray(SPECIES, coefA, j + LANES);
            FloatVector b0 = FloatVector.fromArray(SPECIES, coefB, j), b1 = FloatVector.fromArray(SPECIES, coefB, j + LANES);
            FloatVector c0 = FloatVector.fromArray(SPECIES, coefC, j), c1 = FloatVector.fromArray(SPECIES, coefC, j + LANES);
            for (int r = t0; r < t1; r++) {
              int xo = xOff + r * HIDDEN;
              int dyo = dyOff + r * HIDDEN;
              int dxo = dxOff + r * HIDDEN;
              FloatVector.fromArray(SPECIES, x, xo + j).sub(m0).fma(b0, c0).add(FloatVector.fromArray(SPECIES, dy, dyo + j)).mul(a0).intoArray(dx, dxo + j);
              FloatVector.fromArray(SPECIES, x, xo + j + LANES).sub(m1).fma(b1, c1).add(FloatVector.fromArray(SPECIES, dy, dyo + j + LANES)).mul(a1).intoArray(dx, dxo + j + LANES);
            }
          }
          for (; j < VECTOR_BOUND; j += LANES) {
            FloatVector m0 = FloatVector.fromArray(SPECIES, center, j);
            FloatVector a0 = FloatVector.fromArray(SPECIES, coefA, j);
            FloatVector b0 = FloatVector.fromArray(SPECIES, coefB, j);
            FloatVector c0 = FloatVector.fromArray(SPECIES, coefC, j);
            for (int r = t0; r < t1; r++) {
              int xo = xOff + r * HIDDEN;
              int dyo = dyOff + r * HIDDEN;
              int dxo = dxOff + r * HIDDEN;
              FloatVector.fromArray(SPECIES, x, xo + j).sub(m0).fma(b0, c0).add(FloatVector.fromArray(SPECIES, dy, dyo + j)).mul(a0).intoArray(dx, dxo + j);
            }
          }
          for (; j < HIDDEN; j++) {
            float m = center[j];
            float a = coefA[j];
            float b = coefB[j];
            float c = coefC[j];
            for (int r = t0; r < t1; r++) {
              int xo = xOff + r * HIDDEN;
              int dyo = dyOff + r * HIDDEN;
              int dxo = dxOff + r * HIDDEN;
              dx[dxo + j] = (Math.fma(x[xo + j] - m, b, c) + dy[dyo + j]) * a;
            }
          }
        }
      }
    }
  }
}
