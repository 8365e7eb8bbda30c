package dev.normforge.processor.numerics;

import dev.normforge.processor.testing.Data;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.processor.testing.Tolerance;
import dev.normforge.runtime.NormLayer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Backward of generated LayerNorm/RMSNorm against central finite differences of
 * {@code L = Σ y·dy}, for x, weight and bias. Tolerance 2e-3 + 1e-2·|want|: the step's truncation error
 * and the float rounding of y bound how well differences can agree.
 */
class RowNormFiniteDifferenceTest {
  static final Tolerance FD = new Tolerance(2e-3, 1e-2);

  @ParameterizedTest(name = "{0} hidden={1} affine={2} bias={3} {4}")
  @CsvSource(delimiter = '|', value = {"LAYER|17|true|true|", "LAYER|5|false|false|", "LAYER|33|true|false|",
      "RMS|17|true|false|", "RMS|5|false|false|", "RMS|20|true|true|",
      "RMS|17|true|false|, weightOffset = 1", "LAYER|19|true|true|, weightOffset = 0.5",
      "RMS|40|true|false|, partial = 0.25", "RMS|7|true|true|, partial = 0.5", "RMS|9|false|false|, partial = 0.1"})
  void backwardMatchesFiniteDifferences(String type, int hidden, boolean affine, boolean bias, String extra) {
    ModelSource source = ModelSource.model("fd", "Fd", "hidden = " + hidden)
        .site("NormLayer", "norm", "type = NormType." + type + ", affine = " + affine + ", bias = " + bias
            + (extra == null ? "" : extra));
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    NormLayer norm = Processing.instantiate(compilation, source.generated("norm"), NormLayer.class);
    Random random = new Random(hidden);
    if (affine) {
      norm.weight().set(Data.gaussian(random, hidden, 1, 0.3f));
    }
    if (bias) {
      norm.bias().set(Data.gaussian(random, hidden, 0, 0.3f));
    }
    int rows = 3;
    int n = rows * hidden;
    float[] x = Data.gaussian(random, n, 0.3f, 1.5f);
    float[] dy = Data.gaussian(random, n, 0, 1);
    float[] y = new float[n];
    float[] mean = new float[rows];
    float[] rstd = new float[rows];
    java.util.function.Supplier<Double> loss = () -> {
      norm.forward(x, 0, y, 0, rows);
      return FiniteDifferences.dot(y, 0, dy, 0, n);
    };

    norm.forwardTraining(x, 0, y, 0, rows, mean, rstd, 0);
    float[] dx = new float[n];
    norm.backward(x, 0, dy, 0, dx, 0, rows, mean, rstd, 0);
    for (int i = 0; i < n; i++) {
      FD.check("dx", i, FiniteDifferences.derivative(x, i, loss), dx[i]);
    }
    if (affine) {
      for (int j = 0; j < hidden; j++) {
        FD.check("dweight", j, FiniteDifferences.derivative(norm.weight().value(), j, loss), norm.weight().grad()[j]);
      }
    }
    if (bias) {
      for (int j = 0; j < hidden; j++) {
        FD.check("dbias", j, FiniteDifferences.derivative(norm.bias().value(), j, loss), norm.bias().grad()[j]);
      }
    }
  }
}
