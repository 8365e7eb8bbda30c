package dev.normforge.processor.testing;

import java.util.Random;

/** Test data: seeded, so every failure reproduces. */
public final class Data {
  private Data() {}

  /** {@code n} values drawn from N(mean, std²), rounded to float. */
  public static float[] gaussian(Random random, int n, float mean, float std) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (mean + std * random.nextGaussian());
    }
    return a;
  }

  /** {@code n} values drawn from N(0, std²) by a generator of this {@code seed}, rounded to float. */
  public static float[] gaussian(int n, long seed, float std) {
    return gaussian(new Random(seed), n, 0, std);
  }

  /** {@code a} moved {@code offset} places into a longer array whose other slots hold garbage. */
  public static float[] offset(float[] a, int offset) {
    float[] out = new float[a.length + offset + 3];
    java.util.Arrays.fill(out, 12345f);
    System.arraycopy(a, 0, out, offset, a.length);
    return out;
  }
}
