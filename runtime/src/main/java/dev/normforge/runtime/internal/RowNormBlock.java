package dev.normforge.runtime.internal;

import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.Parameter;
import dev.normforge.runtime.ResidualBlock;
import dev.normforge.runtime.Sublayer;
import dev.normforge.runtime.internal.exec.Checks;
import dev.normforge.runtime.internal.exec.ChunkPartials;
import dev.normforge.runtime.internal.exec.ChunkTask;
import dev.normforge.runtime.internal.exec.RowChunks;
import dev.normforge.runtime.internal.exec.RowParallel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every generated residual block shares, whatever its placement: the norm's parameters, the
 * configuration (hidden, eps, alpha, beta), argument checks and workspaces. {@link PreNormBlock} and
 * {@link PostNormBlock} add the forward and backward of their placement; a generated subclass of one of
 * them supplies only the kernels, specialized for its hidden size.
 *
 * <p>Multi-core: the row kernels (normalize, residual add, fused add+norm, and their backward) run on
 * {@link RowParallel#shared()}, cut into {@link RowChunks} that depend only on the shape. Rows are
 * independent in forward; in backward each chunk sums its weight and bias gradients into its own
 * {@link ChunkPartials} buffer, added into the parameters' gradients in chunk order, so every output and
 * gradient is bitwise the same for any number of threads. A call with one chunk runs on the caller's
 * thread. The sublayer {@code F} is called once over all rows, on the caller's thread.
 *
 * <p>Thread safety: forward calls on one block may run from several threads at once, each with its own
 * workspace (a forward that finds the block's reusable task in use runs its rows on its own thread);
 * backward calls (and {@code addNormBackward}) add into the shared gradients and reuse the block's
 * partial buffers, so they must not overlap each other.
 */
public abstract sealed class RowNormBlock implements ResidualBlock permits PreNormBlock, PostNormBlock {
  /** The workspace state the blocks of this package use (see {@link WorkspaceAccess}). */
  static final WorkspaceAccess WS = WorkspaceAccess.get();

  final int hidden;
  private final double eps;
  private final double alpha;
  private final double beta;
  private final boolean centered;
  private final NormParameters params;
  private final RowJob forwardJob = new RowJob(false);
  private final RowJob backwardJob = new RowJob(true);

  RowNormBlock(int hidden, double eps, double alpha, double beta, boolean centered, boolean affine, boolean bias) {
    this.hidden = hidden;
    this.eps = eps;
    this.alpha = alpha;
    this.beta = beta;
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
  public final double alpha() {
    return alpha;
  }

  @Override
  public final double beta() {
    return beta;
  }

  /** Whether the norm subtracts the row mean (LayerNorm, DeepNorm) or not (RMSNorm). */
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
  public final BlockWorkspace newWorkspace() {
    return new BlockWorkspace();
  }

  /** The checks of {@code forward}, before anything is written; prepares {@code ws} for {@code rows}. */
  final void checkForward(float[] x, int xOff, float[] out, int outOff, int rows, Sublayer f, BlockWorkspace ws) {
    Checks.rows(rows);
    Checks.rows("x", x, xOff, rows, hidden);
    Checks.rows("out", out, outOff, rows, hidden);
    Checks.disjoint("x", x, xOff, "out", out, outOff, (long) rows * hidden);
    Checks.notNull("f", f);
    Checks.notNull("ws", ws);
    WS.prepare(ws, rows, hidden);
  }

  /** The checks of {@code backward}, before anything is written; returns the forward's row count. */
  final int checkBackward(float[] dout, int doutOff, float[] dx, int dxOff, Sublayer f, BlockWorkspace ws) {
    Checks.notNull("f", f);
    Checks.notNull("ws", ws);
    int rows = WS.rowsOf(ws, this, f);
    Checks.rows("dout", dout, doutOff, rows, hidden);
    Checks.rows("dx", dx, dxOff, rows, hidden);
    return rows;
  }

  /** Checks per-row statistics arrays: {@code mean} is required for LayerNorm, ignored (may be null) for RMSNorm. */
  final void checkStats(float[] mean, float[] rstd, int statsOff, int rows) {
    if (centered) {
      Checks.values("mean", mean, statsOff, rows);
    }
    Checks.values("rstd", rstd, statsOff, rows);
  }

  /**
   * Runs row kernel {@code kind} of the subclass over rows {@code [r0, r1)} with these arguments (their
   * meaning depends on the kernel); {@code dweight}/{@code dbias} are null for forward kernels.
   */
  abstract void kernel(int kind, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float[] d,
      int dOff, int r0, int r1, float[] mean, float[] rstd, int statsOff, float[] dweight, float[] dbias);

  /**
   * A forward kernel over all {@code rows}: in parallel chunks, or on this thread when there is one chunk
   * or another forward is using the block's task (rows are independent: same result either way).
   */
  final void runForward(int kind, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float[] d,
      int dOff, int rows, float[] mean, float[] rstd, int statsOff) {
    int chunks = RowChunks.count(rows, hidden);
    RowJob job = forwardJob;
    if (chunks == 1 || !job.busy.compareAndSet(false, true)) {
      kernel(kind, a, aOff, b, bOff, c, cOff, d, dOff, 0, rows, mean, rstd, statsOff, null, null);
      return;
    }
    try {
      job.set(kind, a, aOff, b, bOff, c, cOff, d, dOff, rows, chunks, mean, rstd, statsOff);
      RowParallel.shared().run(chunks, job);
    } finally {
      job.clear();
      job.busy.set(false);
    }
  }

  /**
   * A backward kernel over all {@code rows}, adding into the weight and bias gradients: with one chunk
   * directly on this thread; else in parallel chunks, each into its own partials, reduced in chunk order.
   */
  final void runBackward(int kind, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float[] d,
      int dOff, int rows, float[] mean, float[] rstd, int statsOff) {
    float[] dweight = params.dweight();
    float[] dbias = params.dbias();
    int chunks = RowChunks.count(rows, hidden);
    if (chunks == 1) {
      kernel(kind, a, aOff, b, bOff, c, cOff, d, dOff, 0, rows, mean, rstd, statsOff, dweight, dbias);
      return;
    }
    RowJob job = backwardJob;
    try {
      job.set(kind, a, aOff, b, bOff, c, cOff, d, dOff, rows, chunks, mean, rstd, statsOff);
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

  /** The arguments of one row-kernel call (and, for backward, the per-chunk partials), reused across calls. */
  private final class RowJob implements ChunkTask {
    final AtomicBoolean busy = new AtomicBoolean();
    final boolean gradients;
    final ChunkPartials dweight = new ChunkPartials();
    final ChunkPartials dbias = new ChunkPartials();
    private int kind;
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
    private int rows;
    private int chunks;
    private int statsOff;

    RowJob(boolean gradients) {
      this.gradients = gradients;
    }

    void set(int kind, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float[] d, int dOff,
        int rows, int chunks, float[] mean, float[] rstd, int statsOff) {
      this.kind = kind;
      this.a = a;
      this.aOff = aOff;
      this.b = b;
      this.bOff = bOff;
      this.c = c;
      this.cOff = cOff;
      this.d = d;
      this.dOff = dOff;
      this.rows = rows;
      this.chunks = chunks;
      this.mean = mean;
      this.rstd = rstd;
      this.statsOff = statsOff;
      if (gradients && params.weight != null) {
        dweight.ensure(chunks, hidden);
      }
      if (gradients && params.bias != null) {
        dbias.ensure(chunks, hidden);
      }
    }

    /** Drops the references to the caller's arrays. */
    void clear() {
      a = b = c = d = mean = rstd = null;
    }

    @Override
    public void run(int chunk) {
      float[] dw = gradients && params.weight != null ? dweight.zeroed(chunk, hidden) : null;
      float[] db = gradients && params.bias != null ? dbias.zeroed(chunk, hidden) : null;
      kernel(kind, a, aOff, b, bOff, c, cOff, d, dOff, RowChunks.start(rows, chunks, chunk),
          RowChunks.start(rows, chunks, chunk + 1), mean, rstd, statsOff, dw, db);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + (preNorm() ? "pre" : "post") + ", hidden=" + hidden
        + ", eps=" + eps + ", alpha=" + alpha + ", beta=" + beta + ")";
  }
}
