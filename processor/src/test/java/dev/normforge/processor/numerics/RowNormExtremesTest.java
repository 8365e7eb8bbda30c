package dev.normforge.processor.numerics;

import dev.normforge.processor.testing.Data;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.processor.testing.Tolerance;
import dev.normforge.runtime.AddNormBlock;
import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.runtime.NormLayer;
import dev.normforge.testing.Reference;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The corners of float: a mean that dwarfs the spread at very large hidden sizes, values near the float
 * range in the backward, and rows holding infinity, whose semantics are PyTorch's: LayerNorm (and so a
 * Post-Norm block's add+norm) gives a NaN row, RMSNorm gives 0 for the row's finite elements
 * ({@code rsqrt(inf) = 0}) and NaN for the infinite ones, BatchNorm gives NaN for that feature.
 */
class RowNormExtremesTest {
  static final double EPS32 = 0x1p-24;
  static ModelSource source;
  static ClassLoader loader;

  @BeforeAll
  static void compile() {
    source = ModelSource.model("extreme", "Extreme", "")
        .site("NormLayer", "ln65536", "type = NormType.LAYER, hidden = 65536, bias = true")
        .site("NormLayer", "ln65537", "type = NormType.LAYER, hidden = 65537, bias = true")
        .site("NormLayer", "ln262144", "type = NormType.LAYER, hidden = 262144, bias = true")
        .site("NormLayer", "rms100", "type = NormType.RMS, hidden = 100, bias = true")
        .site("NormLayer", "rms1000", "type = NormType.RMS, hidden = 1000")
        .site("NormLayer", "ln100", "type = NormType.LAYER, hidden = 100")
        .site("BatchNormLayer", "bn100", "type = NormType.BATCH, hidden = 100")
        .site("AddNormBlock", "post100", "type = NormType.LAYER, placement = Placement.POST, hidden = 100");
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    loader = Processing.loader(compilation);
  }

  static NormLayer layer(String site) {
    NormLayer norm = Processing.instantiate(loader, source.generated(site), NormLayer.class);
    Random random = new Random(site.hashCode());
    norm.weight().set(Data.gaussian(random, norm.hidden(), 1, 0.2f));
    if (norm.bias() != null) {
      norm.bias().set(Data.gaussian(random, norm.hidden(), 0, 0.2f));
    }
    return norm;
  }

  /**
   * LayerNorm of {@code center ± spread} rows: the statistics' float sums run over {@code k = hidden/(4·8)}
   * terms per accumulator at most (8 lanes: AVX2), so the variance is within {@code 2kε} relative and y
   * within {@code (k + 4)ε} of its largest magnitude; the mean's size must not enter.
   */
  @ParameterizedTest(name = "hidden {0}: {1} ± {2}")
  @CsvSource({"65536, 1e6, 1", "65537, 1e7, 10", "262144, 1e6, 1", "262144, 1e7, 10"})
  void aLargeMeanAtLargeHiddenSizesCostsNoDigits(int hidden, double center, double spread) {
    NormLayer norm = layer("ln" + hidden);
    int rows = 2;
    float[] x = Data.gaussian(new Random(hidden), rows * hidden, (float) center, (float) spread);
    float[] y = new float[rows * hidden];
    norm.forwardTraining(x, 0, y, 0, rows, new float[rows], new float[rows], 0);
    double[] want = new double[rows * hidden];
    Reference.rowNorm(true, x, rows, hidden, norm.weight().value(), norm.bias().value(), norm.eps(), want, null, null);
    double max = Arrays.stream(want).map(Math::abs).max().orElse(0);
    double k = Math.ceil(hidden / 32.0);
    new Tolerance((k + 4) * EPS32 * max, 0).check("y of " + center + " ± " + spread, want, y, 0, rows * hidden);
  }

  @ParameterizedTest(name = "constant {0}")
  @CsvSource({"1e6", "-3.3e7", "0.1"})
  void aConstantRowOfManyFeaturesGivesExactlyTheBias(float value) {
    NormLayer norm = layer("ln65537");
    float[] x = new float[65537];
    Arrays.fill(x, value);
    float[] y = new float[x.length];
    float[] mean = new float[1];
    norm.forwardTraining(x, 0, y, 0, 1, mean, new float[1], 0);
    assertEquals(value, mean[0], "the mean of a constant row");
    assertArrayEquals(norm.bias().value(), y, "LayerNorm of a constant row must be exactly its bias");
  }

  /**
   * RMSNorm backward where {@code Σ dy·w·x} over a row would overflow float: within 1e-5 of the largest
   * gradient, 1e-4 relative.
   */
  @ParameterizedTest(name = "x = {0}·N(0,1)")
  @CsvSource({"1e36", "3e37", "1e-36"})
  void rmsBackwardNearTheFloatRange(double scale) {
    int h = 1000;
    NormLayer norm = layer("rms" + h);
    int rows = 3;
    float[] x = Data.gaussian(new Random(5), rows * h, 0, (float) scale);
    float[] dy = Data.gaussian(new Random(6), rows * h, 0, 1);
    for (int i = 0; i < x.length; i++) {
      dy[i] = Math.copySign(dy[i], x[i]); // every term of Σ dy·w·x positive: the sum grows with the row
    }
    float[] rstd = new float[rows];
    norm.forwardTraining(x, 0, new float[x.length], 0, rows, null, rstd, 0);
    float[] dx = new float[x.length];
    norm.backward(x, 0, dy, 0, dx, 0, rows, null, rstd, 0);
    double[] want = new double[x.length];
    double[] dw = new double[h];
    Reference.rowNormBackward(false, x, dy, rows, h, norm.weight().value(), norm.eps(), want, dw, null);
    double max = Arrays.stream(want).map(Math::abs).max().orElse(0);
    new Tolerance(1e-5 * max, 1e-4).check("dx at " + scale, want, dx, 0, x.length);
    new Tolerance(1e-5 * Arrays.stream(dw).map(Math::abs).max().orElse(0), 1e-4)
        .check("dweight at " + scale, dw, norm.weight().grad(), 0, h);
  }

  /**
   * LayerNorm, standalone and in a Post-Norm block, of rows whose values reach ±3e38 with a mean of the other
   * sign near 1e38, so that {@code x - mean} itself would overflow float: forward and backward within
   * {@code 1e-5} of the largest magnitude and 1e-4 relative (a row of 100 terms: 100ε·Σ|terms| is below that),
   * as a double-precision LayerNorm of the same floats gives.
   */
  @Test
  void xMinusMeanNearTheFloatRange() {
    int h = 100;
    int rows = 4;
    Random random = new Random(11);
    float[] x = new float[rows * h];
    for (int r = 0; r < rows; r++) {
      float sign = r % 2 == 0 ? 1 : -1; // rows 0, 2: mean near +1.1e38; rows 1, 3: near -1.1e38
      for (int j = 0; j < h; j++) {
        float magnitude = 3.0e38f * (0.9f + 0.1f * random.nextFloat());
        x[r * h + j] = (j % 10 < 7 ? sign : -sign) * magnitude;
      }
    }
    float[] dy = Data.gaussian(new Random(12), rows * h, 0, 1);
    NormLayer ln = layer("ln100");
    double[] wantY = new double[rows * h];
    Reference.rowNorm(true, x, rows, h, ln.weight().value(), ln.bias().value(), ln.eps(), wantY, null, null);
    double[] wantDx = new double[rows * h];
    double[] wantDw = new double[h];
    Reference.rowNormBackward(true, x, dy, rows, h, ln.weight().value(), ln.eps(), wantDx, wantDw, null);

    float[] y = new float[rows * h];
    float[] mean = new float[rows];
    float[] rstd = new float[rows];
    ln.forwardTraining(x, 0, y, 0, rows, mean, rstd, 0);
    checkNearRange("LayerNorm y", wantY, y);
    float[] dx = new float[rows * h];
    ln.backward(x, 0, dy, 0, dx, 0, rows, mean, rstd, 0);
    checkNearRange("LayerNorm dx", wantDx, dx);
    checkNearRange("LayerNorm dweight", wantDw, ln.weight().grad());

    AddNormBlock post = Processing.instantiate(loader, source.generated("post100"), AddNormBlock.class);
    Random init = new Random(13);
    post.weight().set(Data.gaussian(init, h, 1, 0.2f));
    post.bias().set(Data.gaussian(init, h, 0, 0.2f));
    double[] wantS = new double[rows * h];
    Reference.rowNorm(true, x, rows, h, post.weight().value(), post.bias().value(), post.eps(), wantS, null, null);
    Reference.rowNormBackward(true, x, dy, rows, h, post.weight().value(), post.eps(), wantDx, wantDw, null);
    float[] s = new float[rows * h];
    post.addNormForward(x, 0, new float[rows * h], 0, s, 0, y, 0, rows, mean, rstd, 0); // s = x + 0 = x exactly
    checkNearRange("Post-Norm block y", wantS, y);
    float[] ds = new float[rows * h];
    post.addNormBackward(s, 0, dy, 0, ds, 0, dx, 0, rows, mean, rstd, 0);
    checkNearRange("Post-Norm block ds", wantDx, ds);
    checkNearRange("Post-Norm block dweight", wantDw, post.weight().grad());
  }

  static void checkNearRange(String what, double[] want, float[] got) {
    double max = Arrays.stream(want).map(Math::abs).max().orElse(0);
    new Tolerance(1e-5 * max, 1e-4).check(what + " near the float range", want, got, 0, want.length);
  }

  @Test
  void anInfiniteElementFollowsPyTorch() {
    int h = 100;
    int rows = 3;
    float[] x = Data.gaussian(new Random(9), rows * h, 0, 1);
    x[h + 17] = Float.POSITIVE_INFINITY; // row 1, feature 17

    NormLayer rms = layer("rms100");
    float[] y = new float[rows * h];
    rms.forwardTraining(x, 0, y, 0, rows, null, new float[rows], 0);
    for (int j = 0; j < h; j++) {
      if (j == 17) {
        assertTrue(Float.isNaN(y[h + j]), "RMSNorm: inf·rsqrt(inf) = inf·0 is NaN, got " + y[h + j]);
      } else {
        assertEquals(rms.bias().value()[j], y[h + j], "RMSNorm: a finite element of a row holding inf is 0·w + b");
      }
    }
    assertRowsFinite("RMSNorm", y, h, 0, 2);

    NormLayer ln = layer("ln100");
    ln.forwardTraining(x, 0, y, 0, rows, new float[rows], new float[rows], 0);
    for (int j = 0; j < h; j++) {
      assertTrue(Float.isNaN(y[h + j]), "LayerNorm: a row holding inf has mean inf and var NaN, got " + y[h + j]);
    }
    assertRowsFinite("LayerNorm", y, h, 0, 2);

    AddNormBlock post = Processing.instantiate(loader, source.generated("post100"), AddNormBlock.class);
    float[] s = new float[rows * h];
    post.addNormForward(x, 0, new float[rows * h], 0, s, 0, y, 0, rows, new float[rows], new float[rows], 0);
    for (int j = 0; j < h; j++) {
      assertTrue(Float.isNaN(y[h + j]), "Post-Norm block: LayerNorm of a row holding inf, got " + y[h + j]);
    }
    assertRowsFinite("Post-Norm block", y, h, 0, 2);

    BatchNormLayer bn = Processing.instantiate(loader, source.generated("bn100"), BatchNormLayer.class);
    bn.forwardTraining(x, 0, y, 0, rows, new float[h], new float[h]);
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < h; j++) {
        float v = y[r * h + j];
        assertTrue(j == 17 ? Float.isNaN(v) : Float.isFinite(v), "BatchNorm: feature " + j + " of row " + r + " is " + v);
      }
    }
  }

  static void assertRowsFinite(String what, float[] y, int h, int... rows) {
    for (int r : rows) {
      for (int j = 0; j < h; j++) {
        assertTrue(Float.isFinite(y[r * h + j]), what + ": row " + r + " without inf has " + y[r * h + j]);
      }
    }
  }
}
