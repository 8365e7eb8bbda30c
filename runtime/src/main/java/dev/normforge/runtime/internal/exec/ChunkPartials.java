package dev.normforge.runtime.internal.exec;

import java.util.Arrays;

/**
 * Per-chunk partial sums of a vector (a weight or bias gradient, a BatchNorm per-feature sum): chunk
 * {@code c} accumulates into {@link #get(int) get(c)} alone, then {@link #reduceInto} adds the partials
 * into the destination in chunk order. Together with {@link RowChunks} this fixes the order of every
 * floating-point addition, whatever the number of threads.
 *
 * <p>Buffers are kept and grown only when a call needs more chunks or a wider vector: steady-state calls
 * allocate nothing. Not thread-safe as a whole: the owner must not run two jobs on one instance at once;
 * within a job, chunk {@code c} touches only buffer {@code c}.
 */
public final class ChunkPartials {
  private float[][] buffers = new float[0][];
  private int width;

  /** Makes buffers for {@code chunks} chunks of {@code width} floats available (their contents undefined). */
  public void ensure(int chunks, int width) {
    if (width > this.width) {
      buffers = new float[0][];
      this.width = width;
    }
    if (chunks > buffers.length) {
      float[][] grown = Arrays.copyOf(buffers, chunks);
      for (int c = buffers.length; c < chunks; c++) {
        grown[c] = new float[this.width];
      }
      buffers = grown;
    }
  }

  /** Chunk {@code c}'s buffer (at least the ensured width). */
  public float[] get(int c) {
    return buffers[c];
  }

  /** Chunk {@code c}'s buffer, its first {@code width} floats set to zero: call from the chunk's task. */
  public float[] zeroed(int c, int width) {
    float[] b = buffers[c];
    Arrays.fill(b, 0, width, 0f);
    return b;
  }

  /** {@code dst[j] += p0[j]; dst[j] += p1[j]; ...} for {@code j < width}, chunks in order 0, 1, ... */
  public void reduceInto(float[] dst, int chunks, int width) {
    for (int c = 0; c < chunks; c++) {
      float[] p = buffers[c];
      for (int j = 0; j < width; j++) {
        dst[j] += p[j];
      }
    }
  }
}
