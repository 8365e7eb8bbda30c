package dev.normforge.processor.properties;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.processor.testing.Tolerance;
import dev.normforge.runtime.NormLayer;
import dev.normforge.testing.Reference;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property tests (jqwik): for random configurations, sizes, row counts, offsets and data scales, the
 * generated kernels agree with the float64 reference; and the invariances the math promises hold —
 * LayerNorm ignores a per-row affine change of its input {@code x -> a·x + c} (a > 0), RMSNorm a scaling.
 */
class RowNormPropertiesTest {
  record Config(boolean layer, int hidden, boolean affine, boolean bias, double eps) {}

  record Run(Config config, int rows, int offset, double scale, double center, long seed) {}

  @Provide
  Arbitrary<Run> runs() {
    Arbitrary<Config> configs = Combinators.combine(
        Arbitraries.of(true, false),
        Arbitraries.oneOf(Arbitraries.integers().between(1, 70), Arbitraries.integers().between(71, 3000)),
        Arbitraries.of(true, false), Arbitraries.of(true, false),
        Arbitraries.of(1e-5, 1e-6, 1e-3, 0.1)).as(Config::new);
    return Combinators.combine(configs, Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 9),
        Arbitraries.of(1e-3, 0.1, 1.0, 30.0, 1e4), Arbitraries.of(0.0, 1.0, -50.0, 1e3),
        Arbitraries.longs()).as(Run::new);
  }

  /** Generated forward and backward within 1e-5·max|want| + 2e-4·|want| of the float64 answer. */
  @Property(tries = 40, seed = "20261124")
  void generatedAgreesWithTheReference(@ForAll("runs") Run run) {
    Config c = run.config();
    NormLayer norm = compile(c);
    int h = c.hidden();
    int rows = run.rows();
    int off = run.offset();
    Random random = new Random(run.seed());
    float[] w = c.affine() ? gaussian(random, h, 1, 0.3) : null;
    float[] b = c.bias() ? gaussian(random, h, 0, 0.3) : null;
    if (w != null) {
      norm.weight().set(w);
    }
    if (b != null) {
      norm.bias().set(b);
    }
    float[] x = new float[off + rows * h];
    for (int i = off; i < x.length; i++) {
      x[i] = (float) (run.center() + run.scale() * random.nextGaussian());
    }
    float[] dy = gaussian(random, off + rows * h, 0, 1);
    float[] y = new float[off + rows * h];
    float[] mean = new float[off + rows];
    float[] rstd = new float[off + rows];
    norm.forwardTraining(x, off, y, off, rows, mean, rstd, off);
    float[] dx = new float[off + rows * h];
    norm.backward(x, off, dy, off, dx, off, rows, mean, rstd, off);

    float[] x0 = Arrays.copyOfRange(x, off, x.length);
    float[] dy0 = Arrays.copyOfRange(dy, off, dy.length);
    double[] yRef = new double[rows * h];
    double[] dxRef = new double[rows * h];
    double[] dwRef = new double[h];
    double[] dbRef = new double[h];
    Reference.rowNorm(c.layer(), x0, rows, h, w, b, c.eps(), yRef, null, null);
    Reference.rowNormBackward(c.layer(), x0, dy0, rows, h, w, c.eps(), dxRef, dwRef, dbRef);
    String what = run + ": ";
    scaled(yRef).check(what + "y", yRef, y, off, rows * h);
    // dx = rstd·(g - mean(g) - xhat·mean(g·xhat)) cancels heavily for small rows (hidden 2: exactly, up to
    // eps), so float can only give it to ~1e-7 of the size of its terms, rstd·|g|, not of the result
    double terms = 0;
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < h; j++) {
        terms = Math.max(terms, rstd[off + r] * Math.abs(dy0[r * h + j] * (w == null ? 1 : w[j])));
      }
    }
    new Tolerance(Math.max(scaled(dxRef).abs(), 2e-6 * terms), 2e-4).check(what + "dx", dxRef, dx, off, rows * h);
    if (c.affine()) {
      scaled(dwRef).check(what + "dweight", dwRef, norm.weight().grad(), 0, h);
    }
    if (c.bias()) {
      scaled(dbRef).check(what + "dbias", dbRef, norm.bias().grad(), 0, h);
    }
  }

  record Invariance(int hidden, double a, double c, long seed) {}

  @Provide
  Arbitrary<Invariance> invariances() {
    return Combinators.combine(Arbitraries.of(2, 7, 64, 100, 768, 1021), Arbitraries.doubles().between(0.05, 40),
        Arbitraries.doubles().between(-100, 100), Arbitraries.longs()).as(Invariance::new);
  }

  /**
   * LayerNorm(a·x + c) = LayerNorm(x) for a > 0. The invariance is exact only without eps (eps breaks it
   * for rows whose variance is not far above eps), so these sites have eps = 0.
   */
  @Property(tries = 60, seed = "20261124")
  void layerNormIgnoresScaleAndShift(@ForAll("invariances") Invariance v) {
    checkInvariance(new Config(true, v.hidden(), true, true, 0), v, v.c());
  }

  /** RMSNorm(a·x) = RMSNorm(x) for a > 0 (eps = 0, as above). */
  @Property(tries = 60, seed = "20261124")
  void rmsNormIgnoresScale(@ForAll("invariances") Invariance v) {
    checkInvariance(new Config(false, v.hidden(), true, false, 0), v, 0);
  }

  private void checkInvariance(Config config, Invariance v, double shift) {
    NormLayer norm = compile(config);
    int h = v.hidden();
    Random random = new Random(v.seed());
    norm.weight().set(gaussian(random, h, 1, 0.3));
    int rows = 3;
    float[] x = gaussian(random, rows * h, 0.2, 1);
    float[] moved = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      moved[i] = (float) (v.a() * x[i] + shift);
    }
    float[] y = new float[x.length];
    float[] yMoved = new float[x.length];
    norm.forward(x, 0, y, 0, rows);
    norm.forward(moved, 0, yMoved, 0, rows);
    for (int r = 0; r < rows; r++) {
      // moved = a·x + c rounded to float moves each element by up to 6e-8·|moved|; normalized, that is
      // 6e-8·max|moved|/spread(moved) per element, times |weight|: the bound allows 8 of those, plus 1e-6
      double maxAbs = 0;
      double spread = 0;
      double m = config.layer() ? mean(moved, r * h, h) : 0;
      for (int j = 0; j < h; j++) {
        maxAbs = Math.max(maxAbs, Math.abs(moved[r * h + j]));
        spread += (moved[r * h + j] - m) * (moved[r * h + j] - m);
      }
      spread = Math.sqrt(spread / h);
      double maxW = 0;
      for (float wj : norm.weight().value()) {
        maxW = Math.max(maxW, Math.abs(wj));
      }
      double bound = 1e-6 + 8 * 6e-8 * maxAbs / spread * maxW;
      for (int j = 0; j < h; j++) {
        int i = r * h + j;
        if (!(Math.abs(y[i] - yMoved[i]) <= bound)) {
          throw new AssertionError("invariance " + v + ": y[" + i + "] = " + y[i] + " but " + yMoved[i]
              + " after x -> a·x + c (bound " + bound + ")");
        }
      }
    }
  }

  private static double mean(float[] a, int off, int n) {
    double s = 0;
    for (int j = 0; j < n; j++) {
      s += a[off + j];
    }
    return s / n;
  }

  private static final java.util.Map<Config, NormLayer> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

  private static NormLayer compile(Config c) {
    NormLayer cached = COMPILED.get(c);
    if (cached != null) {
      cached.zeroGrad();
      return cached;
    }
    ModelSource source = ModelSource.model("props", "Props", "hidden = " + c.hidden())
        .site("NormLayer", "norm", "type = NormType." + (c.layer() ? "LAYER" : "RMS") + ", eps = " + c.eps()
            + ", affine = " + c.affine() + ", bias = " + c.bias());
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    NormLayer norm = Processing.instantiate(compilation, source.generated("norm"), NormLayer.class);
    COMPILED.put(c, norm);
    return norm;
  }

  private static Tolerance scaled(double[] want) {
    double max = Arrays.stream(want).map(Math::abs).max().orElse(0);
    return new Tolerance(1e-5 * Math.max(max, 1e-30), 2e-4);
  }

  private static float[] gaussian(Random random, int n, double mean, double std) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (mean + std * random.nextGaussian());
    }
    return a;
  }
}
