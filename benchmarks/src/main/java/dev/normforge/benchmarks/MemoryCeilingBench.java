package dev.normforge.benchmarks;

import dev.normforge.runtime.internal.exec.ChunkTask;
import dev.normforge.runtime.internal.exec.RowChunks;
import dev.normforge.runtime.internal.exec.RowParallel;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
 * What Java itself reaches on the norms' traffic: STREAM's kernels written with the Vector API over float
 * arrays of the benchmarks' shapes, split into the same chunks over the same pool as the generated kernels.
 * {@code copy} is {@code y = a·x + b} (one stream in, one out: a forward's bytes), {@code add} is
 * {@code z = a·x + y} (two in, one out: a backward's). Java has no non-temporal stores, so every written
 * line is also read first (write-allocate), which C's STREAM may avoid; the report sets each norm beside
 * this ceiling as well as beside STREAM.
 *
 * <p>BatchNorm cannot stream its data once: its statistics span the whole batch, so every row is read
 * before the first output is written. {@code readCopy} is its forward's least traffic (a sweep that sums x,
 * then {@code copy}), {@code read2Add} its backward's (a sweep that sums x·y, then {@code add}); the report
 * sets BatchNorm beside these.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class MemoryCeilingBench {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  @Param({"768x340", "4096x64", "768x87040", "4096x16384"})
  public String shape;

  @Param({"1", "2"})
  public int threads;

  private int hidden;
  private int rows;
  private int chunks;
  private float[] x;
  private float[] y;
  private float[] z;
  private boolean twoInputs;
  private final ChunkTask task = this::chunk; // kept: a call allocates nothing, like the kernels'
  private final ChunkTask sweep = this::sweepChunk;
  /** Per chunk, what its read sweep found: stored, so the JIT cannot drop the sweep. */
  private float[] sweepSums;

  @Setup
  public void setUp() {
    Shape dims = Shape.of(shape);
    hidden = dims.hidden();
    rows = dims.rows();
    chunks = RowChunks.count(rows, hidden);
    sweepSums = new float[chunks];
    RowParallel.shared().setThreads(threads);
    x = new float[hidden * rows];
    y = new float[hidden * rows];
    z = new float[hidden * rows];
    RowNormState.fill(x, 1, 1.5f, 0.25f);
    RowNormState.fill(y, 2, 1f, 0f);
  }

  @Benchmark
  public float[] copy() {
    twoInputs = false;
    RowParallel.shared().run(chunks, task);
    return y;
  }

  @Benchmark
  public float[] add() {
    twoInputs = true;
    RowParallel.shared().run(chunks, task);
    return z;
  }

  @Benchmark
  public float[] readCopy() {
    twoInputs = false;
    RowParallel.shared().run(chunks, sweep);
    RowParallel.shared().run(chunks, task);
    return y;
  }

  @Benchmark
  public float[] read2Add() {
    twoInputs = true;
    RowParallel.shared().run(chunks, sweep);
    RowParallel.shared().run(chunks, task);
    return z;
  }

  /** Chunk {@code c}'s read sweep: Σx, or Σx·y with two inputs. */
  private void sweepChunk(int c) {
    int from = RowChunks.start(rows, chunks, c) * hidden;
    int to = RowChunks.start(rows, chunks, c + 1) * hidden;
    FloatVector acc = FloatVector.zero(SPECIES);
    int i = from;
    for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += SPECIES.length()) {
      FloatVector v = FloatVector.fromArray(SPECIES, x, i);
      acc = twoInputs ? v.fma(FloatVector.fromArray(SPECIES, y, i), acc) : acc.add(v);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < to; i++) {
      sum += twoInputs ? x[i] * y[i] : x[i];
    }
    sweepSums[c] = sum;
  }

  private void chunk(int c) {
    int from = RowChunks.start(rows, chunks, c) * hidden;
    int to = RowChunks.start(rows, chunks, c + 1) * hidden;
    if (twoInputs) {
      add(from, to);
    } else {
      copy(from, to);
    }
  }

  private void copy(int from, int to) {
    int i = from;
    for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += SPECIES.length()) {
      FloatVector.fromArray(SPECIES, x, i).fma(1.5f, 0.25f).intoArray(y, i);
    }
    for (; i < to; i++) {
      y[i] = Math.fma(x[i], 1.5f, 0.25f);
    }
  }

  private void add(int from, int to) {
    int i = from;
    for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += SPECIES.length()) {
      FloatVector.fromArray(SPECIES, x, i).fma(FloatVector.broadcast(SPECIES, 1.5f), FloatVector.fromArray(SPECIES, y, i))
          .intoArray(z, i);
    }
    for (; i < to; i++) {
      z[i] = Math.fma(x[i], 1.5f, y[i]);
    }
  }
}
