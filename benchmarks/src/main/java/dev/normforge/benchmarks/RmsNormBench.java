package dev.normforge.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * RMSNorm: inference forward, backward, and training forward + backward. Reports map the methods to
 * the anchors' ops {@code rms_fwd}, {@code rms_bwd}, {@code rms_fwdbwd} (see {@code benchmarks/report.py}).
 */
// warm-up: the first calls run the Vector API interpreted (tens of ms per call) until C2 compiles them
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class RmsNormBench extends RowNormState {
  @Override
  boolean centered() {
    return false;
  }

  @Benchmark
  public float[] fwd() {
    layer.forward(x, 0, y, 0, rows);
    return y;
  }

  @Benchmark
  public float[] bwd() {
    layer.backward(x, 0, dy, 0, dx, 0, rows, mean, rstd, 0);
    return dx;
  }

  @Benchmark
  public float[] fwdbwd() {
    layer.forwardTraining(x, 0, y, 0, rows, mean, rstd, 0);
    layer.backward(x, 0, dy, 0, dx, 0, rows, mean, rstd, 0);
    return dx;
  }
}
