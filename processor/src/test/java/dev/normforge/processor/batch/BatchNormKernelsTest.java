package dev.normforge.processor.batch;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.processor.testing.Tolerance;
import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.testing.BatchNormReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated BatchNorm kernels against the float64 {@link BatchNormReference}: many hidden sizes (tails,
 * one vector, many blocks) and row counts (one tile, several tiles, several chunks), non-zero offsets,
 * with and without affine, a large-mean batch, and a finite-difference check of the backward.
 */
class BatchNormKernelsTest {
  static final int[] HIDDEN = {1, 7, 16, 17, 100, 768, 1021, 4099};
  static final int[] ROWS = {2, 3, 17, 100, 300};
  static final Tolerance TOLERANCE = new Tolerance(2e-6, 2e-5);

  static ModelSource source;
  static ClassLoader loader;

  @BeforeAll
  static void compile() throws Exception {
    source = ModelSource.model("bn", "Sizes", "");
    for (int h : HIDDEN) {
      source.site("BatchNormLayer", "affine" + h, "type = NormType.BATCH, hidden = " + h + ", momentum = 0.25");
      source.site("BatchNormLayer", "plain" + h, "type = NormType.BATCH, hidden = " + h + ", affine = false, eps = 1e-3");
    }
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    loader = Processing.loader(compilation);
    Path out = Path.of("target", "generated-examples", "bn");
    Files.createDirectories(out);
    for (String name : new String[] {"affine100", "plain7"}) {
      String qualified = source.generated(name);
      Files.writeString(out.resolve(qualified.substring(3) + ".java"), Processing.generatedSource(compilation, qualified));
    }
  }

  static BatchNormLayer layer(String name) {
    return Processing.instantiate(loader, source.generated(name), BatchNormLayer.class);
  }

  static float[] randoms(Random random, int n, double center, double spread) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (center + spread * random.nextGaussian());
    }
    return a;
  }

  @Test
  void matchesReferenceForManySizes() {
    Random random = new Random(7);
    for (int h : HIDDEN) {
      for (int rows : ROWS) {
        for (boolean affine : new boolean[] {true, false}) {
          check(affine ? "affine" + h : "plain" + h, rows, random, 2.0, 0.5);
        }
      }
    }
  }

  @Test
  void largeMeanStaysAccurate() {
    Random random = new Random(11);
    for (int h : new int[] {17, 768}) {
      for (int rows : new int[] {3, 100, 300}) {
        check("affine" + h, rows, random, 1e4, 1.0);
      }
    }
  }

  /**
   * Training forward, eval forward and backward of layer {@code name} on {@code rows} random rows
   * ({@code center + spread·N(0,1)}), at offsets 3, 5 and 9, against the reference.
   */
  static void check(String name, int rows, Random random, double center, double spread) {
    BatchNormLayer bn = layer(name);
    int h = bn.hidden();
    int size = rows * h;
    String what = name + " rows " + rows + " mean " + center + ": ";
    if (bn.weight() != null) {
      bn.weight().set(randoms(random, h, 1, 0.1));
      bn.bias().set(randoms(random, h, 0, 0.1));
    }
    float[] rm = randoms(random, h, 0, 0.1);
    float[] rv = randoms(random, h, 1.5, 0.1);
    System.arraycopy(rm, 0, bn.runningMean(), 0, h);
    System.arraycopy(rv, 0, bn.runningVar(), 0, h);
    float[] x = randoms(random, size, center, spread);
    float[] dy = randoms(random, size, 0, 1);
    float[] w = bn.weight() == null ? null : bn.weight().value();
    float[] b = bn.bias() == null ? null : bn.bias().value();

    // eval first: it must not touch the running statistics
    double[] wantEval = new double[size];
    BatchNormReference.forwardEval(x, rows, h, w, b, bn.eps(), rm, rv, wantEval);
    float[] yEval = new float[size + 5];
    bn.forwardEval(shifted(x, 3), 3, yEval, 5, rows);
    TOLERANCE.check(what + "y_eval", wantEval, yEval, 5, size);

    double[] y = new double[size];
    double[] mean = new double[h];
    double[] invstd = new double[h];
    double[] runMean = toDouble(rm);
    double[] runVar = toDouble(rv);
    BatchNormReference.forwardTraining(x, rows, h, w, b, bn.eps(), bn.momentum(), runMean, runVar, y, mean, invstd);
    float[] gotY = new float[size + 9];
    float[] gotMean = new float[h];
    float[] gotInvstd = new float[h];
    bn.forwardTraining(shifted(x, 3), 3, gotY, 9, rows, gotMean, gotInvstd);
    TOLERANCE.check(what + "y", y, gotY, 9, size);
    TOLERANCE.check(what + "mean", mean, gotMean, 0, h);
    TOLERANCE.check(what + "invstd", invstd, gotInvstd, 0, h);
    TOLERANCE.check(what + "running_mean", runMean, bn.runningMean(), 0, h);
    TOLERANCE.check(what + "running_var", runVar, bn.runningVar(), 0, h);

    double[] dx = new double[size];
    double[] dweight = new double[h];
    double[] dbias = new double[h];
    BatchNormReference.backward(x, dy, rows, h, w, bn.eps(), dx, dweight, dbias);
    float[] gotDx = new float[size + 5];
    bn.backward(shifted(x, 3), 3, shifted(dy, 9), 9, gotDx, 5, rows, gotMean, gotInvstd);
    // dx is a difference of terms of size |dy|: its error is relative to them, not to dx
    new Tolerance(TOLERANCE.abs() * 4, TOLERANCE.rel()).check(what + "dx", dx, gotDx, 5, size);
    if (w != null) {
      Tolerance sums = new Tolerance(TOLERANCE.abs() * Math.sqrt(rows), TOLERANCE.rel());
      sums.check(what + "dweight", dweight, bn.weight().grad(), 0, h);
      sums.check(what + "dbias", dbias, bn.bias().grad(), 0, h);
    }
  }

  @Test
  void backwardMatchesFiniteDifferences() {
    Random random = new Random(3);
    BatchNormLayer bn = layer("affine7");
    int rows = 5;
    int h = 7;
    bn.weight().set(randoms(random, h, 1, 0.3));
    bn.bias().set(randoms(random, h, 0, 0.3));
    float[] x = randoms(random, rows * h, 1, 2);
    float[] dy = randoms(random, rows * h, 0, 1);
    float[] w = bn.weight().value();
    float[] b = bn.bias().value();
    float[] mean = new float[h];
    float[] invstd = new float[h];
    bn.forwardTraining(x, 0, new float[rows * h], 0, rows, mean, invstd);
    float[] dx = new float[rows * h];
    bn.backward(x, 0, dy, 0, dx, 0, rows, mean, invstd);

    double[] refDx = new double[rows * h];
    double[] refDw = new double[h];
    double[] refDb = new double[h];
    BatchNormReference.backward(x, dy, rows, h, w, bn.eps(), refDx, refDw, refDb);
    Tolerance fd = new Tolerance(1e-6, 1e-5);
    Tolerance generated = new Tolerance(1e-5, 1e-4);
    for (int i = 0; i < x.length; i++) {
      double want = difference(x, i, () -> loss(x, dy, rows, h, w, b, bn.eps()));
      fd.check("reference dx vs finite differences", i, want, refDx[i]);
      generated.check("generated dx vs finite differences", i, want, dx[i]);
    }
    for (int j = 0; j < h; j++) {
      double wantW = difference(w, j, () -> loss(x, dy, rows, h, w, b, bn.eps()));
      double wantB = difference(b, j, () -> loss(x, dy, rows, h, w, b, bn.eps()));
      fd.check("reference dweight vs finite differences", j, wantW, refDw[j]);
      fd.check("reference dbias vs finite differences", j, wantB, refDb[j]);
      generated.check("generated dweight vs finite differences", j, wantW, bn.weight().grad()[j]);
      generated.check("generated dbias vs finite differences", j, wantB, bn.bias().grad()[j]);
    }
  }

  /** {@code Σ y·dy} of the training forward in float64: its gradient is the backward's output. */
  static double loss(float[] x, float[] dy, int rows, int h, float[] w, float[] b, double eps) {
    double[] y = new double[rows * h];
    BatchNormReference.forwardTraining(x, rows, h, w, b, eps, 0.1, null, null, y, null, null);
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += y[i] * dy[i];
    }
    return s;
  }

  /** Central difference of {@code f} in {@code a[i]}, over the float step actually taken. */
  static double difference(float[] a, int i, java.util.function.DoubleSupplier f) {
    float saved = a[i];
    float step = Math.max(1e-3f, Math.abs(saved) * 1e-3f);
    a[i] = saved + step;
    double up = f.getAsDouble();
    float hi = a[i];
    a[i] = saved - step;
    double down = f.getAsDouble();
    float lo = a[i];
    a[i] = saved;
    return (up - down) / ((double) hi - lo);
  }

  @Test
  void generatedSourceIsSpecializedAndColumnBlocked() throws Exception {
    String text = Files.readString(Path.of("target", "generated-examples", "bn", "SizesAffine100.java"));
    assertTrue(text.contains("public static final int HIDDEN = 100;"), text);
    assertTrue(text.contains("extends BatchNormBase"), text);
    assertTrue(text.contains("for (int t0 = r0, t1; t0 < r1; t0 = t1)"), text);
    assertEquals(5, count(text, "for (int t0 = r0"), "five kernels, one pass each");
    assertTrue(!text.contains("new float["), "kernels allocate nothing");
  }

  static int count(String text, String part) {
    return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
  }

  static float[] shifted(float[] a, int offset) {
    float[] out = new float[a.length + offset];
    System.arraycopy(a, 0, out, offset, a.length);
    return out;
  }

  static double[] toDouble(float[] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }
}
