package dev.normforge.experiments.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one matrix product of the study's layers: {@code C[i][j] (+)= Σ_k A(i,k)·B[k][j]}, with {@code B} and
 * {@code C} row-major and {@code A} read through strides, so that {@code X·Wᵀ}, {@code dY·W} and
 * {@code dYᵀ·X} are all this loop.
 *
 * <p>Every output element is a chain of fused multiply-adds over {@code k} in ascending order, started
 * from 0 or from {@code C}: no horizontal sums, so the result does not depend on the blocking, the vector
 * width, or whether the JIT has compiled the loop (the same bits every run). Four rows of {@code C} share
 * each vector of {@code B}. The columns past the last whole vector take the same chain one element at a
 * time ({@link Math#fma}), so the vector loops hold no mask and no branch: their speed does not depend on
 * the shapes the JIT saw first.
 */
final class MatMul {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private static final int ROW_BLOCK = 4;

  private MatMul() {}

  /**
   * {@code C[i·ldc + j] = (accumulate ? C[i·ldc + j] : 0) + Σ_k a[aOff + i·ais + k·aks]·b[bOff + k·ldb + j]}
   * for {@code i < m}, {@code j < n}, {@code k < depth}.
   */
  static void multiply(int m, int n, int depth, float[] a, int aOff, int ais, int aks, float[] b, int bOff,
      int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
    int vectorColumns = SPECIES.loopBound(n);
    int i = 0;
    for (; i + ROW_BLOCK <= m; i += ROW_BLOCK) {
      for (int j = 0; j < vectorColumns; j += LANES) {
        int c0 = cOff + i * ldc + j;
        FloatVector acc0 = start(c, c0, accumulate);
        FloatVector acc1 = start(c, c0 + ldc, accumulate);
        FloatVector acc2 = start(c, c0 + 2 * ldc, accumulate);
        FloatVector acc3 = start(c, c0 + 3 * ldc, accumulate);
        int a0 = aOff + i * ais;
        for (int k = 0; k < depth; k++) {
          FloatVector bk = FloatVector.fromArray(SPECIES, b, bOff + k * ldb + j);
          int ak = a0 + k * aks;
          acc0 = bk.fma(FloatVector.broadcast(SPECIES, a[ak]), acc0);
          acc1 = bk.fma(FloatVector.broadcast(SPECIES, a[ak + ais]), acc1);
          acc2 = bk.fma(FloatVector.broadcast(SPECIES, a[ak + 2 * ais]), acc2);
          acc3 = bk.fma(FloatVector.broadcast(SPECIES, a[ak + 3 * ais]), acc3);
        }
        acc0.intoArray(c, c0);
        acc1.intoArray(c, c0 + ldc);
        acc2.intoArray(c, c0 + 2 * ldc);
        acc3.intoArray(c, c0 + 3 * ldc);
      }
    }
    for (; i < m; i++) {
      for (int j = 0; j < vectorColumns; j += LANES) {
        int c0 = cOff + i * ldc + j;
        FloatVector acc = start(c, c0, accumulate);
        int a0 = aOff + i * ais;
        for (int k = 0; k < depth; k++) {
          acc = FloatVector.fromArray(SPECIES, b, bOff + k * ldb + j)
              .fma(FloatVector.broadcast(SPECIES, a[a0 + k * aks]), acc);
        }
        acc.intoArray(c, c0);
      }
    }
    for (i = 0; i < m; i++) {
      for (int j = vectorColumns; j < n; j++) {
        int ci = cOff + i * ldc + j;
        float acc = accumulate ? c[ci] : 0f;
        int a0 = aOff + i * ais;
        for (int k = 0; k < depth; k++) {
          acc = Math.fma(b[bOff + k * ldb + j], a[a0 + k * aks], acc);
        }
        c[ci] = acc;
      }
    }
  }

  private static FloatVector start(float[] c, int off, boolean accumulate) {
    return accumulate ? FloatVector.fromArray(SPECIES, c, off) : FloatVector.zero(SPECIES);
  }
}
