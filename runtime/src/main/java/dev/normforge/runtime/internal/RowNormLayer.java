package dev.normforge.runtime.internal;

import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.Parameter;
import dev.normforge.runtime.internal.exec.Checks;
import dev.normforge.runtime.internal.exec.ChunkPartials;
import dev.normforge.runtime.internal.exec.ChunkTask;
import dev.normforge.runtime.internal.exec.RowChunks;
import dev.normforge.runtime.internal.exec.RowParallel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every generated LayerNorm/RMSNorm class shares: parameters, argument checks and the split of a call
 * into row ranges. A generated subclass supplies only the kernels, specialized for its hidden size.
 *
 * <p>Calls run on {@link RowParallel#shared()}, cut into {@link RowChunks} that depend only on the shape.
 * Rows are independent in forward; in backward each chunk sums its weight and bias gradients into its own
 * {@link ChunkPartials} buffer, added into the parameters' gradients in chunk order. So every output,
 * gradients included, is bitwise the same for any number of threads. A call with one chunk runs on the
 * caller's thread and adds into the gradients directly.
 *
 * <p>Thread safety as {@link NormLayer}: concurrent forward calls are allowed (a second concurrent forward
 * on the same layer runs on its own thread instead of sharing the layer's reusable task); backward calls
 * must not overlap each other, since they share the gradients and the partial buffers.
 */
public abstract class RowNormLayer implements NormLayer {
  private final int hidden;
  private final double eps;
  private final boolean centered;
  private final NormParameters params;
  private final ForwardJob forwardJob = new ForwardJob();
  private final BackwardJob backwardJob = new BackwardJob();

  protected RowNormLayer(int hidden, double eps, boolean centered, boolean affine, boolean bias) {
    this.hidden = hidden;
    this.eps = eps;
    this.centered = centered;
    this.params = new NormParameters(hidden, affine, bias, 1f);
  }

  @Override
  public final int hidden() {
    return hidden;
  }

  @Override
  public final double eps() {
    return eps;
  }

  @Override
  public final boolean centered() {
    return centered;
  }

  @Override
  public final Parameter weight() {
    return params.weight;
  }

  @Override
  public final Parameter bias() {
    return params.bias;
  }

  @Override
  public final void forward(float[] x, int xOff, float[] y, int yOff, int rows) {
    Checks.rows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("y", y, yOff, rows, hidden);
    forwardRows(x, xOff, y, yOff, rows, null, null, 0);
  }

  @Override
  public final void forwardTraining(
      float[] x, int xOff, float[] y, int yOff, int rows, float[] mean, float[] rstd, int statsOff) {
    Checks.rows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("y", y, yOff, rows, hidden);
    checkStats(mean, rstd, statsOff, rows);
    forwardRows(x, xOff, y, yOff, rows, mean, rstd, statsOff);
  }

  @Override
  public final void backward(
      float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int rows,
      float[] mean, float[] rstd, int statsOff) {
    Checks.rows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("dy", dy, dyOff, rows, hidden);
    Checks.rows("dx", dx, dxOff, rows, hidden);
    checkStats(mean, rstd, statsOff, rows);
    checkForwardRan(rstd, statsOff, rows);
    float[] dweight = params.dweight();
    float[] dbias = params.dbias();
    int chunks = RowChunks.count(rows, hidden);
    if (chunks == 1) {
      backwardRows(x, xOff, dy, dyOff, dx, dxOff, 0, rows, mean, rstd, statsOff, dweight, dbias);
      return;
    }
    BackwardJob job = backwardJob;
    job.set(x, xOff, dy, dyOff, dx, dxOff, rows, chunks, mean, rstd, statsOff);
    try {
      RowParallel.shared().run(chunks, job);
    } finally {
      job.clear();
    }
    if (dweight != null) {
      job.dweight.reduceInto(dweight, chunks, hidden);
    }
    if (dbias != null) {
      job.dbias.reduceInto(dbias, chunks, hidden);
    }
  }

  /** Forward over all rows: in parallel chunks, or on this thread when small or the job is in use. */
  private void forwardRows(
      float[] x, int xOff, float[] y, int yOff, int rows, float[] mean, float[] rstd, int statsOff) {
    int chunks = RowChunks.count(rows, hidden);
    ForwardJob job = forwardJob;
    if (chunks == 1 || !job.busy.compareAndSet(false, true)) {
      normalizeRows(x, xOff, y, yOff, 0, rows, mean, rstd, statsOff);
      return;
    }
    try {
      job.set(x, xOff, y, yOff, rows, chunks, mean, rstd, statsOff);
      RowParallel.shared().run(chunks, job);
    } finally {
      job.clear();
      job.busy.set(false);
    }
  }

  /**
   * A training forward never leaves rstd at 0 (it is 1/sqrt(var + eps) > 0, or NaN for a row holding NaN or
   * infinity), so a 0 means the statistics were never written: backward without its forward.
   */
  private static void checkForwardRan(float[] rstd, int statsOff, int rows) {
    for (int r = 0; r < rows; r++) {
      if (rstd[statsOff + r] == 0f) {
        throw new IllegalStateException("rstd[" + (statsOff + r) + "] is 0: backward needs the statistics "
            + "written by the matching forwardTraining call (was it run, with the same rows and statsOff?)");
      }
    }
  }

  private void checkStats(float[] mean, float[] rstd, int statsOff, int rows) {
    if (centered || mean != null) {
      Checks.values("mean", mean, statsOff, rows);
    }
    Checks.values("rstd", rstd, statsOff, rows);
  }

  /**
   * Normalizes rows {@code [r0, r1)}. With non-null {@code mean}/{@code rstd} (training), saves row
   * {@code r}'s statistics at {@code statsOff + r}; {@code mean} is null for RMSNorm and inference.
   */
  protected abstract void normalizeRows(
      float[] x, int xOff, float[] y, int yOff, int r0, int r1, float[] mean, float[] rstd, int statsOff);

  /**
   * Backward over rows {@code [r0, r1)}: overwrites {@code dx}, adds the weight and bias gradients into
   * {@code dweight}/{@code dbias} (null when the layer has no such parameter).
   */
  protected abstract void backwardRows(
      float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int r0, int r1,
      float[] mean, float[] rstd, int statsOff, float[] dweight, float[] dbias);

  /** The arguments of one forward call, kept in a reusable task so that a parallel call allocates nothing. */
  private final class ForwardJob implements ChunkTask {
    final AtomicBoolean busy = new AtomicBoolean();
    private float[] x;
    private float[] y;
    private float[] mean;
    private float[] rstd;
    private int xOff;
    private int yOff;
    private int rows;
    private int chunks;
    private int statsOff;

    void set(float[] x, int xOff, float[] y, int yOff, int rows, int chunks, float[] mean, float[] rstd,
        int statsOff) {
      this.x = x;
      this.xOff = xOff;
      this.y = y;
      this.yOff = yOff;
      this.rows = rows;
      this.chunks = chunks;
      this.mean = mean;
      this.rstd = rstd;
      this.statsOff = statsOff;
    }

    /** Drops the references to the caller's arrays. */
    void clear() {
      x = y = mean = rstd = null;
    }

    @Override
    public void run(int c) {
      normalizeRows(x, xOff, y, yOff, RowChunks.start(rows, chunks, c), RowChunks.start(rows, chunks, c + 1),
          mean, rstd, statsOff);
    }
  }

  /** The arguments of one backward call and the per-chunk gradient partials, reused across calls. */
  private final class BackwardJob implements ChunkTask {
    final ChunkPartials dweight = new ChunkPartials();
    final ChunkPartials dbias = new ChunkPartials();
    private float[] x;
    private float[] dy;
    private float[] dx;
    private float[] mean;
    private float[] rstd;
    private int xOff;
    private int dyOff;
    private int dxOff;
    private int rows;
    private int chunks;
    private int statsOff;

    void set(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int rows, int chunks,
        float[] mean, float[] rstd, int statsOff) {
      this.x = x;
      this.xOff = xOff;
      this.dy = dy;
      this.dyOff = dyOff;
      this.dx = dx;
      this.dxOff = dxOff;
      this.rows = rows;
      this.chunks = chunks;
      this.mean = mean;
      this.rstd = rstd;
      this.statsOff = statsOff;
      if (params.weight != null) {
        dweight.ensure(chunks, hidden);
      }
      if (params.bias != null) {
        dbias.ensure(chunks, hidden);
      }
    }

    void clear() {
      x = dy = dx = mean = rstd = null;
    }

    @Override
    public void run(int c) {
      backwardRows(x, xOff, dy, dyOff, dx, dxOff,
          RowChunks.start(rows, chunks, c), RowChunks.start(rows, chunks, c + 1), mean, rstd, statsOff,
          params.weight == null ? null : dweight.zeroed(c, hidden),
          params.bias == null ? null : dbias.zeroed(c, hidden));
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(hidden=" + hidden + ", eps=" + eps
        + ", " + params + ")";
  }
}
