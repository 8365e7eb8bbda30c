package dev.normforge.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.ResidualBlock;
import dev.normforge.runtime.Sublayer;
import org.junit.jupiter.api.Test;

/** The workspace's internal state is reachable only through the accessor BlockWorkspace installs itself. */
class WorkspaceAccessTest {
  @Test
  void noOtherClassCanInstallAnAccessor() {
    WorkspaceAccess installed = WorkspaceAccess.get();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> WorkspaceAccess.install(new Fake()));
    assertEquals("WorkspaceAccess is installed by BlockWorkspace alone, once", e.getMessage());
    assertSame(installed, WorkspaceAccess.get(), "a refused install replaced the accessor");
  }

  /** A would-be accessor from outside BlockWorkspace. */
  private static final class Fake extends WorkspaceAccess {
    @Override
    protected void prepare(BlockWorkspace ws, int rows, int hidden) {}

    @Override
    protected void prepareFeatures(BlockWorkspace ws, int features) {}

    @Override
    protected void filled(BlockWorkspace ws, ResidualBlock block, Sublayer f, int rows, int hidden, float[] x,
        int xOff) {}

    @Override
    protected int rowsOf(BlockWorkspace ws, ResidualBlock block, Sublayer f) {
      return 0;
    }

    @Override
    protected float[] extra(BlockWorkspace ws, int slot, int size) {
      return null;
    }

    @Override
    protected float[] x(BlockWorkspace ws) {
      return null;
    }

    @Override
    protected int xOff(BlockWorkspace ws) {
      return 0;
    }
  }
}
