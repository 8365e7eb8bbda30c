package dev.normforge.benchmarks;

import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.internal.exec.RowParallel;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Inputs of a row-norm benchmark: the shape ({@code hidden x rows}: ~1 MiB cache-resident and ~256 MiB
 * memory-bound inputs, as the anchors), the thread count given to {@link RowParallel#shared()}, and the
 * implementation ({@link Impls}). Statistics for the backward come from one training forward in setup.
 */
@State(Scope.Benchmark)
public abstract class RowNormState {
  @Param({"768x340", "4096x64", "768x87040", "4096x16384"})
  public String shape;

  @Param({"1", "2"})
  public int threads;

  @Param({"normforge", "vector-dynamic", "scalar"})
  public String impl;

  NormLayer layer;
  int rows;
  float[] x;
  float[] y;
  float[] dy;
  float[] dx;
  float[] mean;
  float[] rstd;

  /** LayerNorm (true) or RMSNorm. */
  abstract boolean centered();

  @Setup
  public void setUp() {
    Shape dims = Shape.of(shape);
    int hidden = dims.hidden();
    rows = dims.rows();
    RowParallel.shared().setThreads(threads);
    layer = Impls.rowNorm(impl, centered(), hidden);
    int n = hidden * rows;
    x = new float[n];
    y = new float[n];
    dy = new float[n];
    dx = new float[n];
    mean = new float[rows];
    rstd = new float[rows];
    fill(x, 1, 1.5f, 0.25f);
    fill(dy, 2, 1f, 0f);
    layer.forwardTraining(x, 0, y, 0, rows, mean, rstd, 0);
  }

  /** Cheap pseudo-random values in {@code offset ± scale}, fast enough for 67 M elements. */
  static void fill(float[] a, long seed, float scale, float offset) {
    long s = seed * 0x9E3779B97F4A7C15L;
    for (int i = 0; i < a.length; i++) {
      s = s * 6364136223846793005L + 1442695040888963407L;
      a[i] = offset + scale * ((s >>> 40) * 0x1p-24f * 2 - 1);
    }
  }
}
