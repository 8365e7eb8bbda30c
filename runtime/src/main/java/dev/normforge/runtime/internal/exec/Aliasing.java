package dev.normforge.runtime.internal.exec;

/**
 * The aliasing contract every entry point checks, in one place. An output may be the very region of the
 * input it replaces (same array, same offset: {@code y = x}, {@code dx = dy}) where the entry point says
 * so, because the kernels read each element of a row before they write it and never read it again; any
 * other overlap of an output with another argument would make the result depend on the order in which rows
 * and chunks run, and is refused with {@link IllegalArgumentException} before anything is written. Inputs
 * may overlap each other freely.
 *
 * <p>Call after the span checks ({@link Checks}), with lengths in floats. A null array (an optional
 * argument) overlaps nothing. Each check is a reference comparison unless the arrays are the same: no
 * allocation, O(1).
 */
public final class Aliasing {
  private Aliasing() {}

  /**
   * Refuses any overlap of output {@code out} ({@code outLength} floats from {@code outOff}) with
   * {@code other} ({@code otherLength} floats from {@code otherOff}).
   */
  public static void separate(String outName, float[] out, int outOff, long outLength,
      String otherName, float[] other, int otherOff, long otherLength) {
    if (overlap(out, outOff, outLength, other, otherOff, otherLength)) {
      throw refused(outName, outOff, outLength, otherName, otherOff, otherLength, "they must be separate arrays or ranges");
    }
  }

  /** {@link #separate} for two regions of {@code length} floats each. */
  public static void separate(String outName, float[] out, int outOff, String otherName, float[] other, int otherOff,
      long length) {
    separate(outName, out, outOff, length, otherName, other, otherOff, length);
  }

  /**
   * Allows output {@code out} to be exactly {@code other} (same array, same offset; both {@code length}
   * floats), and refuses any other overlap.
   */
  public static void sameOrSeparate(String outName, float[] out, int outOff, String otherName, float[] other,
      int otherOff, long length) {
    if (outOff != otherOff && overlap(out, outOff, length, other, otherOff, length)) {
      throw refused(outName, outOff, length, otherName, otherOff, length,
          outName + " may be " + otherName + " itself (the same array and offset) or separate, not partly overlap it");
    }
  }

  private static boolean overlap(float[] a, int aOff, long aLength, float[] b, int bOff, long bLength) {
    return a == b && a != null && aLength > 0 && bLength > 0 && aOff < bOff + bLength && bOff < aOff + aLength;
  }

  private static IllegalArgumentException refused(String outName, int outOff, long outLength, String otherName,
      int otherOff, long otherLength, String rule) {
    return new IllegalArgumentException(outName + " and " + otherName + " overlap: the same array, " + outName
        + " at [" + outOff + ", " + (outOff + outLength) + ") and " + otherName + " at [" + otherOff + ", "
        + (otherOff + otherLength) + "); " + rule);
  }
}
