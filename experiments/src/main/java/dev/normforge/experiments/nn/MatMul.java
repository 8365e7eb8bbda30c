package dev.normforge.experiments.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one matrix product of the study's layers: {@code C[i][j] (+)= Σ_k A(i,k)·B[k][j]}, with {@code B} and
 * {@code C} row-major and {@code A} read through strides, so that {@code X·Wᵀ}, {@code dY·W} and
 * {@code dYᵀ·X} are all this loop.
 *
 * <p>Every output element is a chain of fused multiply-adds over {@code k} in ascending order, started
 * from 0 or from {@code C}: no horizontal sums, so the result does not depend on the blocking, the vector
 * width, or whether the JIT has compiled the loop (the same bits every run). Four rows of {@code C} share
 * each vector of {@code B}.
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
    int i = 0;
    for (; i + ROW_BLOCK <= m; i += ROW_BLOCK) {
      for (int j = 0; j < n; j += LANES) {
        VectorMask<Float> lanes = SPECIES.indexInRange(j, n);
        int c0 = cOff + i * ldc + j;
        FloatVector acc0 = start(c, c0, lanes, accumulate);
        FloatVector acc1 = start(c, c0 + ldc, lanes, accumulate);
        FloatVector acc2 = start(c, c0 + 2 * ldc, lanes, accumulate);
        FloatVector acc3 = start(c, c0 + 3 * ldc, lanes, accumulate);
        int a0 = aOff + i * ais;
        for (int k = 0; k < depth; k++) {
          FloatVector bk = load(b, bOff + k * ldb + j, lanes);
          int ak = a0 + k * aks;
          acc0 = bk.fma(FloatVector.broadcast(SPECIES, a[ak]), acc0);
          acc1 = bk.fma(FloatVector.broadcast(SPECIES, a[ak + ais]), acc1);
          acc2 = bk.fma(FloatVector.broadcast(SPECIES, a[ak + 2 * ais]), acc2);
          acc3 = bk.fma(FloatVector.broadcast(SPECIES, a[ak + 3 * ais]), acc3);
        }
        store(acc0, c, c0, lanes);
        store(acc1, c, c0 + ldc, lanes);
        store(acc2, c, c0 + 2 * ldc, lanes);
        store(acc3, c, c0 + 3 * ldc, lanes);
      }
    }
    for (; i < m; i++) {
      for (int j = 0; j < n; j += LANES) {
        VectorMask<Float> lanes = SPECIES.indexInRange(j, n);
        int c0 = cOff + i * ldc + j;
        FloatVector acc = start(c, c0, lanes, accumulate);
        int a0 = aOff + i * ais;
        for (int k = 0; k < depth; k++) {
          acc = load(b, bOff + k * ldb + j, lanes).fma(FloatVector.broadcast(SPECIES, a[a0 + k * aks]), acc);
        }
        store(acc, c, c0, lanes);
      }
    }
  }

  private static FloatVector start(float[] c, int off, VectorMask<Float> lanes, boolean accumulate) {
    return accumulate ? load(c, off, lanes) : FloatVector.zero(SPECIES);
  }

  /** A full vector where the row has one, a masked one at its tail. */
  private static FloatVector load(float[] array, int off, VectorMask<Float> lanes) {
    return lanes.allTrue() ? FloatVector.fromArray(SPECIES, array, off) : FloatVector.fromArray(SPECIES, array, off, lanes);
  }

  private static void store(FloatVector v, float[] array, int off, VectorMask<Float> lanes) {
    if (lanes.allTrue()) {
      v.intoArray(array, off);
    } else {
      v.intoArray(array, off, lanes);
    }
  }
}
