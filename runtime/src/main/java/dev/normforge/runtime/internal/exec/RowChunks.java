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

  /** First row of chunk {@code c} of {@code chunks} over {@code rows} rows; {@code start(rows, chunks, chunks) == rows}. */
  public static int start(int rows, int chunks, int c) {
    return (int) ((long) rows * c / chunks);
  }
}
