package dev.normforge.processor.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normforge.processor.testing.PoolAllocation;
import dev.normforge.runtime.AddNormBlock;
import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.ResidualBlock;
import dev.normforge.runtime.Sublayer;
import dev.normforge.runtime.internal.exec.RowChunks;
import dev.normforge.runtime.internal.exec.RowParallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every generated block kind (Pre-Norm and Post-Norm, LayerNorm and RMSNorm, DeepNorm) gives bitwise the
 * same forward output, saved statistics, dx and weight/bias gradients on 1, 2, 3 and 4 threads, on a shape
 * cut into several chunks; and so do Post-Norm's public fused add+norm kernels.
 */
class BlockThreadCountTest {
  private static final int[] THREADS = {1, 2, 3, 4};
  static final int HIDDEN = 264;
  static final int ROWS = 1001;
  static Map<String, ResidualBlock> blocks;

  @BeforeAll
  static void compile() {
    blocks = Blocks.compile("ThreadModel", HIDDEN);
  }

  @AfterAll
  static void restore() {
    RowParallel.shared().setThreads(Runtime.getRuntime().availableProcessors());
  }

  /** A cheap element-wise sublayer {@code F(h) = 0.5·h + 0.1·h²}, so the test time goes to the norm. */
  static final Sublayer F = new Sublayer() {
    @Override
    public void forward(float[] in, int inOff, float[] out, int outOff, int rows) {
      for (int i = 0; i < rows * HIDDEN; i++) {
        float h = in[inOff + i];
        out[outOff + i] = 0.5f * h + 0.1f * h * h;
      }
    }

    @Override
    public void backward(float[] in, int inOff, float[] dOut, int dOutOff, float[] dIn, int dInOff, int rows) {
      for (int i = 0; i < rows * HIDDEN; i++) {
        dIn[dInOff + i] += dOut[dOutOff + i] * (0.5f + 0.2f * in[inOff + i]);
      }
    }
  };

  @Test
  void blocksAreBitwiseIdenticalAcrossThreadCounts() {
    assertTrue(RowChunks.count(ROWS, HIDDEN) >= 4, "the shape must need several chunks");
    assertTrue(THREADS[THREADS.length - 1] > 1 && RowChunks.count(ROWS, HIDDEN) >= THREADS[THREADS.length - 1],
        "every thread count compared must have a chunk for each thread");
    for (String name : blocks.keySet()) {
      compare(name, () -> runBlock(blocks.get(name), ROWS));
    }
  }

  @Test
  void oneChunkCallsAreIdenticalToo() {
    assertTrue(RowChunks.count(7, HIDDEN) == 1, "7 rows should be one chunk (the caller-only path)");
    for (String name : blocks.keySet()) {
      compare(name + " (7 rows)", () -> runBlock(blocks.get(name), 7));
    }
  }

  @Test
  void addNormKernelsAreBitwiseIdenticalAcrossThreadCounts() {
    assertTrue(RowChunks.count(ROWS, HIDDEN) >= 4, "the shape must need several chunks");
    for (Map.Entry<String, ResidualBlock> e : blocks.entrySet()) {
      if (e.getValue() instanceof AddNormBlock post) {
        compare(e.getKey() + " addNorm", () -> runAddNorm(post));
      }
    }
  }

  /**
   * 100 forward+backward pairs on 4 threads (3 pool threads) over a shape of several chunks allocate at most
   * 1 KiB in all, counting the caller's and the pool threads' bytes: less than one object per call.
   */
  @Test
  void parallelCallsAllocateNothing() {
    RowParallel.shared().setThreads(4);
    PoolAllocation.assertReachesPool("blocks", ROWS, HIDDEN);
    for (Map.Entry<String, ResidualBlock> e : blocks.entrySet()) {
      ResidualBlock block = e.getValue();
      int n = ROWS * HIDDEN;
      float[] x = Blocks.gaussian(n, new Random(1));
      float[] dout = Blocks.gaussian(n, new Random(2));
      float[] out = new float[n];
      float[] dx = new float[n];
      BlockWorkspace ws = block.newWorkspace();
      PoolAllocation.Bytes bytes = PoolAllocation.best(() -> {
        for (int i = 0; i < PAIRS; i++) {
          block.forward(x, 0, out, 0, ROWS, F, ws);
          block.backward(dout, 0, dx, 0, F, ws);
        }
      }, SLACK, 20_000_000_000L);
      System.out.printf("allocation %s on 4 threads: %s per %d forward+backward calls%n", e.getKey(), bytes, PAIRS);
      assertTrue(bytes.total() <= SLACK, e.getKey() + ": " + PAIRS + " parallel forward+backward calls allocated "
          + bytes);
    }
  }

  static final int PAIRS = 100;
  static final long SLACK = 1024;

  private interface Run {
    List<float[]> get();
  }

  private static void compare(String what, Run run) {
    List<float[]> first = null;
    for (int t : THREADS) {
      RowParallel.shared().setThreads(t);
      List<float[]> o = run.get();
      if (first == null) {
        first = o;
        continue;
      }
      for (int i = 0; i < o.size(); i++) {
        assertArrayEquals(first.get(i), o.get(i), what + " on " + t + " threads: output " + i
            + " (out, mean, rstd, dx, dx 2nd call, dweight, dbias)");
      }
    }
  }

  /** forward, then backward twice (the second adds onto non-zero gradients); reset gradients first. */
  private static List<float[]> runBlock(ResidualBlock block, int rows) {
    Random random = new Random(3);
    Blocks.randomizeNorm(block, random);
    zeroGradients(block);
    int off = 5;
    int n = rows * HIDDEN;
    float[] x = shifted(Blocks.gaussian(n, random), off);
    float[] dout = shifted(Blocks.gaussian(n, random), off);
    float[] out = new float[off + n];
    BlockWorkspace ws = block.newWorkspace();
    block.forward(x, off, out, off, rows, F, ws);
    List<float[]> o = new ArrayList<>();
    o.add(out);
    o.add(ws.mean().clone());
    o.add(ws.rstd().clone());
    float[] dx = new float[off + n];
    block.backward(dout, off, dx, off, F, ws);
    o.add(dx.clone());
    block.backward(dout, off, dx, off, F, ws);
    o.add(dx);
    o.add(block.weight() == null ? new float[0] : block.weight().grad().clone());
    o.add(block.bias() == null ? new float[0] : block.bias().grad().clone());
    return o;
  }

  private static List<float[]> runAddNorm(AddNormBlock block) {
    Random random = new Random(4);
    Blocks.randomizeNorm(block, random);
    zeroGradients(block);
    int n = ROWS * HIDDEN;
    float[] x = Blocks.gaussian(n, random);
    float[] f = Blocks.gaussian(n, random);
    float[] dy = Blocks.gaussian(n, random);
    float[] s = new float[n];
    float[] y = new float[n];
    float[] mean = new float[ROWS + 2];
    float[] rstd = new float[ROWS + 2];
    block.addNormForward(x, 0, f, 0, s, 0, y, 0, ROWS, mean, rstd, 2);
    float[] ds = new float[n];
    float[] dx = new float[n];
    block.addNormBackward(s, 0, dy, 0, ds, 0, dx, 0, ROWS, mean, rstd, 2);
    List<float[]> o = new ArrayList<>();
    o.add(y);
    o.add(s);
    o.add(mean);
    o.add(rstd);
    o.add(ds);
    o.add(dx);
    o.add(block.weight() == null ? new float[0] : block.weight().grad().clone());
    o.add(block.bias() == null ? new float[0] : block.bias().grad().clone());
    return o;
  }

  private static void zeroGradients(ResidualBlock block) {
    if (block.weight() != null) {
      java.util.Arrays.fill(block.weight().grad(), 0f);
    }
    if (block.bias() != null) {
      java.util.Arrays.fill(block.bias().grad(), 0f);
    }
  }

  private static float[] shifted(float[] a, int off) {
    float[] b = new float[off + a.length];
    System.arraycopy(a, 0, b, off, a.length);
    return b;
  }
}
