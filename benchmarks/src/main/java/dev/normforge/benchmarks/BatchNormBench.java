package dev.normforge.benchmarks;

import dev.normforge.runtime.BatchNormLayer;
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
 * BatchNorm over an {@code [rows, hidden]} batch (per-feature statistics over the rows, as PyTorch's
 * {@code BatchNorm1d} in training mode and oneDNN's {@code batch_normalization} with
 * {@code forward_training}, scale and shift): training forward ({@code fwd}: batch statistics, running
 * statistics update, {@code y}), backward ({@code bwd}: {@code dx} and the weight/bias gradients), and both
 * ({@code fwdbwd}). Reports map them to the anchors' {@code bn_fwd}, {@code bn_bwd}, {@code bn_fwdbwd}.
 * Same shapes and {@code threads} parameter as the row norms; {@code threads} sets
 * {@link RowParallel#shared()}, which the BatchNorm runtime uses only once it runs multi-core.
 */
// warm-up: the first calls run the Vector API interpreted (tens of ms per call) until C2 compiles them
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class BatchNormBench {
  @Param({"768x340", "4096x64", "768x87040", "4096x16384"})
  public String shape;

  @Param({"1", "2"})
  public int threads;

  @Param({"normforge", "scalar"})
  public String impl;

  BatchNormLayer layer;
  int rows;
  float[] x;
  float[] y;
  float[] dy;
  float[] dx;
  float[] mean;
  float[] invstd;

  @Setup
  public void setUp() {
    Shape dims = Shape.of(shape);
    int hidden = dims.hidden();
    rows = dims.rows();
    RowParallel.shared().setThreads(threads);
    layer = Impls.batchNorm(impl, hidden);
    int n = hidden * rows;
    x = new float[n];
    y = new float[n];
    dy = new float[n];
    dx = new float[n];
    mean = new float[hidden];
    invstd = new float[hidden];
    RowNormState.fill(x, 1, 1.5f, 0.25f);
    RowNormState.fill(dy, 2, 1f, 0f);
    layer.forwardTraining(x, 0, y, 0, rows, mean, invstd);
  }

  @Benchmark
  public float[] fwd() {
    layer.forwardTraining(x, 0, y, 0, rows, mean, invstd);
    return y;
  }

  @Benchmark
  public float[] bwd() {
    layer.backward(x, 0, dy, 0, dx, 0, rows, mean, invstd);
    return dx;
  }

  @Benchmark
  public float[] fwdbwd() {
    layer.forwardTraining(x, 0, y, 0, rows, mean, invstd);
    layer.backward(x, 0, dy, 0, dx, 0, rows, mean, invstd);
    return dx;
  }
}
