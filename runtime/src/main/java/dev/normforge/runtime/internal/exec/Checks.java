package dev.normforge.runtime.internal.exec;

/**
 * Argument checks every public entry point runs before it writes anything. Messages name the argument and
 * the size that was expected, so a caller can fix the call from the message alone.
 */
public final class Checks {
  private Checks() {}

  /** Throws {@link NullPointerException} naming {@code name} when {@code value} is null. */
  public static <T> T notNull(String name, T value) {
    if (value == null) {
      throw new NullPointerException(name + " must not be null");
    }
    return value;
  }

  /** Throws {@link IllegalArgumentException} unless {@code rows >= 0}. */
  public static void rows(int rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0, got " + rows);
    }
  }

  /**
   * Checks that {@code array} holds {@code rows} rows of {@code width} floats starting at {@code offset}:
   * not null, {@code offset >= 0}, {@code offset + rows·width <= array.length}.
   */
  public static void rows(String name, float[] array, int offset, int rows, int width) {
    span(name, array, offset, (long) rows * width, rows, width);
  }

  /** Checks that {@code array} holds {@code count} floats from {@code offset} (for per-row or per-feature arrays). */
  public static void values(String name, float[] array, int offset, int count) {
    span(name, array, offset, count, count, 0);
  }

  /**
   * The check behind {@link #rows} ({@code width > 0}) and {@link #values} ({@code width == 0}). The message
   * is built only on failure: checks run on every call of every kernel, which must not allocate.
   */
  private static void span(String name, float[] array, int offset, long length, int count, int width) {
    notNull(name, array);
    if (offset < 0) {
      throw new IllegalArgumentException(name + ": offset must be >= 0, got " + offset);
    }
    if (offset + length > array.length) {
      String what = width > 0 ? count + " rows × " + width : count + " values";
      throw new IllegalArgumentException(
          name + ": needs " + length + " floats (" + what + ") from offset " + offset
              + ", so length >= " + (offset + length) + ", but its length is " + array.length);
    }
  }
}
