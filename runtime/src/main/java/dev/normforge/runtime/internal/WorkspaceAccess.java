package dev.normforge.runtime.internal;

import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.ResidualBlock;
import dev.normforge.runtime.Sublayer;

/**
 * How the block bases of this package reach the state of a {@link BlockWorkspace} that users must not
 * touch: growing its buffers, recording which forward filled it, checking that record in backward, and
 * the forward's input. {@code BlockWorkspace} stays in the API package with only its user API public; it
 * installs the one implementation of this class from its static initializer (no other class can: see
 * {@link #install}), and only this package can call it (the operations are protected, the instance is
 * package-private). The same idea as the JDK's {@code SharedSecrets}.
 *
 * <p>Not API: public only because {@code BlockWorkspace} lives in another package.
 */
public abstract class WorkspaceAccess {
  private static volatile WorkspaceAccess installed;

  /** For {@code BlockWorkspace}'s implementation only. */
  protected WorkspaceAccess() {}

  /**
   * Called once, by {@code BlockWorkspace}'s static initializer, with an implementation nested in it.
   *
   * @throws IllegalStateException for any other caller, or a second call
   */
  public static void install(WorkspaceAccess access) {
    if (access.getClass().getNestHost() != BlockWorkspace.class || installed != null) {
      throw new IllegalStateException("WorkspaceAccess is installed by BlockWorkspace alone, once");
    }
    installed = access;
  }

  /** The implementation; initializes {@code BlockWorkspace} (which installs it) if nothing has yet. */
  static WorkspaceAccess get() {
    WorkspaceAccess access = installed;
    if (access == null) {
      new BlockWorkspace(); // runs BlockWorkspace's static initializer
      access = installed;
    }
    return access;
  }

  /**
   * Grows {@code ws}'s buffers to hold {@code rows} rows of {@code hidden} floats (never shrinks them) and
   * clears its record: it holds no forward until {@link #filled} is called.
   */
  protected abstract void prepare(BlockWorkspace ws, int rows, int hidden);

  /** Makes {@code ws}'s statistics arrays hold at least {@code features} values (BatchNorm's per-feature stats). */
  protected abstract void prepareFeatures(BlockWorkspace ws, int features);

  /** Records that {@code block} ran forward over {@code rows} rows of {@code x} with sublayer {@code f}. */
  protected abstract void filled(
      BlockWorkspace ws, ResidualBlock block, Sublayer f, int rows, int hidden, float[] x, int xOff);

  /**
   * Checks that the last forward on {@code ws} was {@code block}'s, with sublayer {@code f}, and returns its
   * row count; throws {@link IllegalStateException} otherwise.
   */
  protected abstract int rowsOf(BlockWorkspace ws, ResidualBlock block, Sublayer f);

  /**
   * Extra buffer {@code slot} of {@code ws} (for what a placement keeps beyond the saved row, its
   * gradient and the statistics), grown to at least {@code size} floats; contents kept between calls.
   */
  protected abstract float[] extra(BlockWorkspace ws, int slot, int size);

  /** The input {@code x} of the forward {@code ws} holds (not copied). */
  protected abstract float[] x(BlockWorkspace ws);

  /** The offset of {@link #x} in its array. */
  protected abstract int xOff(BlockWorkspace ws);
}
