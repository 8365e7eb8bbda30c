package dev.normforge.runtime.internal;

import static jdk.incubator.vector.VectorOperators.F2D;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Adds a block of rows' float partial sums into per-feature double moments, Chan, Golub and LeVeque's
 * pairwise update, vectorized across features: BatchNorm's forward does it once per block, so at wide
 * hidden sizes (a block is 16 rows at 4096 features) this per-feature arithmetic costs as much as the
 * block's own data pass when written as a scalar loop. Every lane does the scalar loop's operations in its
 * order (IEEE double, no fused multiply-add), so results are bitwise those of the scalar tail.
 *
 * <p>Called only by {@link BatchNormBase} after its constructor's {@link VectorApi#require()}.
 */
final class BlockMoments {
  private BlockMoments() {}

  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
  /**
   * The kernels' float species, of which the vector loop widens the low half. Not a half-width species:
   * a second {@code FloatVector} class in the JVM puts class-check traps into the Vector API methods every
   * kernel inlines, and C2 then compiles some kernels with their vectors boxed (an allocation per row).
   */
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

  /** A block's float {@code Σd, Σd²} whose squares fall outside this range may have lost digits. */
  static final double MIN_SAFE_SQ = 1e-30;
  static final double MAX_SAFE_SQ = 1e36;

  /**
   * Joins a block of {@code nb} rows, with per feature {@code sumD = Σd}, {@code sumSq = Σd²} around
   * {@code shift}, to moments {@code mean, m2} of {@code counted} rows before it; sets {@code flag[j] = 1}
   * where the block's squares cannot be trusted (see {@link BatchNormBase}).
   */
  static void add(int hidden, int nb, long counted, float[] sumD, float[] sumSq, float[] shift,
      double[] mean, double[] m2, double[] flag) {
    double n = counted + nb;
    double wb = nb / n;
    double wab = counted * (double) nb / n;
    int j = 0;
    // a float vector's low half per step: the whole vector must lie inside the row
    for (; j <= hidden - FLOATS.length(); j += DOUBLES.length()) {
      // widened here, not in a helper: a call C2 declines to inline would box the vector it returns
      DoubleVector s = (DoubleVector) FloatVector.fromArray(FLOATS, sumD, j).convertShape(F2D, DOUBLES, 0);
      DoubleVector sq = (DoubleVector) FloatVector.fromArray(FLOATS, sumSq, j).convertShape(F2D, DOUBLES, 0);
      DoubleVector d = s.div(nb);
      VectorMask<Double> safe = sq.compare(VectorOperators.GT, MIN_SAFE_SQ)
          .and(sq.compare(VectorOperators.LT, MAX_SAFE_SQ));
      DoubleVector.fromArray(DOUBLES, flag, j).blend(1.0, safe.not()).intoArray(flag, j);
      DoubleVector meanB =
          ((DoubleVector) FloatVector.fromArray(FLOATS, shift, j).convertShape(F2D, DOUBLES, 0)).add(d);
      DoubleVector m2B = sq.sub(d.mul(s)).lanewise(VectorOperators.MAX, 0.0);
      DoubleVector m = DoubleVector.fromArray(DOUBLES, mean, j);
      DoubleVector delta = meanB.sub(m);
      m.add(delta.mul(wb)).intoArray(mean, j);
      DoubleVector.fromArray(DOUBLES, m2, j).add(m2B.add(delta.mul(delta).mul(wab))).intoArray(m2, j);
    }
    for (; j < hidden; j++) {
      double d = (double) sumD[j] / nb;
      double sq = sumSq[j];
      if (!(sq > MIN_SAFE_SQ && sq < MAX_SAFE_SQ)) {
        flag[j] = 1;
      }
      join(mean, m2, j, shift[j] + d, Math.max(0.0, sq - d * sumD[j]), wb, wab);
    }
  }

  /**
   * Chan's update of feature {@code j}: a group with mean {@code meanB} and {@code m2B} joins the totals,
   * weighted by {@code wb = nb/n} and {@code wab = na·nb/n}. The vector loop of {@link #add} does the same,
   * lane by lane.
   */
  static void join(double[] mean, double[] m2, int j, double meanB, double m2B, double wb, double wab) {
    double delta = meanB - mean[j];
    mean[j] += delta * wb;
    m2[j] += m2B + delta * delta * wab;
  }
}
