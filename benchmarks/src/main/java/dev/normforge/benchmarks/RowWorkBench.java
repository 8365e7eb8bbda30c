package dev.normforge.benchmarks;

import dev.normforge.runtime.internal.exec.ChunkTask;
import dev.normforge.runtime.internal.exec.RowChunks;
import dev.normforge.runtime.internal.exec.RowParallel;
import java.util.Arrays;
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
 * How the work done per streamed vector limits one core on memory-bound rows: each method moves the same
 * bytes as a norm's forward ({@code x} in, {@code y} out, row by row, same chunks and pool) with more work
 * per vector. Set beside {@code copy}, they show what a kernel of a given shape can reach, whatever its
 * arithmetic:
 *
 * <ul>
 *   <li>{@code copy}: {@code y = 1.5·x + 0.25}, the baseline ({@link MemoryCeilingBench#copy} row by row);
 *   <li>{@code scale}: {@code y = x·w[j]}, one per-feature load (RMSNorm's output without its statistics);
 *   <li>{@code affine}: {@code y = (x - a[j])·b[j] + c[j]}, three (BatchNorm's normalize);
 *   <li>{@code twoPass}: a row's sum of squares from memory, then {@code y = x·r·w[j]} from cache (the
 *       least a norm that needs its row's statistics before its output can do).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class RowWorkBench {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  @Param({"768x87040", "4096x16384"})
  public String shape;

  @Param({"1", "2"})
  public int threads;

  private int hidden;
  private int rows;
  private int chunks;
  private float[] x;
  private float[] y;
  private float[] a;
  private float[] b;
  private float[] c;
  /** The method being timed: {@link #COPY}, {@link #SCALE}, {@link #TWO_PASS} or {@link #AFFINE}. */
  private int kind;
  private static final int COPY = 0;
  private static final int SCALE = 1;
  private static final int TWO_PASS = 2;
  private static final int AFFINE = 3;
  private final ChunkTask task = this::chunk;

  @Setup
  public void setUp() {
    Shape dims = Shape.of(shape);
    hidden = dims.hidden();
    rows = dims.rows();
    if (hidden % (2 * LANES) != 0) {
      throw new IllegalArgumentException("hidden " + hidden + " is not a multiple of two vectors: the rows have no tail loop");
    }
    chunks = RowChunks.count(rows, hidden);
    RowParallel.shared().setThreads(threads);
    x = new float[hidden * rows];
    y = new float[hidden * rows];
    RowNormState.fill(x, 1, 1.5f, 0.25f);
    a = new float[hidden];
    b = new float[hidden];
    c = new float[hidden];
    Arrays.fill(a, 0.25f);
    Arrays.fill(b, 1.5f);
    Arrays.fill(c, -0.5f);
  }

  @Benchmark
  public float[] copy() {
    kind = COPY;
    RowParallel.shared().run(chunks, task);
    return y;
  }

  @Benchmark
  public float[] scale() {
    kind = SCALE;
    RowParallel.shared().run(chunks, task);
    return y;
  }

  @Benchmark
  public float[] affine() {
    kind = AFFINE;
    RowParallel.shared().run(chunks, task);
    return y;
  }

  @Benchmark
  public float[] twoPass() {
    kind = TWO_PASS;
    RowParallel.shared().run(chunks, task);
    return y;
  }

  private void chunk(int chunk) {
    int r1 = RowChunks.start(rows, chunks, chunk + 1);
    for (int r = RowChunks.start(rows, chunks, chunk); r < r1; r++) {
      int o = r * hidden;
      switch (kind) {
        case COPY -> copyRow(o);
        case SCALE -> scaleRow(o, 1.5f);
        case TWO_PASS -> scaleRow(o, (float) (1.0 / Math.sqrt(sumOfSquares(o) / hidden + 1e-5)));
        default -> affineRow(o);
      }
    }
  }

  private void scaleRow(int o, float s) {
    for (int j = 0; j < hidden; j += LANES) {
      FloatVector.fromArray(SPECIES, x, o + j).mul(s).mul(FloatVector.fromArray(SPECIES, b, j)).intoArray(y, o + j);
    }
  }

  private void copyRow(int o) {
    for (int j = 0; j < hidden; j += LANES) {
      FloatVector.fromArray(SPECIES, x, o + j).fma(1.5f, 0.25f).intoArray(y, o + j);
    }
  }

  private void affineRow(int o) {
    for (int j = 0; j < hidden; j += LANES) {
      FloatVector.fromArray(SPECIES, x, o + j).sub(FloatVector.fromArray(SPECIES, a, j))
          .fma(FloatVector.fromArray(SPECIES, b, j), FloatVector.fromArray(SPECIES, c, j)).intoArray(y, o + j);
    }
  }

  private float sumOfSquares(int o) {
    FloatVector s0 = FloatVector.zero(SPECIES);
    FloatVector s1 = s0;
    for (int j = 0; j < hidden; j += 2 * LANES) {
      FloatVector v0 = FloatVector.fromArray(SPECIES, x, o + j);
      FloatVector v1 = FloatVector.fromArray(SPECIES, x, o + j + LANES);
      s0 = v0.fma(v0, s0);
      s1 = v1.fma(v1, s1);
    }
    return s0.add(s1).reduceLanes(VectorOperators.ADD);
  }
}
