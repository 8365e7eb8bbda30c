package dev.normforge.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normforge.runtime.internal.exec.RowChunks;
import dev.normforge.runtime.internal.exec.RowParallel;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Forward and backward give bitwise the same outputs and gradients on 1, 2, 3 and 4 threads. */
class ThreadCountDeterminismTest {
  private static final int[] THREADS = {1, 2, 3, 4};

  @AfterAll
  static void restore() {
    RowParallel.shared().setThreads(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void layerNormIsBitwiseIdenticalAcrossThreadCounts() {
    assertReachesPool(300, 1000);
    check(true, 300, 1000);
  }

  @Test
  void rmsNormIsBitwiseIdenticalAcrossThreadCounts() {
    assertReachesPool(301, 777);
    check(false, 301, 777);
  }

  @Test
  void smallCallsAreIdenticalToo() {
    assertEquals(1, RowChunks.count(3, 100), "3 rows of 100 should be one chunk (the caller-only path)");
    check(true, 3, 100);
  }

  /** At least one chunk per thread of the largest count compared: every count really splits the rows. */
  private static void assertReachesPool(int rows, int hidden) {
    int most = THREADS[THREADS.length - 1];
    assertTrue(RowChunks.count(rows, hidden) >= most, rows + " rows of " + hidden + " are "
        + RowChunks.count(rows, hidden) + " chunks: fewer than " + most + " threads");
  }

  /** Results of one thread count: y, mean, rstd, dx, and the gradients after two backward calls. */
  private record Outputs(float[] y, float[] mean, float[] rstd, float[] dx, float[] dw, float[] db) {}

  private static void check(boolean centered, int rows, int hidden) {
    Outputs first = null;
    for (int t : THREADS) {
      RowParallel.shared().setThreads(t);
      Outputs o = run(centered, rows, hidden);
      if (first == null) {
        first = o;
        continue;
      }
      String what = (centered ? "LayerNorm" : "RMSNorm") + " on " + t + " threads: ";
      assertArrayEquals(first.y, o.y, what + "y");
      assertArrayEquals(first.mean, o.mean, what + "mean");
      assertArrayEquals(first.rstd, o.rstd, what + "rstd");
      assertArrayEquals(first.dx, o.dx, what + "dx");
      assertArrayEquals(first.dw, o.dw, what + "dweight");
      assertArrayEquals(first.db, o.db, what + "dbias");
    }
  }

  private static Outputs run(boolean centered, int rows, int hidden) {
    Random rnd = new Random(42);
    int off = 5; // offsets must be honoured too
    float[] x = new float[off + rows * hidden];
    float[] dy = new float[off + rows * hidden];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rnd.nextGaussian() * 3 + 1);
      dy[i] = (float) rnd.nextGaussian();
    }
    ScalarRowNorm layer = new ScalarRowNorm(hidden, centered);
    for (int j = 0; j < hidden; j++) {
      layer.weight().value()[j] = 1f + 0.01f * j;
    }
    float[] y = new float[off + rows * hidden];
    float[] inference = new float[off + rows * hidden];
    float[] mean = centered ? new float[rows] : null;
    float[] rstd = new float[rows];
    float[] dx = new float[off + rows * hidden];
    layer.forward(x, off, inference, off, rows);
    layer.forwardTraining(x, off, y, off, rows, mean, rstd, 0);
    assertArrayEquals(inference, y, "inference and training forward agree");
    // twice: the second call adds onto non-zero gradients, as in gradient accumulation
    layer.backward(x, off, dy, off, dx, off, rows, mean, rstd, 0);
    layer.backward(x, off, dy, off, dx, off, rows, mean, rstd, 0);
    return new Outputs(y, mean == null ? new float[0] : mean, rstd, dx, layer.weight().grad().clone(),
        layer.bias() == null ? new float[0] : layer.bias().grad().clone());
  }
}
