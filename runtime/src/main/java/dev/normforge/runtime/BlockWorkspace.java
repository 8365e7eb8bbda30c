package dev.normforge.runtime;

import dev.normforge.runtime.internal.WorkspaceAccess;

/**
 * What a {@link ResidualBlock}'s backward needs from its forward, kept by the caller and reused across
 * calls: buffers that grow to the largest row count seen (and are never shrunk, so after the first call of
 * that size nothing is allocated), and a record of which block and sublayer filled them, for how many rows,
 * from which input. {@code backward} without a matching {@code forward} on the same workspace throws
 * {@link IllegalStateException}.
 *
 * <p>One workspace holds one forward at a time: use one per block of a stack (and per concurrent caller),
 * since a block's backward needs its own forward's state. Any block may use any workspace; the buffers are
 * sized in floats, not per hidden size.
 *
 * <p>What it holds, by placement (row {@code r} of a buffer starts at {@code r·hidden}):
 *
 * <ul>
 *   <li>Pre-Norm: {@link #saved()} = {@code h = norm(x)}, the sublayer's input; {@link #gradient()} =
 *       {@code dh}, the gradient with respect to {@code h} during backward (a BatchNorm Pre-Norm block
 *       replaces it with the norm's path of {@code dx}, {@code BatchNorm'(x)ᵀ·dh}, before it adds the residual);
 *   <li>Post-Norm / DeepNorm: {@link #saved()} = {@code s = alpha·x + F(x)}, the norm's input;
 *       {@link #gradient()} = {@code ds}, the gradient with respect to {@code s} (and to {@code F(x)});
 *   <li>both: {@link #mean()} (LayerNorm) and {@link #rstd()} of the norm's input, per row.
 * </ul>
 */
public final class BlockWorkspace {
  private ResidualBlock block;
  private Sublayer sublayer;
  private int rows = -1;
  private int hidden;
  private float[] x;
  private int xOff;
  private float[] saved = new float[0];
  private float[] gradient = new float[0];
  private float[] mean = new float[0];
  private float[] rstd = new float[0];
  /** Further buffers a placement needs (a Sandwich block's second norm: its input, gradient, statistics). */
  private float[][] extra = new float[0][];

  static {
    // the block bases (another package) reach the record and the input through this, not through
    // public methods a user could call
    WorkspaceAccess.install(new WorkspaceAccess() {
      @Override
      protected void prepare(BlockWorkspace ws, int rows, int hidden) {
        ws.prepare(rows, hidden);
      }

      @Override
      protected void prepareFeatures(BlockWorkspace ws, int features) {
        ws.prepareFeatures(features);
      }

      @Override
      protected void filled(
          BlockWorkspace ws, ResidualBlock block, Sublayer f, int rows, int hidden, float[] x, int xOff) {
        ws.filled(block, f, rows, hidden, x, xOff);
      }

      @Override
      protected int rowsOf(BlockWorkspace ws, ResidualBlock block, Sublayer f) {
        return ws.rowsOf(block, f);
      }

      @Override
      protected float[] extra(BlockWorkspace ws, int slot, int size) {
        return ws.extra(slot, size);
      }

      @Override
      protected float[] x(BlockWorkspace ws) {
        return ws.x;
      }

      @Override
      protected int xOff(BlockWorkspace ws) {
        return ws.xOff;
      }
    });
  }

  /** Extra buffer {@code slot}, grown to at least {@code size} floats (never shrunk, so reuse allocates nothing). */
  private float[] extra(int slot, int size) {
    if (slot >= extra.length) {
      extra = java.util.Arrays.copyOf(extra, slot + 1);
    }
    if (extra[slot] == null || extra[slot].length < size) {
      extra[slot] = new float[size];
    }
    return extra[slot];
  }

  /** An empty workspace; {@link ResidualBlock#newWorkspace()} is the usual way to get one. */
  public BlockWorkspace() {}

  /**
   * Grows the buffers to hold {@code rows} rows of {@code hidden} floats (never shrinks them) and clears
   * the record: the workspace holds no forward until {@link #filled} is called.
   */
  private void prepare(int rows, int hidden) {
    this.block = null;
    this.sublayer = null;
    this.rows = -1;
    this.x = null;
    long size = (long) rows * hidden;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "rows × hidden = " + rows + " × " + hidden + " is too large for a Java array");
    }
    if (saved.length < size) {
      saved = new float[(int) size];
      gradient = new float[(int) size];
    }
    if (mean.length < rows) {
      mean = new float[rows];
      rstd = new float[rows];
    }
  }

  /** Makes the statistics arrays hold at least {@code features} values (BatchNorm keeps per-feature stats). */
  private void prepareFeatures(int features) {
    if (mean.length < features) {
      mean = new float[features];
      rstd = new float[features];
    }
  }

  /** Records that {@code block} ran forward over {@code rows} rows of {@code x} with sublayer {@code f}. */
  private void filled(ResidualBlock block, Sublayer f, int rows, int hidden, float[] x, int xOff) {
    this.block = block;
    this.sublayer = f;
    this.rows = rows;
    this.hidden = hidden;
    this.x = x;
    this.xOff = xOff;
  }

  /**
   * Checks that the last forward on this workspace was {@code block}'s, with sublayer {@code f}, and
   * returns its row count.
   */
  private int rowsOf(ResidualBlock block, Sublayer f) {
    if (this.block == null) {
      throw new IllegalStateException(
          "backward without a forward: this workspace holds no forward pass (call forward with it first)");
    }
    if (this.block != block) {
      throw new IllegalStateException(
          "backward on a workspace that holds the forward of another block (" + this.block
              + "), not of this one (" + block + "): use one workspace per block");
    }
    if (this.sublayer != f) {
      throw new IllegalStateException(
          "backward with a different sublayer than the forward on this workspace used: pass the same sublayer");
    }
    return rows;
  }

  /** The block whose forward this workspace holds, or null when it holds none. */
  public ResidualBlock block() {
    return block;
  }

  /** Rows of the forward this workspace holds, or -1 when it holds none. */
  public int rows() {
    return block == null ? -1 : rows;
  }

  /** Features per row of the forward this workspace holds (0 before the first). */
  public int hidden() {
    return hidden;
  }

  /** Rows × hidden floats the buffers can hold without growing. */
  public int capacity() {
    return saved.length;
  }

  /** Pre-Norm: {@code h = norm(x)}; Post-Norm: {@code s = alpha·x + F(x)} (see the class comment). Not a copy. */
  public float[] saved() {
    return saved;
  }

  /** Pre-Norm: {@code dh} (BatchNorm: {@code BatchNorm'ᵀ·dh}); Post-Norm: {@code ds}, after a backward (see the class comment). Not a copy. */
  public float[] gradient() {
    return gradient;
  }

  /** Per-row means of the norm's input (LayerNorm; unused by RMSNorm). Not a copy. */
  public float[] mean() {
    return mean;
  }

  /** Per-row {@code 1/sqrt(var + eps)} of the norm's input. Not a copy. */
  public float[] rstd() {
    return rstd;
  }

  @Override
  public String toString() {
    return "BlockWorkspace(" + (block == null ? "empty" : rows + " rows of " + block) + ", capacity "
        + saved.length + " floats)";
  }
}
