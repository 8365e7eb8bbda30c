package dev.normforge.processor.batch;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.processor.testing.Tolerance;
import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.testing.BatchNormReference;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * BatchNorm where float arithmetic is strained, forward and backward against the float64 reference:
 * feature spreads from 1e-30 to 1e30 (with eps 0, so that the statistics alone decide), and a batch whose
 * first row is a padding row far from every other (the variance's shift must not depend on one row).
 *
 * <p>Tolerances: the outputs are O(1) ({@code y}) or O(invstd·|dy|) ({@code dx}); each is a handful of
 * float operations on per-feature coefficients computed in double, so a few float ulps (2e-6 relative to
 * that scale) bound it, whatever the spread. dweight and dbias are sums over the rows, judged against
 * {@code rows·ε·Σ|terms|} with ε = 2^-24.
 */
class BatchNormExtremesTest {
  static final int[] HIDDEN = {17, 768};
  static ModelSource source;
  static ClassLoader loader;

  @BeforeAll
  static void compile() {
    source = ModelSource.model("bnx", "Extremes", "");
    for (int h : HIDDEN) {
      source.site("BatchNormLayer", "noEps" + h, "type = NormType.BATCH, hidden = " + h + ", eps = 0");
    }
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    loader = Processing.loader(compilation);
  }

  @ParameterizedTest(name = "spread {0}, mean {1}·spread")
  @CsvSource({"1e-30, 0", "1e-22, 3", "1e-12, 1", "1, 1e4", "1e12, 2", "1e22, 3", "1e30, 0"})
  void forwardAndBackwardHoldAtAnySpread(double spread, double center) {
    for (int h : HIDDEN) {
      for (int rows : new int[] {2, 37, 300}) {
        Random random = new Random(h * 31L + rows);
        float[] x = BatchNormKernelsTest.randoms(random, rows * h, center * spread, spread);
        check("noEps" + h, rows, x, random, "spread " + spread + " mean " + center + "·spread, rows " + rows);
      }
    }
  }

  @ParameterizedTest(name = "padding row at {0} spreads")
  @CsvSource({"1e3", "1e5"})
  void aFarFirstRowCostsNoDigits(double far) {
    for (int h : HIDDEN) {
      int rows = 1000;
      Random random = new Random(h);
      float[] x = BatchNormKernelsTest.randoms(random, rows * h, 5, 1);
      for (int j = 0; j < h; j++) {
        x[j] = (float) (5 + far);
      }
      check("noEps" + h, rows, x, random, "first row at " + far + " spreads, rows " + rows);
    }
  }

  /** Training forward and backward of layer {@code name} on {@code x}, against the reference. */
  static void check(String name, int rows, float[] x, Random random, String what) {
    BatchNormLayer bn = Processing.instantiate(loader, source.generated(name), BatchNormLayer.class);
    int h = bn.hidden();
    int size = rows * h;
    bn.weight().set(BatchNormKernelsTest.randoms(random, h, 1, 0.1));
    bn.bias().set(BatchNormKernelsTest.randoms(random, h, 0, 0.1));
    float[] w = bn.weight().value();
    float[] b = bn.bias().value();
    float[] dy = BatchNormKernelsTest.randoms(random, size, 0, 1);
    what = name + " " + what + ": ";

    double[] y = new double[size];
    double[] mean = new double[h];
    double[] invstd = new double[h];
    BatchNormReference.forwardTraining(x, rows, h, w, b, bn.eps(), bn.momentum(), null, null, y, mean, invstd);
    float[] gotY = new float[size];
    float[] gotMean = new float[h];
    float[] gotInvstd = new float[h];
    bn.forwardTraining(x, 0, gotY, 0, rows, gotMean, gotInvstd);
    Tolerance ulps = new Tolerance(2e-6, 2e-6);
    ulps.check(what + "y", y, gotY, 0, size);
    new Tolerance(0, 2e-6).check(what + "invstd", invstd, gotInvstd, 0, h);

    double[] dx = new double[size];
    double[] dweight = new double[h];
    double[] dbias = new double[h];
    BatchNormReference.backward(x, dy, rows, h, w, bn.eps(), dx, dweight, dbias);
    float[] gotDx = new float[size];
    bn.backward(x, 0, dy, 0, gotDx, 0, rows, gotMean, gotInvstd);
    for (int j = 0; j < h; j++) {
      // dx of feature j is a difference of terms of size invstd·w·|dy|: its error is relative to them
      double scale = invstd[j] * Math.abs(w[j]) * 4;
      Tolerance feature = new Tolerance(2e-6 * scale, 2e-6);
      for (int r = 0; r < rows; r++) {
        int i = r * h + j;
        feature.check(what + "dx", i, dx[i], gotDx[i]);
      }
      double sumAbsDy = 0;
      for (int r = 0; r < rows; r++) {
        sumAbsDy += Math.abs(dy[r * h + j]);
      }
      // Σ dy·xhat and Σ dy over the rows: |xhat| is at most sqrt(rows)
      Tolerance sums = new Tolerance(rows * 0x1p-24 * sumAbsDy * Math.sqrt(rows), 2e-6);
      sums.check(what + "dweight", j, dweight[j], bn.weight().grad()[j]);
      sums.check(what + "dbias", j, dbias[j], bn.bias().grad()[j]);
    }
  }
}
