package dev.normforge.runtime.internal.exec;

/**
 * How a call over {@code rows} rows is cut into chunks. The cut depends only on the shape, never on the
 * number of threads: a chunk's work (and, in a backward pass, the order its partial sums are added in) is
 * the same whether one thread runs every chunk or many threads share them. That is what makes gradients
 * bitwise identical for any thread count.
 */
public final class RowChunks {
  private RowChunks() {}

  /**
   * Elements per chunk we aim for: ~256 KiB of one fp32 operand, a few microseconds of work, large enough
   * that handing a chunk to another thread costs little against it.
   */
  public static final long CHUNK_ELEMENTS = 1 << 16;

  /** Upper bound on chunks per call: bounds the partial buffers a backward pass needs (chunks × hidden). */
  public static final int MAX_CHUNKS = 64;

  /** The number of chunks for {@code rows} rows of {@code width} elements: 1 to {@link #MAX_CHUNKS}. */
  public static int count(int rows, int width) {
    long elements = (long) rows * width;
    long chunks = (elements + CHUNK_ELEMENTS - 1) / CHUNK_ELEMENTS;
    return (int) Math.max(1, Math.min(Math.min(MAX_CHUNKS, chunks), Math.max(rows, 1)));
  }

  /**
   * Blocks of {@code unit} rows that cover {@code rows} rows, the last one possibly short:
   * {@code ceil(rows / unit)}, computed in long so that a row count near {@link Integer#MAX_VALUE} cannot wrap.
   */
  public static int units(int rows, int unit) {
    return (int) (((long) rows + unit - 1) / unit);
  }

  /**
   * The end of the block of at most {@code unit} rows that starts at {@code start}, within a range ending at
   * {@code end}: {@code min(end, start + unit)}, without the overflow of {@code start + unit} near
   * {@link Integer#MAX_VALUE}. Loops over blocks step with it: {@code for (b0 = r0, b1; b0 < r1; b0 = b1)}.
   */
  public static int blockEnd(int start, int end, int unit) {
    return start + Math.min(unit, end - start);
  }

  /** First row of chunk {@code c} of {@code chunks} over {@code rows} rows; {@code start(rows, chunks, chunks) == rows}. */
  public static int start(int rows, int chunks, int c) {
    return (int) ((long) rows * c / chunks);
  }
}
