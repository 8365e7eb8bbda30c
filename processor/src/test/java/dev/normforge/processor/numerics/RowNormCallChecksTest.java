package dev.normforge.processor.numerics;

import dev.normforge.processor.testing.Data;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.runtime.NormLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Bad calls throw before anything is written, with a message naming the argument and the size expected;
 * and a layer shared by many threads, each with its own arrays, gives every thread the right answer.
 */
class RowNormCallChecksTest {
  static final int H = 33;
  static final int ROWS = 4;
  static NormLayer norm;
  static ClassLoader loader;
  static ModelSource source;

  @BeforeAll
  static void compile() {
    source = ModelSource.model("calls", "Calls", "hidden = " + H).site("NormLayer", "ln", "type = NormType.LAYER");
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    loader = Processing.loader(compilation);
    norm = Processing.instantiate(loader, source.generated("ln"), NormLayer.class);
  }

  /** The arrays of one call, filled with sentinels so that any write shows. */
  static final class Call {
    float[] x = filled(ROWS * H, 1.5f);
    float[] y = filled(ROWS * H, -7f);
    float[] dy = filled(ROWS * H, 0.25f);
    float[] dx = filled(ROWS * H, -7f);
    float[] mean = filled(ROWS, -7f);
    float[] rstd = filled(ROWS, -7f);

    Call() {
      for (int i = 0; i < x.length; i++) {
        x[i] = i % 7;
      }
    }

    float[][] outputs() {
      return new float[][] {y.clone(), dx.clone(), mean.clone(), rstd.clone(),
          norm.weight().grad().clone(), norm.bias().grad().clone()};
    }
  }

  record Bad(String name, Class<? extends RuntimeException> type, String message, Consumer<Call> call) {}

  static List<Bad> badCalls() {
    List<Bad> bad = new ArrayList<>();
    bad.add(new Bad("forward: null x", NullPointerException.class, "x must not be null",
        c -> norm.forward(null, 0, c.y, 0, ROWS)));
    bad.add(new Bad("forward: short y", IllegalArgumentException.class, "y: needs 132 floats (4 rows × 33)",
        c -> norm.forward(c.x, 0, new float[ROWS * H - 1], 0, ROWS)));
    bad.add(new Bad("forward: x offset past the end", IllegalArgumentException.class, "x: needs 132 floats",
        c -> norm.forward(c.x, 1, c.y, 0, ROWS)));
    bad.add(new Bad("forward: negative offset", IllegalArgumentException.class, "y: offset must be >= 0, got -1",
        c -> norm.forward(c.x, 0, c.y, -1, ROWS)));
    bad.add(new Bad("forward: negative rows", IllegalArgumentException.class, "rows must be >= 0, got -2",
        c -> norm.forward(c.x, 0, c.y, 0, -2)));
    bad.add(new Bad("training: rstd too short", IllegalArgumentException.class, "rstd: needs 4 floats (4 values)",
        c -> norm.forwardTraining(c.x, 0, c.y, 0, ROWS, c.mean, new float[3], 0)));
    bad.add(new Bad("training: null mean for LayerNorm", NullPointerException.class, "mean must not be null",
        c -> norm.forwardTraining(c.x, 0, c.y, 0, ROWS, null, c.rstd, 0)));
    bad.add(new Bad("training: stats offset past the end", IllegalArgumentException.class, "mean: needs 4 floats",
        c -> norm.forwardTraining(c.x, 0, c.y, 0, ROWS, c.mean, c.rstd, 1)));
    bad.add(new Bad("backward: null dy", NullPointerException.class, "dy must not be null",
        c -> norm.backward(c.x, 0, null, 0, c.dx, 0, ROWS, c.mean, c.rstd, 0)));
    bad.add(new Bad("backward: short dx", IllegalArgumentException.class, "dx: needs 132 floats",
        c -> norm.backward(c.x, 0, c.dy, 0, new float[10], 0, ROWS, c.mean, c.rstd, 0)));
    bad.add(new Bad("backward: short mean", IllegalArgumentException.class, "mean: needs 4 floats",
        c -> norm.backward(c.x, 0, c.dy, 0, c.dx, 0, ROWS, new float[2], c.rstd, 0)));
    bad.add(new Bad("backward: null rstd", NullPointerException.class, "rstd must not be null",
        c -> norm.backward(c.x, 0, c.dy, 0, c.dx, 0, ROWS, c.mean, null, 0)));
    bad.add(new Bad("backward without a training forward", IllegalStateException.class,
        "rstd[0] is 0: backward needs the statistics written by the matching forwardTraining",
        c -> norm.backward(c.x, 0, c.dy, 0, c.dx, 0, ROWS, new float[ROWS], new float[ROWS], 0)));
    bad.add(new Bad("backward: negative dy offset", IllegalArgumentException.class, "dy: offset must be >= 0",
        c -> norm.backward(c.x, 0, c.dy, -3, c.dx, 0, ROWS, c.mean, c.rstd, 0)));
    return bad;
  }

  @TestFactory
  Stream<DynamicTest> aRejectedCallWritesNothing() {
    return badCalls().stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> {
      Call call = new Call();
      float[][] before = call.outputs();
      RuntimeException e = assertThrows(b.type(), () -> b.call().accept(call));
      assertTrue(e.getMessage().contains(b.message()), "message was: " + e.getMessage());
      float[][] after = call.outputs();
      for (int i = 0; i < before.length; i++) {
        assertArrayEquals(before[i], after[i], b.name() + ": output " + i + " was written");
      }
    }));
  }

  /** Zero rows writes nothing: not y, dx, mean, rstd, nor the (non-zero) gradients, in any entry. */
  @Test
  void zeroRowsIsANoOp() {
    Call call = new Call();
    Arrays.fill(norm.weight().grad(), 0.75f);
    Arrays.fill(norm.bias().grad(), -0.25f);
    try {
      float[][] before = call.outputs();
      norm.forward(call.x, 0, call.y, 0, 0);
      norm.forwardTraining(call.x, 0, call.y, 0, 0, call.mean, call.rstd, 0);
      norm.backward(call.x, 0, call.dy, 0, call.dx, 0, 0, call.mean, call.rstd, 0);
      norm.forward(new float[0], 0, new float[0], 0, 0);
      float[][] after = call.outputs();
      for (int i = 0; i < before.length; i++) {
        assertArrayEquals(before[i], after[i], "zero rows wrote output " + i + " (y, dx, mean, rstd, dw, db)");
      }
    } finally {
      norm.zeroGrad();
    }
  }

  /**
   * Forward passes are thread-safe on one layer object when each thread has its own arrays: 8 threads ×
   * 40 calls over shared weights, every result bitwise equal to the one computed before, on this thread
   * alone; on a shape of several chunks, so calls meet in the layer's shared job and the pool.
   */
  @Test
  void sharedLayerPrivateArraysFromManyThreads() throws Exception {
    NormLayer shared = Processing.instantiate(loader, source.generated("ln"), NormLayer.class);
    shared.weight().set(Data.gaussian(new Random(5), H, 1, 0.3f));
    int rows = 4000;
    assertTrue(dev.normforge.runtime.internal.exec.RowChunks.count(rows, H) > 1, "the shape must need several chunks");
    float[][] inputs = new float[8][];
    float[][] expected = new float[8][];
    for (int t = 0; t < 8; t++) {
      inputs[t] = Data.gaussian(new Random(t), rows * H, t, 1 + t);
      expected[t] = new float[rows * H];
      shared.forward(inputs[t], 0, expected[t], 0, rows);
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          float[] x = inputs[seed];
          float[] y = new float[rows * H];
          float[] mean = new float[rows];
          float[] rstd = new float[rows];
          for (int i = 0; i < 40; i++) {
            Arrays.fill(y, 0);
            if (i % 2 == 0) {
              shared.forwardTraining(x, 0, y, 0, rows, mean, rstd, 0);
            } else {
              shared.forward(x, 0, y, 0, rows);
            }
            assertArrayEquals(expected[seed], y, "thread " + seed + " call " + i);
          }
          return null;
        }));
      }
      for (Future<?> f : results) {
        f.get(); // rethrows a thread's assertion
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static float[] filled(int n, float v) {
    float[] a = new float[n];
    Arrays.fill(a, v);
    return a;
  }
}
