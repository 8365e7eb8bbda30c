package dev.normforge.runtime.internal.exec;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One reusable parallel call over rows, the pattern every base of the runtime shares: set the call's
 * arguments, run its chunks on {@link RowParallel#shared()}, drop the references to the caller's arrays,
 * and (for a pass that adds gradients) reduce the per-chunk partials in chunk order. The owner says only
 * which kernel runs on a chunk's rows, through its {@link Kernel}.
 *
 * <p>The cut into chunks depends only on the shape ({@link RowChunks}), and per-chunk partials
 * ({@link ChunkPartials}) are added in chunk order, so results are bitwise the same for any thread count.
 * A job keeps its arguments in fields and grows its partial buffers only when a call needs more chunks:
 * after the first call of a size, a call allocates nothing.
 *
 * <p>Thread safety: {@link #rows} may be called from several threads at once (a call that finds the job
 * in use runs all its rows on its own thread instead: rows are independent, so the result is the same);
 * {@link #gradientRows} and {@link #blocks} must not overlap other calls of the same job.
 */
public final class RowJob implements ChunkTask {
  /**
   * A row-range kernel of the owner: runs kernel {@code kind} over rows {@code [r0, r1)}, chunk
   * {@code chunk} of the call (0 when the call runs in one piece), with the call's arguments (their
   * meaning is the owner's). {@code dweight}/{@code dbias} are where the rows' gradients go: the
   * chunk's zeroed partials, the destination itself for a call of one chunk, or null.
   */
  @FunctionalInterface
  public interface Kernel {
    void run(int kind, int chunk, int r0, int r1, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
        float[] d, int dOff, float[] mean, float[] rstd, int statsOff, float[] dweight, float[] dbias);
  }

  private final Kernel kernel;
  private final int width;
  private final float[] dweight;
  private final float[] dbias;
  private final ChunkPartials dweightParts = new ChunkPartials();
  private final ChunkPartials dbiasParts = new ChunkPartials();
  private final AtomicBoolean busy = new AtomicBoolean();

  // the call in flight
  private int kind;
  private int rows;
  private int unit;
  private int units;
  private int chunks;
  private boolean gradients;
  private float[] a;
  private float[] b;
  private float[] c;
  private float[] d;
  private float[] mean;
  private float[] rstd;
  private int aOff;
  private int bOff;
  private int cOff;
  private int dOff;
  private int statsOff;

  /** A job over rows of {@code width} elements that adds no gradients. */
  public RowJob(Kernel kernel, int width) {
    this(kernel, width, null, null);
  }

  /**
   * A job over rows of {@code width} elements whose {@link #gradientRows} add into {@code dweight} and
   * {@code dbias} (length {@code width}; either may be null when the owner has no such parameter).
   */
  public RowJob(Kernel kernel, int width, float[] dweight, float[] dbias) {
    this.kernel = kernel;
    this.width = width;
    this.dweight = dweight;
    this.dbias = dbias;
  }

  /**
   * Kernel {@code kind} over {@code rows} independent rows (a forward or a map): in parallel chunks, or on
   * this thread when there is one chunk or another call is using this job.
   */
  public void rows(int kind, int rows, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
      float[] d, int dOff, float[] mean, float[] rstd, int statsOff) {
    int chunks = RowChunks.count(rows, width);
    if (chunks == 1 || !busy.compareAndSet(false, true)) {
      kernel.run(kind, 0, 0, rows, a, aOff, b, bOff, c, cOff, d, dOff, mean, rstd, statsOff, null, null);
      return;
    }
    try {
      runChunks(kind, rows, 1, chunks, false, a, aOff, b, bOff, c, cOff, d, dOff, mean, rstd, statsOff);
    } finally {
      busy.set(false);
    }
  }

  /**
   * Kernel {@code kind} over {@code rows} rows, adding into the job's weight and bias gradients: with one
   * chunk directly on this thread; else in parallel chunks, each into its own partials, added into the
   * gradients in chunk order.
   */
  public void gradientRows(int kind, int rows, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
      float[] d, int dOff, float[] mean, float[] rstd, int statsOff) {
    int chunks = RowChunks.count(rows, width);
    if (chunks == 1) {
      kernel.run(kind, 0, 0, rows, a, aOff, b, bOff, c, cOff, d, dOff, mean, rstd, statsOff, dweight, dbias);
      return;
    }
    if (dweight != null) {
      dweightParts.ensure(chunks, width);
    }
    if (dbias != null) {
      dbiasParts.ensure(chunks, width);
    }
    runChunks(kind, rows, 1, chunks, true, a, aOff, b, bOff, c, cOff, d, dOff, mean, rstd, statsOff);
    if (dweight != null) {
      dweightParts.reduceInto(dweight, chunks, width);
    }
    if (dbias != null) {
      dbiasParts.reduceInto(dbias, chunks, width);
    }
  }

  /**
   * Kernel {@code kind} over {@code rows} rows in {@code chunks} chunks of whole blocks of {@code unit} rows
   * (the last block may be short), always through the pool: for a reduction whose per-chunk partials the
   * owner keeps by chunk index and adds in chunk order itself (BatchNorm's double sums).
   */
  public void blocks(int kind, int rows, int unit, int chunks, float[] a, int aOff, float[] b, int bOff,
      float[] mean) {
    runChunks(kind, rows, unit, chunks, false, a, aOff, b, bOff, null, 0, null, 0, mean, null, 0);
  }

  private void runChunks(int kind, int rows, int unit, int chunks, boolean gradients, float[] a, int aOff,
      float[] b, int bOff, float[] c, int cOff, float[] d, int dOff, float[] mean, float[] rstd, int statsOff) {
    this.kind = kind;
    this.rows = rows;
    this.unit = unit;
    this.units = RowChunks.units(rows, unit);
    this.chunks = chunks;
    this.gradients = gradients;
    this.a = a;
    this.aOff = aOff;
    this.b = b;
    this.bOff = bOff;
    this.c = c;
    this.cOff = cOff;
    this.d = d;
    this.dOff = dOff;
    this.mean = mean;
    this.rstd = rstd;
    this.statsOff = statsOff;
    try {
      RowParallel.shared().run(chunks, this);
    } finally {
      // drops the references to the caller's arrays
      this.a = this.b = this.c = this.d = this.mean = this.rstd = null;
    }
  }

  /** Chunk {@code chunk}: rows of blocks {@code [start(units, chunks, chunk), start(units, chunks, chunk + 1))}. */
  @Override
  public void run(int chunk) {
    int r0 = RowChunks.start(units, chunks, chunk) * unit;
    int r1 = (int) Math.min(rows, (long) RowChunks.start(units, chunks, chunk + 1) * unit);
    float[] dw = gradients && dweight != null ? dweightParts.zeroed(chunk, width) : null;
    float[] db = gradients && dbias != null ? dbiasParts.zeroed(chunk, width) : null;
    kernel.run(kind, chunk, r0, r1, a, aOff, b, bOff, c, cOff, d, dOff, mean, rstd, statsOff, dw, db);
  }
}
