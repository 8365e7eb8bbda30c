package dev.normforge.processor.numerics;

import dev.normforge.processor.testing.Data;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.processor.testing.Tolerance;
import dev.normforge.runtime.NormLayer;
import dev.normforge.testing.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Generated LayerNorm/RMSNorm kernels against the float64 {@link Reference} for hidden sizes from 1 to
 * 4999 (powers of two, their neighbours and primes, so every path of main loop, one-vector loop and tail
 * runs), several row counts and non-zero offsets, forward and backward.
 */
class RowNormSizesTest {
  static final int[] SIZES = {1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 97, 100, 127, 128, 129,
      255, 256, 257, 509, 768, 1000, 1021, 2048, 4093, 4096, 4099, 4999};
  static final int[] ROWS = {0, 1, 3, 8};

  /** Forward and backward within 2e-5 + 2e-4·|want|: looser than the goldens for sums over 5000 features. */
  static final Tolerance TOLERANCE = new Tolerance(2e-5, 2e-4);

  record Site(String name, boolean layer, int hidden, boolean affine, boolean bias) {}

  static List<Site> sites = new ArrayList<>();
  static ClassLoader loader;
  static ModelSource source;

  @BeforeAll
  static void compileAllSizes() {
    source = ModelSource.model("sizes", "Sizes", "");
    int i = 0;
    for (int hidden : SIZES) {
      for (boolean layer : new boolean[] {true, false}) {
        // vary the parameters with the size so every combination occurs
        boolean affine = i % 3 != 2;
        boolean bias = i % 2 == 0;
        Site s = new Site((layer ? "ln" : "rms") + hidden, layer, hidden, affine, bias);
        sites.add(s);
        source.site("NormLayer", s.name(), "type = NormType." + (layer ? "LAYER" : "RMS") + ", hidden = " + hidden
            + ", affine = " + affine + ", bias = " + bias + ", eps = 1e-5");
        i++;
      }
    }
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    loader = Processing.loader(compilation);
  }

  @TestFactory
  Stream<DynamicTest> generatedMatchesReference() {
    return sites.stream().flatMap(s -> java.util.Arrays.stream(ROWS).mapToObj(rows -> DynamicTest.dynamicTest(
        s + " rows=" + rows, () -> check(s, rows))));
  }

  private static void check(Site s, int rows) {
    NormLayer norm = Processing.instantiate(loader, source.generated(s.name()), NormLayer.class);
    int h = s.hidden();
    Random random = new Random(31L * h + rows);
    float[] w = s.affine() ? Data.gaussian(random, h, 1, 0.3f) : null;
    float[] b = s.bias() ? Data.gaussian(random, h, 0, 0.3f) : null;
    if (w != null) {
      norm.weight().set(w);
    }
    if (b != null) {
      norm.bias().set(b);
    }
    int off = 3;
    float[] x = Data.offset(Data.gaussian(random, rows * h, 0.5f, 2f), off);
    float[] dy = Data.offset(Data.gaussian(random, rows * h, 0, 1f), off + 1);
    float[] y = new float[rows * h + 5];
    float[] mean = new float[rows + 2];
    float[] rstd = new float[rows + 2];
    norm.forwardTraining(x, off, y, 2, rows, mean, rstd, 1);

    double[] yRef = new double[rows * h];
    double[] meanRef = new double[rows];
    double[] rstdRef = new double[rows];
    float[] x0 = java.util.Arrays.copyOfRange(x, off, off + rows * h);
    float[] dy0 = java.util.Arrays.copyOfRange(dy, off + 1, off + 1 + rows * h);
    Reference.rowNorm(s.layer(), x0, rows, h, w, b, 1e-5, yRef, meanRef, rstdRef);
    String n = s + " rows=" + rows + ": ";
    TOLERANCE.check(n + "y", yRef, y, 2, rows * h);
    TOLERANCE.check(n + "rstd", rstdRef, rstd, 1, rows);
    if (s.layer()) {
      TOLERANCE.check(n + "mean", meanRef, mean, 1, rows);
    }

    float[] dx = new float[rows * h + 7];
    norm.backward(x, off, dy, off + 1, dx, 4, rows, mean, rstd, 1);
    double[] dxRef = new double[rows * h];
    double[] dwRef = new double[h];
    double[] dbRef = new double[h];
    Reference.rowNormBackward(s.layer(), x0, dy0, rows, h, w, 1e-5, dxRef, dwRef, dbRef);
    TOLERANCE.check(n + "dx", dxRef, dx, 4, rows * h);
    if (s.affine()) {
      TOLERANCE.check(n + "dweight", dwRef, norm.weight().grad(), 0, h);
    }
    if (s.bias()) {
      TOLERANCE.check(n + "dbias", dbRef, norm.bias().grad(), 0, h);
    }
  }
}
