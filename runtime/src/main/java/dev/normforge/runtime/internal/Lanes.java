package dev.normforge.runtime.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums the lanes of a vector in one fixed order. {@code reduceLanes(ADD)} leaves the order of a float
 * reduction unspecified, and in practice the interpreter and compiled code differ in the last bit, so the
 * same call could give different results before and after the JIT warms up, or on two threads. Generated
 * kernels reduce in this order so that results are bitwise reproducible. They write the halving steps out
 * inline with the {@code SWAP_*} shuffles rather than calling {@link #sum}: a call that C2 declines to
 * inline (its inlining budget runs out in a large kernel) would box the vector argument, an allocation
 * per row.
 */
public final class Lanes {
  private Lanes() {}

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  /** Lane i to lane i^32 (null below 64 lanes: 2048-bit SVE). */
  public static final VectorShuffle<Float> SWAP_32 = swap(32);
  /** Lane i to lane i^16 (null below 32 lanes). */
  public static final VectorShuffle<Float> SWAP_16 = swap(16);
  /** Lane i to lane i^8 (null below 16 lanes); generated kernels halve with these inline, as {@link #sum}. */
  public static final VectorShuffle<Float> SWAP_8 = swap(8);
  /** Lane i to lane i^4 (null below 8 lanes). */
  public static final VectorShuffle<Float> SWAP_4 = swap(4);
  /** Lane i to lane i^2 (null below 4 lanes). */
  public static final VectorShuffle<Float> SWAP_2 = swap(2);
  /** Lane i to lane i^1 (null below 2 lanes). */
  public static final VectorShuffle<Float> SWAP_1 = swap(1);

  private static VectorShuffle<Float> swap(int distance) {
    return LANES > distance ? VectorShuffle.fromOp(SPECIES, i -> i ^ distance) : null;
  }

  /**
   * The sum of the lanes of {@code v} (of the preferred species, as in generated code) by pairwise
   * halving: lane i plus lane i^32, then ^16, ^8, ^4, ^2, ^1 (up to 64 lanes, the widest SVE).
   */
  public static float sum(FloatVector v) {
    if (LANES > 32) {
      v = v.add(v.rearrange(SWAP_32));
    }
    if (LANES > 16) {
      v = v.add(v.rearrange(SWAP_16));
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
