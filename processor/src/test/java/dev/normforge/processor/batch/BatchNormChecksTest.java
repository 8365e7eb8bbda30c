package dev.normforge.processor.batch;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.runtime.BatchNormLayer;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Rejected calls: each throws, names the argument, and leaves every output array, the running statistics
 * and the gradients exactly as they were.
 */
class BatchNormChecksTest {
  static final int H = 20;
  static final int ROWS = 4;
  static ModelSource source;
  static ClassLoader loader;

  @BeforeAll
  static void compile() {
    source = ModelSource.model("bn", "Checked", "hidden = " + H).site("BatchNormLayer", "norm", "type = NormType.BATCH");
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    loader = Processing.loader(compilation);
  }

  BatchNormLayer bn = Processing.instantiate(loader, source.generated("norm"), BatchNormLayer.class);
  float[] x = filled(ROWS * H, 1.5f);
  float[] dy = filled(ROWS * H, 0.5f);
  float[] y = filled(ROWS * H, 7f);
  float[] dx = filled(ROWS * H, 8f);
  float[] mean = filled(H, 9f);
  float[] invstd = filled(H, 10f);

  static float[] filled(int n, float v) {
    float[] a = new float[n];
    Arrays.fill(a, v);
    return a;
  }

  /** Runs {@code call}, expects {@code type} with {@code word} in its message, and nothing written. */
  <T extends Throwable> void rejected(Class<T> type, String word, Executable call) {
    for (int i = 0; i < H; i++) {
      x[i] += i; // not a constant batch
    }
    float[][] before = {x.clone(), dy.clone(), y.clone(), dx.clone(), mean.clone(), invstd.clone(),
        bn.runningMean().clone(), bn.runningVar().clone(), bn.weight().grad().clone(), bn.bias().grad().clone()};
    T e = assertThrows(type, call);
    assertTrue(e.getMessage().contains(word), "message should name " + word + ": " + e.getMessage());
    float[][] after = {x, dy, y, dx, mean, invstd,
        bn.runningMean(), bn.runningVar(), bn.weight().grad(), bn.bias().grad()};
    for (int i = 0; i < before.length; i++) {
      assertArrayEquals(before[i], after[i], "array " + i + " changed by a rejected call: " + e.getMessage());
    }
  }

  @Test
  void training() {
    rejected(IllegalArgumentException.class, "rows", () -> bn.forwardTraining(x, 0, y, 0, 1, mean, invstd));
    rejected(IllegalArgumentException.class, "rows", () -> bn.forwardTraining(x, 0, y, 0, -3, mean, invstd));
    rejected(IllegalArgumentException.class, "x", () -> bn.forwardTraining(x, 1, y, 0, ROWS, mean, invstd));
    rejected(IllegalArgumentException.class, "x", () -> bn.forwardTraining(x, -1, y, 0, ROWS, mean, invstd));
    rejected(IllegalArgumentException.class, "y", () -> bn.forwardTraining(x, 0, new float[ROWS * H - 1], 0, ROWS, mean, invstd));
    rejected(NullPointerException.class, "y", () -> bn.forwardTraining(x, 0, null, 0, ROWS, mean, invstd));
    rejected(IllegalArgumentException.class, "mean", () -> bn.forwardTraining(x, 0, y, 0, ROWS, new float[H - 1], invstd));
    rejected(NullPointerException.class, "invstd", () -> bn.forwardTraining(x, 0, y, 0, ROWS, mean, null));
  }

  @Test
  void eval() {
    rejected(IllegalArgumentException.class, "rows", () -> bn.forwardEval(x, 0, y, 0, -1));
    rejected(IllegalArgumentException.class, "y", () -> bn.forwardEval(x, 0, y, 1, ROWS));
    rejected(NullPointerException.class, "x", () -> bn.forwardEval(null, 0, y, 0, ROWS));
  }

  @Test
  void backward() {
    bn.forwardTraining(x, 0, y, 0, ROWS, mean, invstd);
    rejected(IllegalArgumentException.class, "rows", () -> bn.backward(x, 0, dy, 0, dx, 0, 1, mean, invstd));
    rejected(IllegalArgumentException.class, "dy", () -> bn.backward(x, 0, dy, -2, dx, 0, ROWS, mean, invstd));
    rejected(IllegalArgumentException.class, "dx", () -> bn.backward(x, 0, dy, 0, dx, 3, ROWS, mean, invstd));
    rejected(NullPointerException.class, "mean", () -> bn.backward(x, 0, dy, 0, dx, 0, ROWS, null, invstd));
    rejected(IllegalArgumentException.class, "invstd", () -> bn.backward(x, 0, dy, 0, dx, 0, ROWS, mean, new float[3]));
  }

  /** Valid calls do their work: batch mean, normalized y, dbias = Σdy, and zero rows writes nothing. */
  @Test
  void acceptedCallsStillWork() {
    for (int i = 0; i < x.length; i++) {
      x[i] += (i * 7 % 5) - (i / H); // not a constant batch
    }
    bn.forwardTraining(x, 0, y, 0, ROWS, mean, invstd);
    for (int j = 0; j < H; j++) {
      double m = 0;
      double v = 0;
      for (int r = 0; r < ROWS; r++) {
        m += x[r * H + j];
      }
      m /= ROWS;
      for (int r = 0; r < ROWS; r++) {
        v += (x[r * H + j] - m) * (x[r * H + j] - m);
      }
      assertEquals(m, mean[j], 1e-5, "mean[" + j + "]");
      double is = 1 / Math.sqrt(v / ROWS + bn.eps());
      assertEquals(is, invstd[j], 1e-5 * is, "invstd[" + j + "]");
      for (int r = 0; r < ROWS; r++) {
        assertEquals((x[r * H + j] - m) * is, y[r * H + j], 1e-4, "y[" + r + "][" + j + "]");
      }
    }
    bn.backward(x, 0, dy, 0, dx, 0, ROWS, mean, invstd);
    for (int j = 0; j < H; j++) {
      assertEquals(ROWS * 0.5f, bn.bias().grad()[j], 1e-6, "dbias = Σdy");
    }
    for (float v : dx) {
      // dy is constant per feature, so dx = 0 up to rounding
      assertEquals(0, v, 1e-4, "dx of a constant dy");
    }
    float[] yBefore = y.clone();
    bn.forwardEval(x, 0, y, 0, 0); // no rows: nothing to do
    assertArrayEquals(yBefore, y, "forwardEval of zero rows wrote y");
  }
}
