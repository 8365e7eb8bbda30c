package dev.normforge.processor.numerics;

import dev.normforge.processor.testing.Data;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.PoolAllocation;
import dev.normforge.processor.testing.Processing;
import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.internal.BatchNormBase;
import dev.normforge.runtime.internal.exec.RowChunks;
import dev.normforge.runtime.internal.exec.RowParallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Generated standalone norms (LayerNorm, RMSNorm, BatchNorm) allocate nothing per call once compiled:
 * every forward and backward entry, on a shape of one chunk (run on the caller's thread alone) and on a
 * shape of several chunks run by the {@code RowParallel} pool on 2 threads, counting the bytes of the
 * caller and of every pool thread ({@link PoolAllocation}) over 1000 calls. The Vector API allocates its
 * vectors until C2 has compiled a kernel, so the test repeats the measurement (up to 10 s per entry)
 * until the JIT is done, and allows 4 KiB per 1000 calls: less than one object per call.
 */
class AllocationTest {
  static final int CALLS = 1000;
  static final long SLACK = 4096;
  static final long WARMUP_LIMIT_NANOS = 10_000_000_000L;

  @AfterAll
  static void restore() {
    RowParallel.shared().setThreads(Runtime.getRuntime().availableProcessors());
  }

  /** Rows of {@code width} that {@link RowChunks} cuts into 3 chunks. */
  static int pooledRows(int width) {
    return (int) (2 * RowChunks.CHUNK_ELEMENTS / width) + 1;
  }

  @Test
  void noAllocationPerCall() {
    RowParallel.shared().setThreads(2);
    ModelSource source = ModelSource.model("alloc", "Alloc", "")
        .site("NormLayer", "ln24", "type = NormType.LAYER, hidden = 24")
        .site("NormLayer", "rms24", "type = NormType.RMS, hidden = 24")
        .site("NormLayer", "rms768", "type = NormType.RMS, hidden = 768")
        .site("NormLayer", "ln768", "type = NormType.LAYER, hidden = 768")
        .site("NormLayer", "rms4099", "type = NormType.RMS, hidden = 4099, bias = true")
        .site("BatchNormLayer", "bn768", "type = NormType.BATCH, hidden = 768");
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    ClassLoader loader = Processing.loader(compilation);
    List<String> failures = new ArrayList<>();
    dev.normforge.runtime.BatchNormLayer bn =
        Processing.instantiate(loader, source.generated("bn768"), dev.normforge.runtime.BatchNormLayer.class);
    // 64 rows: one chunk; 512 rows: min(RowChunks.count, blocks of blockRows(768) rows) chunks
    for (int bnRows : new int[] {64, 512}) {
      int blocks = (bnRows + BatchNormBase.blockRows(768) - 1) / BatchNormBase.blockRows(768);
      int chunks = Math.min(RowChunks.count(bnRows, 768), blocks);
      if (bnRows > 64) {
        PoolAllocation.assertReachesPool("bn768", bnRows, 768);
        assertTrue(chunks > 1, "bn768 rows " + bnRows + ": the reducing pass is one chunk");
      } else {
        assertEquals(1, RowChunks.count(bnRows, 768));
      }
      float[] bx = Data.gaussian(new Random(3), bnRows * 768, 0, 1);
      float[] by = new float[bx.length];
      float[] bdx = new float[bx.length];
      float[] bMean = new float[768];
      float[] bInvstd = new float[768];
      String w = "bn768 rows " + bnRows + " (" + chunks + " chunks).";
      measure(failures, w + "forwardTraining", () -> bn.forwardTraining(bx, 0, by, 0, bnRows, bMean, bInvstd));
      measure(failures, w + "forwardEval", () -> bn.forwardEval(bx, 0, by, 0, bnRows));
      measure(failures, w + "backward", () -> bn.backward(bx, 0, by, 0, bdx, 0, bnRows, bMean, bInvstd));
    }
    // rms768 before ln768: a kernel compiled after another class warmed the shared runtime paths once
    // exceeded C2's inlining budget (boxing its vectors); this order caught it
    for (String site : new String[] {"ln24", "rms24", "rms768", "ln768", "rms4099"}) {
      NormLayer norm = Processing.instantiate(loader, source.generated(site), NormLayer.class);
      int hidden = norm.hidden();
      PoolAllocation.assertReachesPool(site, pooledRows(hidden), hidden);
      assertEquals(1, RowChunks.count(3, hidden), site + ": 3 rows should be one chunk");
      for (int rows : new int[] {3, pooledRows(hidden)}) {
        int n = rows * hidden;
        float[] x = Data.gaussian(new Random(1), n, 0, 1);
        float[] dy = Data.gaussian(new Random(2), n, 0, 1);
        float[] y = new float[n];
        float[] dx = new float[n];
        float[] mean = new float[rows];
        float[] rstd = new float[rows];
        Runnable[] entries = {
            () -> norm.forward(x, 0, y, 0, rows),
            () -> norm.forwardTraining(x, 0, y, 0, rows, mean, rstd, 0),
            () -> norm.backward(x, 0, dy, 0, dx, 0, rows, mean, rstd, 0)};
        String[] names = {"forward", "forwardTraining", "backward"};
        for (int e = 0; e < entries.length; e++) {
          measure(failures, site + " rows " + rows + " (" + RowChunks.count(rows, hidden) + " chunks)." + names[e],
              entries[e]);
        }
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  /**
   * Batches of {@link #CALLS} calls until one allocates at most {@link #SLACK} bytes on the caller's and the
   * pool's threads together, or the time is up.
   */
  private static void measure(List<String> failures, String what, Runnable entry) {
    PoolAllocation.Bytes best = PoolAllocation.best(() -> {
      for (int i = 0; i < CALLS; i++) {
        entry.run();
      }
    }, SLACK, WARMUP_LIMIT_NANOS);
    System.out.printf("allocation %s: %d bytes per %d calls (caller %d, pool threads %d)%n", what, best.total(),
        CALLS, best.caller(), best.pool());
    if (best.total() > SLACK) {
      failures.add(what + ": " + CALLS + " calls allocated " + best.total() + " bytes (caller " + best.caller()
          + ", pool threads " + best.pool() + ")");
    }
  }
}
