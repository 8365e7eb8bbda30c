package dev.normforge.processor.numerics;

import dev.normforge.processor.testing.Data;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.processor.testing.Tolerance;
import dev.normforge.runtime.NormLayer;
import dev.normforge.testing.Reference;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data that is not nice: huge values whose squares overflow float, tiny ones whose squares underflow, a
 * mean that dwarfs the spread, constant rows, NaN and infinity. The generated kernels must give the right
 * answer (the float64 reference's, rounded) where a naive float kernel returns 0, inf or NaN.
 */
class RowNormEdgeCasesTest {
  static final int H = 100;
  static ClassLoader loader;
  static ModelSource source;

  @BeforeAll
  static void compile() {
    source = ModelSource.model("edge", "Edge", "hidden = " + H)
        .site("NormLayer", "ln", "type = NormType.LAYER")
        .site("NormLayer", "rms", "type = NormType.RMS, bias = true")
        .site("NormLayer", "lnNoEps", "type = NormType.LAYER, eps = 0")
        .site("NormLayer", "rmsNoEps", "type = NormType.RMS, eps = 0");
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    loader = Processing.loader(compilation);
  }

  static NormLayer layer(String site) {
    NormLayer norm = Processing.instantiate(loader, source.generated(site), NormLayer.class);
    Random random = new Random(site.hashCode());
    norm.weight().set(Data.gaussian(random, H, 1, 0.2f));
    if (norm.bias() != null) {
      norm.bias().set(Data.gaussian(random, H, 0, 0.2f));
    }
    return norm;
  }

  /**
   * Magnitude {@code scale} around {@code center}: outputs and gradients within 1e-5 of their largest
   * magnitude plus 1e-4 relative, against float64.
   */
  @ParameterizedTest(name = "{0} x = {2} + {1}·N(0,1)")
  @CsvSource({
      "ln, 1e19, 0", "rms, 1e19, 0", "ln, 1e-19, 0", "rms, 1e-19, 0", "lnNoEps, 1e-19, 0", "rmsNoEps, 1e-19, 0",
      "ln, 1e30, 0", "rms, 1e-30, 0", "lnNoEps, 1e-30, 0", "rmsNoEps, 1e-35, 0",
      "ln, 1, 1e4", "ln, 1e-3, 300", "ln, 1, 1e6", "lnNoEps, 0.01, 1e5", "ln, 1e18, 1e19"})
  void extremeMagnitudesGiveTheFloat64Answer(String site, double scale, double center) {
    NormLayer norm = layer(site);
    int rows = 4;
    Random random = new Random(7);
    float[] x = new float[rows * H];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (center + scale * random.nextGaussian());
    }
    float[] dy = Data.gaussian(random, rows * H, 0, 1);
    compare(norm, x, dy, rows, site + " scale " + scale + " center " + center);
  }

  static void compare(NormLayer norm, float[] x, float[] dy, int rows, String what) {
    int n = rows * H;
    float[] y = new float[n];
    float[] mean = new float[rows];
    float[] rstd = new float[rows];
    norm.forwardTraining(x, 0, y, 0, rows, mean, rstd, 0);
    float[] dx = new float[n];
    norm.backward(x, 0, dy, 0, dx, 0, rows, mean, rstd, 0);

    double[] yRef = new double[n];
    double[] dxRef = new double[n];
    double[] dwRef = new double[H];
    float[] b = norm.bias() == null ? null : norm.bias().value();
    Reference.rowNorm(norm.centered(), x, rows, H, norm.weight().value(), b, norm.eps(), yRef, null, null);
    Reference.rowNormBackward(norm.centered(), x, dy, rows, H, norm.weight().value(), norm.eps(), dxRef, dwRef, null);
    scaled(yRef).check(what + ": y", yRef, y, 0, n);
    scaled(dxRef).check(what + ": dx", dxRef, dx, 0, n);
    scaled(dwRef).check(what + ": dweight", dwRef, norm.weight().grad(), 0, H);
    for (float v : y) {
      assertTrue(Float.isFinite(v), what + ": y has " + v);
    }
  }

  /** 1e-5 of the largest magnitude + 1e-4 relative: gradients of tiny or huge rows are tiny or huge. */
  static Tolerance scaled(double[] want) {
    double max = Arrays.stream(want).map(Math::abs).max().orElse(0);
    return new Tolerance(1e-5 * Math.max(max, Double.MIN_NORMAL), 1e-4);
  }

  @ParameterizedTest
  @ValueSource(floats = {0f, 3f, -2.5e8f, 1e30f})
  void aConstantRowGivesTheBiasWithoutNaN(float value) {
    NormLayer norm = layer("ln");
    float[] x = new float[H];
    Arrays.fill(x, value);
    float[] y = new float[H];
    float[] mean = new float[1];
    float[] rstd = new float[1];
    norm.forwardTraining(x, 0, y, 0, 1, mean, rstd, 0);
    assertArrayEquals(norm.bias().value(), y, "LayerNorm of a constant row must be its bias");
    assertEquals(value, mean[0]);
    float[] dx = new float[H];
    norm.backward(x, 0, Data.gaussian(new Random(1), H, 0, 1), 0, dx, 0, 1, mean, rstd, 0);
    for (float v : dx) {
      assertTrue(Float.isFinite(v), "dx of a constant row has " + v);
    }
  }

  @ParameterizedTest
  @CsvSource({"ln, NaN", "ln, Infinity", "ln, -Infinity", "rms, NaN", "rms, Infinity"})
  void nanAndInfinityStayInTheirRow(String site, float bad) {
    NormLayer norm = layer(site);
    int rows = 3;
    Random random = new Random(3);
    float[] x = Data.gaussian(random, rows * H, 0, 1);
    float[] dy = Data.gaussian(random, rows * H, 0, 1);
    float[] clean = x.clone();
    x[H + 17] = bad; // row 1 only

    float[] y = new float[rows * H];
    float[] mean = new float[rows];
    float[] rstd = new float[rows];
    norm.forwardTraining(x, 0, y, 0, rows, mean, rstd, 0);
    float[] yClean = new float[rows * H];
    norm.forwardTraining(clean, 0, yClean, 0, rows, new float[rows], new float[rows], 0);
    float[] dx = new float[rows * H];
    norm.backward(x, 0, dy, 0, dx, 0, rows, mean, rstd, 0);
    float[] dxClean = new float[rows * H];
    NormLayer cleanNorm = layer(site);
    float[] cm = new float[rows];
    float[] cr = new float[rows];
    cleanNorm.forwardTraining(clean, 0, new float[rows * H], 0, rows, cm, cr, 0);
    cleanNorm.backward(clean, 0, dy, 0, dxClean, 0, rows, cm, cr, 0);

    for (int r : new int[] {0, 2}) {
      assertArrayEquals(Arrays.copyOfRange(yClean, r * H, r * H + H), Arrays.copyOfRange(y, r * H, r * H + H),
          "row " + r + " changed by a " + bad + " in row 1");
      assertArrayEquals(Arrays.copyOfRange(dxClean, r * H, r * H + H), Arrays.copyOfRange(dx, r * H, r * H + H),
          "dx of row " + r + " changed by a " + bad + " in row 1");
    }
    boolean anyNaN = false;
    for (int j = H; j < 2 * H; j++) {
      anyNaN |= Float.isNaN(y[j]);
    }
    assertTrue(anyNaN, "row 1 holds " + bad + " but its output has no NaN (PyTorch gives NaN)");
    assertFalse(Float.isFinite(dx[H + 17]) && Float.isFinite(norm.weight().grad()[17]),
        "the gradient of the bad element must not look finite");
  }
}
