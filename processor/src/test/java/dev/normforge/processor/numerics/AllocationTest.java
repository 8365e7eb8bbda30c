package dev.normforge.processor.numerics;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.runtime.NormLayer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Generated standalone norms (LayerNorm, RMSNorm, BatchNorm) allocate nothing per call once compiled:
 * every forward and backward entry, measured with the thread's allocated-bytes counter over 1000 calls. The Vector API allocates
 * its vectors until C2 has compiled a kernel, so the test repeats the measurement (up to 30 s per site)
 * until the JIT is done, and allows 4 KiB per 1000 calls: less than one object per call.
 */
class AllocationTest {
  static final int CALLS = 1000;
  static final long SLACK = 4096;
  static final long WARMUP_LIMIT_NANOS = 10_000_000_000L;

  @Test
  void noAllocationPerCall() {
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
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    List<String> failures = new ArrayList<>();
    dev.normforge.runtime.BatchNormLayer bn =
        Processing.instantiate(loader, source.generated("bn768"), dev.normforge.runtime.BatchNormLayer.class);
    int bnRows = 64;
    float[] bx = Data.gaussian(new Random(3), bnRows * 768, 0, 1);
    float[] by = new float[bx.length];
    float[] bdx = new float[bx.length];
    float[] bMean = new float[768];
    float[] bInvstd = new float[768];
    measure(threads, failures, "bn768.forwardTraining", () -> bn.forwardTraining(bx, 0, by, 0, bnRows, bMean, bInvstd));
    measure(threads, failures, "bn768.forwardEval", () -> bn.forwardEval(bx, 0, by, 0, bnRows));
    measure(threads, failures, "bn768.backward", () -> bn.backward(bx, 0, by, 0, bdx, 0, bnRows, bMean, bInvstd));
    // rms768 before ln768: a kernel compiled after another class warmed the shared runtime paths once
    // exceeded C2's inlining budget (boxing its vectors); this order caught it
    for (String site : new String[] {"ln24", "rms24", "rms768", "ln768", "rms4099"}) {
      NormLayer norm = Processing.instantiate(loader, source.generated(site), NormLayer.class);
      int rows = 256;
      int n = rows * norm.hidden();
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
        measure(threads, failures, site + "." + names[e], entries[e]);
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  /** Batches of {@link #CALLS} calls until one allocates at most {@link #SLACK} bytes, or the time is up. */
  private static void measure(com.sun.management.ThreadMXBean threads, List<String> failures, String what,
      Runnable entry) {
    long best = Long.MAX_VALUE;
    long deadline = System.nanoTime() + WARMUP_LIMIT_NANOS;
    while (best > SLACK && System.nanoTime() < deadline) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < CALLS; i++) {
        entry.run();
      }
      best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
    }
    System.out.printf("allocation %s: %d bytes per %d calls%n", what, best, CALLS);
    if (best > SLACK) {
      failures.add(what + ": " + CALLS + " calls allocated " + best + " bytes");
    }
  }
}
