package dev.normforge.benchmarks;

import dev.normforge.runtime.AddNormBlock;
import dev.normforge.runtime.internal.exec.RowParallel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fused residual add + LayerNorm, the kernels of a Post-Norm (and DeepNorm) block, called directly:
 * {@code fwd} = {@code addNormForward} ({@code s = x + f} and {@code y = LayerNorm(s)}, both written, per-row
 * statistics saved), {@code bwd} = {@code addNormBackward} ({@code ds} and {@code dx = alpha·ds} from the
 * saved {@code s}, weight/bias gradients), {@code fwdbwd} = both. Reports map them to {@code addln_fwd},
 * {@code addln_bwd}, {@code addln_fwdbwd}; the anchors time PyTorch's {@code x + f} then
 * {@code layer_norm} (and autograd to {@code x, f, weight, bias}). Same shapes, {@code threads} parameter
 * (used once the block kernels run on {@link RowParallel#shared()}) and implementations as the others.
 */
// warm-up: the first calls run the Vector API interpreted (tens of ms per call) until C2 compiles them
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class AddLayerNormBench {
  @Param({"768x340", "4096x64", "768x87040", "4096x16384"})
  public String shape;

  @Param({"1", "2"})
  public int threads;

  @Param({"normforge", "scalar"})
  public String impl;

  AddNormBlock block;
  int rows;
  float[] x;
  float[] f;
  float[] s;
  float[] y;
  float[] dy;
  float[] ds;
  float[] dx;
  float[] mean;
  float[] rstd;

  @Setup
  public void setUp() {
    Shape dims = Shape.of(shape);
    int hidden = dims.hidden();
    rows = dims.rows();
    RowParallel.shared().setThreads(threads);
    block = Impls.addLayerNorm(impl, hidden);
    int n = hidden * rows;  // 7 arrays: 1.75 GiB at the 256 MiB shapes (heap 4 GiB)
    x = new float[n];
    f = new float[n];
    s = new float[n];
    y = new float[n];
    dy = new float[n];
    ds = new float[n];
    dx = new float[n];
    mean = new float[rows];
    rstd = new float[rows];
    RowNormState.fill(x, 1, 1.5f, 0.25f);
    RowNormState.fill(f, 3, 1f, 0f);
    RowNormState.fill(dy, 2, 1f, 0f);
    block.addNormForward(x, 0, f, 0, s, 0, y, 0, rows, mean, rstd, 0);
  }

  @Benchmark
  public float[] fwd() {
    block.addNormForward(x, 0, f, 0, s, 0, y, 0, rows, mean, rstd, 0);
    return y;
  }

  @Benchmark
  public float[] bwd() {
    block.addNormBackward(s, 0, dy, 0, ds, 0, dx, 0, rows, mean, rstd, 0);
    return dx;
  }

  @Benchmark
  public float[] fwdbwd() {
    block.addNormForward(x, 0, f, 0, s, 0, y, 0, rows, mean, rstd, 0);
    block.addNormBackward(s, 0, dy, 0, ds, 0, dx, 0, rows, mean, rstd, 0);
    return dx;
  }
}
