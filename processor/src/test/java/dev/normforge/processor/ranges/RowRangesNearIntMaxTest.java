package dev.normforge.processor.ranges;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The row loops of generated BatchNorm kernels over a row range that ends at {@link Integer#MAX_VALUE}:
 * a tile of {@code TILE_ROWS} rows must end at {@code r1}, never at {@code t0 + TILE_ROWS} wrapped to a
 * negative number. The public API reaches such ranges only with arrays of 2^31 floats (see
 * {@link HugeRowCountTest}); the kernels' contract does not depend on that, so here each kernel runs
 * directly on a few rows numbered near {@code Integer.MAX_VALUE}, with hidden 1 and an offset of
 * {@code -r0} that maps row {@code r} to index {@code r - r0} of a small array.
 */
class RowRangesNearIntMaxTest {
  static Class<?> batchNorm;

  @BeforeAll
  static void compile() throws ClassNotFoundException {
    ModelSource source = ModelSource.model("ranges", "Edge", "hidden = 1")
        .site("BatchNormLayer", "bn", "type = NormType.BATCH");
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    batchNorm = Processing.loader(compilation).loadClass(source.generated("bn"));
  }

  static Object invoke(Object layer, String name, Object... args) throws ReflectiveOperationException {
    for (Method m : batchNorm.getDeclaredMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == args.length) {
        m.setAccessible(true);
        try {
          return m.invoke(layer, args);
        } catch (InvocationTargetException e) {
          throw new AssertionError(name + " over rows [" + args[2] + ", " + args[3] + ") threw " + e.getCause(),
              e.getCause());
        }
      }
    }
    throw new AssertionError("no kernel " + name);
  }

  /** {@code count} rows ending at {@code Integer.MAX_VALUE}: every tile split, the last tile short or whole. */
  @ParameterizedTest(name = "{0} rows")
  @ValueSource(ints = {1, 5, 8, 9, 21, 64})
  void everyKernelCoversEveryRowOfARangeEndingAtIntMax(int count) throws ReflectiveOperationException {
    Object layer = batchNorm.getConstructor().newInstance();
    int r1 = Integer.MAX_VALUE;
    int r0 = r1 - count;
    int off = -r0;
    float[] x = new float[count];
    float[] dy = new float[count];
    double sum = 0;
    double sumSq = 0;
    double sumDy = 0;
    double sumDyX = 0;
    for (int i = 0; i < count; i++) {
      x[i] = i + 1;
      dy[i] = 2 * i - 3;
      sum += x[i];
      sumSq += x[i] * x[i];
      sumDy += dy[i];
      sumDyX += dy[i] * x[i];
    }
    float[] zero = {0f};
    float[] s = {Float.NaN};
    float[] sq = {Float.NaN};
    invoke(layer, "statsRows", x, off, r0, r1, zero, s, sq);
    assertEquals(sum, s[0], 0, "Σx over every row");
    assertEquals(sumSq, sq[0], 0, "Σx² over every row");

    float[] y = new float[count];
    java.util.Arrays.fill(y, Float.NaN);
    invoke(layer, "normalizeRows", x, off, y, off, r0, r1, zero, new float[] {2f}, new float[] {1f});
    float[] expected = new float[count];
    for (int i = 0; i < count; i++) {
      expected[i] = 2 * x[i] + 1;
    }
    assertArrayEquals(expected, y, "y = 2x + 1 on every row");

    float[] g1 = {Float.NaN};
    float[] g2 = {Float.NaN};
    float[] g3 = {Float.NaN};
    invoke(layer, "gradientSumsRows", x, off, dy, off, r0, r1, zero, g1, g2, g3);
    assertEquals(sumDy, g1[0], 0, "Σdy");
    assertEquals(sumDyX, g2[0], 0, "Σdy·x");
    assertEquals(sum, g3[0], 0, "Σx");

    float[] dx = new float[count];
    java.util.Arrays.fill(dx, Float.NaN);
    invoke(layer, "backwardRows", x, off, dy, off, dx, off, r0, r1, zero, new float[] {1f}, new float[] {1f},
        new float[] {0.5f});
    for (int i = 0; i < count; i++) {
      expected[i] = dy[i] + x[i] + 0.5f;
    }
    assertArrayEquals(expected, dx, "dx = dy + x + 0.5 on every row");
  }
}
