package dev.normforge.sample;

import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.testing.BatchNormReference;
import dev.normforge.runtime.NormLayer;
import dev.normforge.testing.Reference;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Runs every generated standalone norm of {@link TinyGpt} forward and backward on random data, checks the
 * results against the float64 {@link Reference}, and prints one line per site; then the residual-block
 * stacks of {@link DeepStack} ({@link BlockStacksMain}); then the {@link Llama} model loaded from a checkpoint,
 * trained a step and saved ({@link LlamaMain}). Exits with status 1 when a result is off, so the
 * sample doubles as an end-to-end check.
 */
public final class SampleMain {
  /** Rows per call: a batch of 4 sequences of 64 tokens. */
  static final int ROWS = 256;

  /** Largest accepted |float - float64| / (1 + |float64|) over outputs and gradients. */
  static final double MAX_ERROR = 1e-4;

  record Site(String name, String type, NormLayer layer) {}

  public static void main(String[] args) {
    List<Site> sites = List.of(
        new Site("attentionNorm", "RMS", new TinyGptAttentionNorm()),
        new Site("finalNorm", "LAYER", new TinyGptFinalNorm()),
        new Site("headNorm", "LAYER", new TinyGptHeadNorm()));
    System.out.printf("%-14s %-6s %6s %12s %12s %11s %11s%n",
        "site", "type", "hidden", "fwd error", "bwd error", "fwd ns/row", "bwd ns/row");
    boolean ok = true;
    for (Site site : sites) {
      Result r = run(site.layer(), site.type().equals("LAYER"));
      System.out.printf(Locale.ROOT, "%-14s %-6s %6d %12.2e %12.2e %11.0f %11.0f%n",
          site.name(), site.type(), site.layer().hidden(), r.forwardError, r.backwardError,
          r.forwardNsPerRow, r.backwardNsPerRow);
      ok &= r.forwardError <= MAX_ERROR && r.backwardError <= MAX_ERROR;
    }
    BatchNormLayer batchNorm = new TinyGptBatchNorm();
    Result r = runBatch(batchNorm);
    System.out.printf(Locale.ROOT, "%-14s %-6s %6d %12.2e %12.2e %11.0f %11.0f%n",
        "batchNorm", "BATCH", batchNorm.hidden(), r.forwardError, r.backwardError,
        r.forwardNsPerRow, r.backwardNsPerRow);
    ok &= r.forwardError <= MAX_ERROR && r.backwardError <= MAX_ERROR;
    System.out.println("(error: largest |float - float64| / (1 + |float64|); ns/row: median of a short timing, "
        + dev.normforge.runtime.internal.exec.RowParallel.shared().threads() + " thread(s), " + ROWS + " rows — the benchmarks module measures speed properly)");
    System.out.println();
    ok &= BlockStacksMain.run();
    System.out.println();
    try {
      ok &= LlamaMain.run(LlamaMain.CHECKPOINT, java.nio.file.Path.of("target", "llama_norms_trained.safetensors"));
    } catch (java.io.IOException e) {
      System.out.println("FAILED: " + e.getMessage());
      ok = false;
    }
    if (!ok) {
      System.out.println("FAILED: an error above " + MAX_ERROR);
      System.exit(1);
    }
  }

  record Result(double forwardError, double backwardError, double forwardNsPerRow, double backwardNsPerRow) {}

  /** Forward and backward of {@code norm} on random data, against the reference, then timed. */
  static Result run(NormLayer norm, boolean centered) {
    int h = norm.hidden();
    int n = ROWS * h;
    Random random = new Random(42);
    float[] x = gaussian(random, n, 0.5, 2);
    float[] dy = gaussian(random, n, 0, 1);
    if (norm.weight() != null) {
      norm.weight().set(gaussian(random, h, 1, 0.1));
    }
    if (norm.bias() != null) {
      norm.bias().set(gaussian(random, h, 0, 0.1));
    }
    float[] y = new float[n];
    float[] dx = new float[n];
    float[] mean = new float[ROWS];
    float[] rstd = new float[ROWS];
    norm.forwardTraining(x, 0, y, 0, ROWS, mean, rstd, 0);
    norm.zeroGrad();
    norm.backward(x, 0, dy, 0, dx, 0, ROWS, mean, rstd, 0);

    float[] w = norm.weight() == null ? null : norm.weight().value();
    float[] b = norm.bias() == null ? null : norm.bias().value();
    double[] yRef = new double[n];
    double[] dxRef = new double[n];
    double[] dwRef = new double[h];
    Reference.rowNorm(centered, x, ROWS, h, w, b, norm.eps(), yRef, null, null);
    Reference.rowNormBackward(centered, x, dy, ROWS, h, w, norm.eps(), dxRef, dwRef, null);
    double forwardError = error(yRef, y);
    double backwardError = error(dxRef, dx);
    if (w != null) {
      backwardError = Math.max(backwardError, error(dwRef, norm.weight().grad()));
    }

    // a short timing: warm up the JIT, then the median of a few runs
    double fwd = median(() -> norm.forwardTraining(x, 0, y, 0, ROWS, mean, rstd, 0));
    double bwd = median(() -> norm.backward(x, 0, dy, 0, dx, 0, ROWS, mean, rstd, 0));
    return new Result(forwardError, backwardError, fwd / ROWS, bwd / ROWS);
  }

  /** BatchNorm training forward and backward on a batch of {@link #ROWS} rows, against the reference. */
  static Result runBatch(BatchNormLayer bn) {
    int h = bn.hidden();
    int n = ROWS * h;
    Random random = new Random(7);
    float[] x = gaussian(random, n, 0.5, 2);
    float[] dy = gaussian(random, n, 0, 1);
    bn.weight().set(gaussian(random, h, 1, 0.1));
    bn.bias().set(gaussian(random, h, 0, 0.1));
    float[] y = new float[n];
    float[] dx = new float[n];
    float[] mean = new float[h];
    float[] invstd = new float[h];
    bn.forwardTraining(x, 0, y, 0, ROWS, mean, invstd);
    bn.zeroGrad();
    bn.backward(x, 0, dy, 0, dx, 0, ROWS, mean, invstd);
    double[] yRef = new double[n];
    double[] dxRef = new double[n];
    double[] dwRef = new double[h];
    BatchNormReference.forwardTraining(x, ROWS, h, bn.weight().value(), bn.bias().value(), bn.eps(),
        bn.momentum(), null, null, yRef, null, null);
    BatchNormReference.backward(x, dy, ROWS, h, bn.weight().value(), bn.eps(), dxRef, dwRef, null);
    double backwardError = Math.max(error(dxRef, dx), error(dwRef, bn.weight().grad()));
    double fwd = median(() -> bn.forwardTraining(x, 0, y, 0, ROWS, mean, invstd));
    double bwd = median(() -> bn.backward(x, 0, dy, 0, dx, 0, ROWS, mean, invstd));
    return new Result(error(yRef, y), backwardError, fwd / ROWS, bwd / ROWS);
  }

  private static double median(Runnable call) {
    for (int i = 0; i < 3000; i++) {
      call.run();
    }
    long[] t = new long[21];
    for (int k = 0; k < t.length; k++) {
      long start = System.nanoTime();
      for (int i = 0; i < 50; i++) {
        call.run();
      }
      t[k] = (System.nanoTime() - start) / 50;
    }
    java.util.Arrays.sort(t);
    return t[t.length / 2];
  }

  private static double error(double[] want, float[] got) {
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
    }
    return worst;
  }

  private static float[] gaussian(Random random, int n, double mean, double std) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (mean + std * random.nextGaussian());
    }
    return a;
  }
}
