package dev.normforge.processor.batch;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.processor.testing.TanhSublayer;
import dev.normforge.processor.testing.Tolerance;
import dev.normforge.runtime.BatchNormResidualBlock;
import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.ResidualBlock;
import dev.normforge.testing.Reference;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * BatchNorm inside residual blocks (PRE: {@code out = alpha·x + F(BN(x))}; POST: {@code out = BN(alpha·x +
 * F(x))}) with the sublayer {@code tanh(h·Wᵀ)}: forward against a float64 composition, backward against
 * central finite differences of {@code L = Σ out·dout} for x, weight, bias and W.
 */
class BatchNormBlockTest {
  static final int H = 6;
  static final int ROWS = 5;
  static ClassLoader loader;
  static ModelSource source;

  @BeforeAll
  static void compile() {
    source = ModelSource.model("bnb", "BnBlocks", "hidden = " + H)
        .site("ResidualBlock", "pre", "type = NormType.BATCH, placement = Placement.PRE, alpha = 1.5")
        .site("ResidualBlock", "post", "type = NormType.BATCH, placement = Placement.POST, alpha = 0.7")
        .site("ResidualBlock", "post768", "type = NormType.BATCH, placement = Placement.POST, hidden = 768");
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    loader = Processing.loader(compilation);
  }

  @ParameterizedTest
  @CsvSource({"pre", "post"})
  void forwardMatchesAFloat64CompositionAndBackwardMatchesFiniteDifferences(String site) {
    ResidualBlock block = Processing.instantiate(loader, source.generated(site), ResidualBlock.class);
    Random random = new Random(11);
    block.weight().set(gaussian(random, H, 1, 0.2));
    block.bias().set(gaussian(random, H, 0, 0.2));
    float[] w = gaussian(random, H * H, 0, 0.4);
    TanhSublayer f = new TanhSublayer(H, w);
    float[] x = gaussian(random, ROWS * H, 0.3, 1.2);
    float[] dout = gaussian(random, ROWS * H, 0, 1);
    float[] out = new float[ROWS * H];
    BlockWorkspace ws = block.newWorkspace();
    block.forward(x, 0, out, 0, ROWS, f, ws);

    double[] want = reference(block, x, w);
    Tolerance.FLOAT.check(site + " out", want, out, 0, out.length);

    float[] dx = new float[ROWS * H];
    block.backward(dout, 0, dx, 0, f, ws);
    float[] dweight = block.weight().grad().clone();
    float[] dbias = block.bias().grad().clone();
    float[] dw = f.dw.clone();
    java.util.function.Supplier<Double> loss = () -> {
      float[] o = new float[ROWS * H];
      block.forward(x, 0, o, 0, ROWS, new TanhSublayer(H, w), block.newWorkspace());
      double s = 0;
      for (int i = 0; i < o.length; i++) {
        s += (double) o[i] * dout[i];
      }
      return s;
    };
    Tolerance fd = new Tolerance(5e-4, 5e-3);
    for (int i = 0; i < x.length; i++) {
      fd.check(site + " dx", i, derivative(x, i, loss), dx[i]);
    }
    for (int j = 0; j < H; j++) {
      fd.check(site + " dweight", j, derivative(block.weight().value(), j, loss), dweight[j]);
      fd.check(site + " dbias", j, derivative(block.bias().value(), j, loss), dbias[j]);
    }
    for (int i = 0; i < w.length; i++) {
      fd.check(site + " dW", i, derivative(w, i, loss), dw[i]);
    }
  }

  @ParameterizedTest
  @CsvSource({"post768"})
  void theBlockExposesItsBatchNormAndRejectsABatchOfOne(String site) {
    BatchNormResidualBlock block = Processing.instantiate(loader, source.generated(site), BatchNormResidualBlock.class);
    assertEquals(768, block.norm().hidden());
    assertEquals(1.0, block.alpha());
    float[] x = new float[768];
    float[] out = new float[768];
    java.util.Arrays.fill(out, 3f);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> block.forward(x, 0, out, 0, 1, new TanhSublayer(768, new float[768 * 768]), block.newWorkspace()));
    assertEquals("rows must be >= 2 for BatchNorm's batch statistics, got 1", e.getMessage());
    assertEquals(3f, out[0]);
  }

  /** out in float64: PRE alpha·x + F(BN(x)); POST BN(alpha·x + F(x)), BN with batch statistics. */
  private static double[] reference(ResidualBlock block, float[] x, float[] w) {
    int n = ROWS * H;
    double[] xd = new double[n];
    for (int i = 0; i < n; i++) {
      xd[i] = x[i];
    }
    Reference.Dense f = Reference.Dense.tanh(w);
    double[] out = new double[n];
    if (block.preNorm()) {
      double[] h = batchNorm(xd, block);
      double[] fh = new double[n];
      f.forward(h, fh, ROWS, H);
      for (int i = 0; i < n; i++) {
        out[i] = block.alpha() * xd[i] + fh[i];
      }
      return out;
    }
    double[] fx = new double[n];
    f.forward(xd, fx, ROWS, H);
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = block.alpha() * xd[i] + fx[i];
    }
    return batchNorm(s, block);
  }

  private static double[] batchNorm(double[] x, ResidualBlock block) {
    double[] y = new double[x.length];
    for (int j = 0; j < H; j++) {
      double mean = 0;
      for (int r = 0; r < ROWS; r++) {
        mean += x[r * H + j];
      }
      mean /= ROWS;
      double var = 0;
      for (int r = 0; r < ROWS; r++) {
        var += (x[r * H + j] - mean) * (x[r * H + j] - mean);
      }
      double invstd = 1 / Math.sqrt(var / ROWS + block.eps());
      for (int r = 0; r < ROWS; r++) {
        y[r * H + j] = (x[r * H + j] - mean) * invstd * block.weight().value()[j] + block.bias().value()[j];
      }
    }
    return y;
  }

  private static double derivative(float[] v, int i, java.util.function.Supplier<Double> loss) {
    float saved = v[i];
    v[i] = saved + 1e-2f;
    double up = loss.get();
    float hi = v[i] - saved;
    v[i] = saved - 1e-2f;
    double down = loss.get();
    float lo = saved - v[i];
    v[i] = saved;
    return (up - down) / (hi + lo);
  }

  private static float[] gaussian(Random random, int n, double mean, double std) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (mean + std * random.nextGaussian());
    }
    return a;
  }
}
