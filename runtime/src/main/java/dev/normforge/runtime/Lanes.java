package dev.normforge.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums the lanes of a vector in one fixed order. {@code reduceLanes(ADD)} leaves the order of a float
 * reduction unspecified, and in practice the interpreter and compiled code differ in the last bit, so the
 * same call could give different results before and after the JIT warms up, or on two threads. Generated
 * kernels reduce through here so that results are bitwise reproducible.
 */
public final class Lanes {
  private Lanes() {}

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private static final VectorShuffle<Float> SWAP_8 = swap(8);
  private static final VectorShuffle<Float> SWAP_4 = swap(4);
  private static final VectorShuffle<Float> SWAP_2 = swap(2);
  private static final VectorShuffle<Float> SWAP_1 = swap(1);

  private static VectorShuffle<Float> swap(int distance) {
    return LANES > distance ? VectorShuffle.fromOp(SPECIES, i -> i ^ distance) : null;
  }

  /**
   * The sum of the lanes of {@code v} (of the preferred species, as in generated code) by pairwise
   * halving: lane i plus lane i^8, then ^4, ^2, ^1 (16 lanes at most: AVX-512).
   */
  public static float sum(FloatVector v) {
    if (LANES > 16) {
      return v.reduceLanes(jdk.incubator.vector.VectorOperators.ADD); // no such hardware today
    }
    if (LANES > 8) {
      v = v.add(v.rearrange(SWAP_8));
    }
    if (LANES > 4) {
      v = v.add(v.rearrange(SWAP_4));
    }
    if (LANES > 2) {
      v = v.add(v.rearrange(SWAP_2));
    }
    if (LANES > 1) {
      v = v.add(v.rearrange(SWAP_1));
    }
    return v.lane(0);
  }
}
