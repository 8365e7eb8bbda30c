package dev.normforge.processor.batch;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.PoolAllocation;
import dev.normforge.processor.testing.Processing;
import dev.normforge.runtime.internal.BatchNormBase;
import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.runtime.internal.exec.RowChunks;
import dev.normforge.runtime.internal.exec.RowParallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A generated BatchNorm gives bitwise the same outputs, statistics, running statistics and gradients on
 * 1, 2, 3 and 4 threads, on shapes cut into several chunks (of several 128-row blocks, the last one short).
 */
class BatchNormThreadCountTest {
  private static final int[] THREADS = {1, 2, 3, 4};
  static ModelSource source;
  static ClassLoader loader;

  @BeforeAll
  static void compile() {
    source = ModelSource.model("bnthreads", "Threads", "");
    source.site("BatchNormLayer", "affine300", "type = NormType.BATCH, hidden = 300, momentum = 0.25");
    source.site("BatchNormLayer", "plain77", "type = NormType.BATCH, hidden = 77, affine = false");
    source.site("BatchNormLayer", "wide1100", "type = NormType.BATCH, hidden = 1100");
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    loader = Processing.loader(compilation);
  }

  @AfterAll
  static void restore() {
    RowParallel.shared().setThreads(Runtime.getRuntime().availableProcessors());
  }

  /** 1000 rows of 300: 5 chunks over 8 blocks of blockRows(300) = 128 rows (chunks of 1 and 2 blocks, the last block short). */
  @Test
  void affineIsBitwiseIdenticalAcrossThreadCounts() {
    assertPooled(1000, 300, 1);
    check("affine300", 1000);
  }

  /** 3333 rows of 77: 4 chunks of 6 or 7 blocks of blockRows(77) = 128 rows, the last block short. */
  @Test
  void plainIsBitwiseIdenticalAcrossThreadCounts() {
    assertPooled(3333, 77, 6);
    check("plain77", 3333);
  }

  /**
   * 500 rows of 1100: the per-feature step between the passes (combining the chunks' sums, the statistics,
   * the coefficients) runs in several chunks of features too, and two features (0 and 700) are scaled by
   * 1e20 so that their float squares overflow: the double slow paths run inside those chunks.
   */
  @Test
  void wideIsBitwiseIdenticalAcrossThreadCounts() {
    int chunks = BatchNormBase.reducingChunks(500, 1100);
    assertTrue(BatchNormBase.featureChunks(chunks, 1100) >= THREADS.length,
        "the per-feature step must need several chunks, got " + BatchNormBase.featureChunks(chunks, 1100));
    check("wide1100", 500);
  }

  @Test
  void oneChunkCallsAreIdenticalToo() {
    assertEquals(1, BatchNormBase.reducingChunks(150, 300), "150 rows of 300 should be one chunk");
    assertEquals(1, RowChunks.count(150, 300), "150 rows of 300 should be one chunk");
    check("affine300", 150);
  }

  /**
   * Fails unless both kinds of pass over {@code rows} rows run in at least as many chunks as the most threads
   * compared (so every thread count shares them), some chunk of a reducing pass holds several blocks of
   * {@link BatchNormBase#blockRows} rows and every chunk at least {@code minBlocks} (a chunk adds its blocks'
   * partials in block order, which must not depend on threads either), and the last block is short.
   */
  static void assertPooled(int rows, int hidden, int minBlocks) {
    int chunks = BatchNormBase.reducingChunks(rows, hidden);
    assertTrue(RowChunks.count(rows, hidden) >= THREADS.length, "the map passes must need several chunks");
    assertTrue(chunks >= THREADS.length, "the reducing passes must need several chunks, got " + chunks);
    int units = (rows + BatchNormBase.blockRows(hidden) - 1) / BatchNormBase.blockRows(hidden);
    int most = 0;
    int least = Integer.MAX_VALUE;
    for (int c = 0; c < chunks; c++) {
      int blocks = RowChunks.start(units, chunks, c + 1) - RowChunks.start(units, chunks, c);
      most = Math.max(most, blocks);
      least = Math.min(least, blocks);
    }
    assertTrue(most >= 2, "no chunk of " + rows + " rows holds several blocks");
    assertTrue(least >= minBlocks, "a chunk of " + rows + " rows holds " + least + " blocks, want " + minBlocks);
    assertTrue(rows % BatchNormBase.blockRows(hidden) != 0, "the last block should be short");
  }

  @Test
  void parallelCallsAllocateNothing() {
    RowParallel.shared().setThreads(4);
    BatchNormLayer bn = Processing.instantiate(loader, source.generated("affine300"), BatchNormLayer.class);
    int rows = 1000;
    int h = bn.hidden();
    PoolAllocation.assertReachesPool("affine300", rows, h);
    assertTrue(BatchNormBase.reducingChunks(rows, h) > 1, "the reducing passes must need several chunks");
    float[] x = BatchNormKernelsTest.randoms(new Random(1), rows * h, 0, 1);
    float[] dy = BatchNormKernelsTest.randoms(new Random(2), rows * h, 0, 1);
    float[] y = new float[rows * h];
    float[] dx = new float[rows * h];
    float[] mean = new float[h];
    float[] invstd = new float[h];
    PoolAllocation.Bytes bytes = PoolAllocation.best(() -> {
      for (int i = 0; i < 100; i++) {
        bn.forwardTraining(x, 0, y, 0, rows, mean, invstd);
        bn.forwardEval(x, 0, y, 0, rows);
        bn.backward(x, 0, dy, 0, dx, 0, rows, mean, invstd);
      }
    }, 1024, 20_000_000_000L);
    // 300 calls: 1 KiB is less than one object per call
    System.out.printf("allocation affine300 on 4 threads: %s per 100 training+eval+backward calls%n", bytes);
    assertTrue(bytes.total() <= 1024, "100 parallel training+eval+backward calls allocated " + bytes);
  }

  private static void check(String name, int rows) {
    List<float[]> first = null;
    for (int t : THREADS) {
      RowParallel.shared().setThreads(t);
      List<float[]> o = run(name, rows);
      if (first == null) {
        first = o;
        continue;
      }
      for (int i = 0; i < o.size(); i++) {
        assertArrayEquals(first.get(i), o.get(i), name + " rows " + rows + " on " + t + " threads: " + NAMES[i]);
      }
    }
  }

  private static final String[] NAMES = {
    "y", "mean", "invstd", "running mean", "running var", "y (2nd call)", "running mean (2nd)",
    "running var (2nd)", "y eval", "dx", "dx (2nd call)", "dweight", "dbias"
  };

  private static List<float[]> run(String name, int rows) {
    BatchNormLayer bn = Processing.instantiate(loader, source.generated(name), BatchNormLayer.class);
    int h = bn.hidden();
    Random random = new Random(5);
    int off = 3;
    float[] x = BatchNormKernelsTest.randoms(random, off + rows * h, 50, 2);
    float[] x2 = BatchNormKernelsTest.randoms(random, off + rows * h, -1, 0.5);
    float[] dy = BatchNormKernelsTest.randoms(random, off + rows * h, 0, 1);
    if (h > 700) {
      for (int r = 0; r < rows; r++) {
        x[off + r * h] *= 1e20f;
        x[off + r * h + 700] *= 1e20f;
      }
    }
    if (bn.weight() != null) {
      bn.weight().set(BatchNormKernelsTest.randoms(random, h, 1, 0.1));
      bn.bias().set(BatchNormKernelsTest.randoms(random, h, 0, 0.1));
    }
    List<float[]> out = new ArrayList<>();
    float[] y = new float[off + rows * h];
    float[] mean = new float[h];
    float[] invstd = new float[h];
    bn.forwardTraining(x2, off, y, off, rows, mean, invstd);
    bn.forwardTraining(x, off, y, off, rows, mean, invstd);
    out.add(y.clone());
    out.add(mean.clone());
    out.add(invstd.clone());
    out.add(bn.runningMean().clone());
    out.add(bn.runningVar().clone());
    float[] y2 = new float[off + rows * h];
    float[] mean2 = new float[h];
    float[] invstd2 = new float[h];
    bn.forwardTraining(x2, off, y2, off, rows, mean2, invstd2);
    out.add(y2);
    out.add(bn.runningMean().clone());
    out.add(bn.runningVar().clone());
    float[] yEval = new float[off + rows * h];
    bn.forwardEval(x, off, yEval, off, rows);
    out.add(yEval);
    float[] dx = new float[off + rows * h];
    bn.backward(x, off, dy, off, dx, off, rows, mean, invstd);
    out.add(dx.clone());
    // twice: the second call adds onto non-zero gradients, as in gradient accumulation
    bn.backward(x2, off, dy, off, dx, off, rows, mean2, invstd2);
    out.add(dx);
    out.add(bn.weight() == null ? new float[0] : bn.weight().grad().clone());
    out.add(bn.bias() == null ? new float[0] : bn.bias().grad().clone());
    return out;
  }
}
