package dev.normforge.runtime.internal;

import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.internal.exec.Aliasing;

/**
 * The aliasing contract of every residual block's {@code forward} and {@code backward} (row-norm and
 * BatchNorm blocks alike), on top of {@link Aliasing}: what may share memory with what, checked before
 * anything is written.
 */
final class BlockAliasing {
  private static final WorkspaceAccess WS = WorkspaceAccess.get();

  private BlockAliasing() {}

  /**
   * A block's forward: {@code out} must not overlap {@code x} (the sublayer writes {@code out} before the
   * residual add reads {@code x}, and backward reads {@code x} again), and neither may be one of the
   * workspace's buffers, which the forward writes.
   */
  static void checkForward(float[] x, int xOff, float[] out, int outOff, int rows, int hidden,
      BlockWorkspace ws) {
    long n = (long) rows * hidden;
    Aliasing.separate("out", out, outOff, "x", x, xOff, n);
    workspaceSeparate("x", x, xOff, n, ws);
    workspaceSeparate("out", out, outOff, n, ws);
  }

  /**
   * A block's backward: {@code dx} may be {@code dout} itself and must not overlap the forward's {@code x}
   * (which the sublayer's and the norm's backward read); neither may be one of the workspace's buffers.
   */
  static void checkBackward(float[] dout, int doutOff, float[] dx, int dxOff, int rows, int hidden,
      BlockWorkspace ws) {
    long n = (long) rows * hidden;
    Aliasing.sameOrSeparate("dx", dx, dxOff, "dout", dout, doutOff, n);
    Aliasing.separate("dx", dx, dxOff, "x (the forward's input)", WS.x(ws), WS.xOff(ws), n);
    workspaceSeparate("dx", dx, dxOff, n, ws);
    workspaceSeparate("dout", dout, doutOff, n, ws);
  }

  private static void workspaceSeparate(String name, float[] a, int off, long length, BlockWorkspace ws) {
    Aliasing.separate(name, a, off, length, "ws.saved()", ws.saved(), 0, ws.saved().length);
    Aliasing.separate(name, a, off, length, "ws.gradient()", ws.gradient(), 0, ws.gradient().length);
    Aliasing.separate(name, a, off, length, "ws.mean()", ws.mean(), 0, ws.mean().length);
    Aliasing.separate(name, a, off, length, "ws.rstd()", ws.rstd(), 0, ws.rstd().length);
  }
}
