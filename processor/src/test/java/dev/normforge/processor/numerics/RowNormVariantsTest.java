package dev.normforge.processor.numerics;

import dev.normforge.processor.testing.Data;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The zero-centred weight ({@code weightOffset}) and partial RMSNorm ({@code partial}) against the float64
 * {@link Reference}, forward (y, rstd) and backward (dx, dweight, dbias), for hidden sizes around the vector
 * widths and unroll steps and 0, 1 and 3 rows at non-zero offsets; and what a new layer starts as.
 */
class RowNormVariantsTest {
  static final int[] SIZES = {1, 2, 7, 16, 17, 64, 100, 129, 257, 1021, 4099};
  static final int[] ROWS = {0, 1, 3};
  static final Tolerance TOLERANCE = new Tolerance(2e-5, 2e-4);

  /** A variant: its attributes and the reference's view of it. */
  record Variant(String name, String attributes, boolean centered, boolean bias, double offset, double partial) {}

  static final List<Variant> VARIANTS = List.of(
      new Variant("gemma", "type = NormType.RMS, weightOffset = 1", false, false, 1, 1),
      new Variant("offsetLn", "type = NormType.LAYER, weightOffset = 0.5", true, true, 0.5, 1),
      new Variant("partial", "type = NormType.RMS, partial = 0.0625", false, false, 0, 0.0625),
      new Variant("partialHalf", "type = NormType.RMS, partial = 0.5, bias = true", false, true, 0, 0.5),
      new Variant("partialGemma", "type = NormType.RMS, partial = 0.3, weightOffset = 1", false, false, 1, 0.3));

  static ClassLoader loader;
  static ModelSource source;

  @BeforeAll
  static void compile() {
    source = ModelSource.model("variants", "Variants", "");
    for (Variant v : VARIANTS) {
      for (int hidden : SIZES) {
        source.site("NormLayer", v.name() + hidden, v.attributes() + ", hidden = " + hidden);
      }
    }
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    loader = Processing.loader(compilation);
  }

  static NormLayer layer(Variant v, int hidden) {
    return Processing.instantiate(loader, source.generated(v.name() + hidden), NormLayer.class);
  }

  @TestFactory
  Stream<DynamicTest> generatedMatchesReference() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Variant v : VARIANTS) {
      for (int hidden : SIZES) {
        for (int rows : ROWS) {
          tests.add(DynamicTest.dynamicTest(v.name() + " hidden " + hidden + " rows " + rows,
              () -> check(v, layer(v, hidden), rows)));
        }
      }
    }
    return tests.stream();
  }

  private static void check(Variant v, NormLayer norm, int rows) {
    int hidden = norm.hidden();
    String n = v.name() + "/" + hidden + "/" + rows + " ";
    Random random = new Random(hidden * 7919L + rows);
    norm.weight().set(Data.gaussian(random, hidden, (float) (1 - v.offset()), 0.3f));
    if (v.bias()) {
      norm.bias().set(Data.gaussian(random, hidden, 0, 0.3f));
    }
    int size = rows * hidden;
    float[] x = Data.gaussian(random, size, 0.2f, 1.3f);
    float[] dy = Data.gaussian(random, size, 0, 1);
    float[] xs = new float[size + 3];
    System.arraycopy(x, 0, xs, 3, size);
    float[] y = new float[size + 2];
    float[] mean = new float[rows + 1];
    float[] rstd = new float[rows + 1];
    norm.forwardTraining(xs, 3, y, 2, rows, v.centered() ? mean : null, rstd, 1);
    int k = v.partial() < 1 ? Math.max(1, (int) Math.floor(v.partial() * hidden)) : hidden;
    Reference.Norm ref = new Reference.Norm(v.centered(), norm.weight().value(),
        v.bias() ? norm.bias().value() : null, v.offset(), k, norm.eps());
    double[] wantY = new double[size];
    double[] wantRstd = new double[rows];
    Reference.rowNorm(ref, x, rows, hidden, wantY, null, wantRstd);
    TOLERANCE.check(n + "y", wantY, y, 2, size);
    TOLERANCE.check(n + "rstd", wantRstd, rstd, 1, rows);

    float[] dx = new float[size];
    norm.zeroGrad();
    norm.backward(xs, 3, dy, 0, dx, 0, rows, v.centered() ? mean : null, rstd, 1);
    double[] wantDx = new double[size];
    double[] wantDw = new double[hidden];
    double[] wantDb = new double[hidden];
    Reference.rowNormBackward(ref, x, dy, rows, hidden, wantDx, wantDw, wantDb);
    TOLERANCE.check(n + "dx", wantDx, dx, 0, size);
    TOLERANCE.check(n + "dweight", wantDw, norm.weight().grad(), 0, hidden);
    if (v.bias()) {
      TOLERANCE.check(n + "dbias", wantDb, norm.bias().grad(), 0, hidden);
    }
  }

  /** Gemma's RMSNorm starts with weight 0, so {@code (1 + w)} is 1: a new layer is a plain RMSNorm. */
  @Test
  void aZeroCentredWeightStartsAtZeroAndMultipliesAsOne() {
    Variant gemma = VARIANTS.get(0);
    NormLayer norm = layer(gemma, 100);
    for (float w : norm.weight().value()) {
      assertEquals(0f, w, "initial weight");
    }
    Random random = new Random(3);
    float[] x = Data.gaussian(random, 300, 0, 1);
    float[] y = new float[300];
    norm.forward(x, 0, y, 0, 3);
    double[] want = new double[300];
    Reference.rowNorm(Reference.Norm.of(false, 100, null, null, norm.eps()), x, 3, 100, want, null, null);
    TOLERANCE.check("y of a new zero-centred layer", want, y, 0, 300);
  }
}
