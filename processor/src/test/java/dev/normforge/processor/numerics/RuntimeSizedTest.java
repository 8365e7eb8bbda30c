package dev.normforge.processor.numerics;

import dev.normforge.processor.testing.Data;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.runtime.NormLayer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The run-time-sized form ({@code -Anormforge.runtimeSized=true}, the benchmarks' baseline) is the same
 * recipe as the specialized class: forward, statistics, backward and gradients are bitwise equal, so a
 * benchmark of the two measures only where the size comes from.
 */
class RuntimeSizedTest {
  @ParameterizedTest(name = "{0} hidden={1}")
  @CsvSource({"LAYER,1", "LAYER,17", "LAYER,100", "LAYER,1021", "RMS,7", "RMS,64", "RMS,4099"})
  void runtimeSizedIsBitwiseTheSpecializedClass(String type, int hidden) throws ReflectiveOperationException {
    ModelSource source = ModelSource.model("rs", "Rs", "hidden = " + hidden)
        .site("NormLayer", "norm", "type = NormType." + type + ", bias = true");
    Compilation compilation = Processing.compileWith(List.of("-Anormforge.runtimeSized=true"), source.file());
    assertThat(compilation).succeeded();
    ClassLoader loader = Processing.loader(compilation);
    NormLayer specialized = Processing.instantiate(loader, source.generated("norm"), NormLayer.class);
    NormLayer runtimeSized = (NormLayer) loader.loadClass(source.generated("norm") + "RuntimeSized")
        .getConstructor(int.class).newInstance(hidden);
    Random random = new Random(hidden);
    float[] w = Data.gaussian(random, hidden, 1, 0.3f);
    float[] b = Data.gaussian(random, hidden, 0, 0.3f);
    int rows = 5;
    float[] x = Data.gaussian(random, rows * hidden, 0.5f, 2f);
    float[] dy = Data.gaussian(random, rows * hidden, 0, 1);
    float[][] results = new float[2][];
    float[][] grads = new float[2][];
    int i = 0;
    for (NormLayer norm : new NormLayer[] {specialized, runtimeSized}) {
      norm.weight().set(w);
      norm.bias().set(b);
      float[] y = new float[rows * hidden];
      float[] mean = new float[rows];
      float[] rstd = new float[rows];
      float[] dx = new float[rows * hidden];
      norm.forwardTraining(x, 0, y, 0, rows, mean, rstd, 0);
      norm.backward(x, 0, dy, 0, dx, 0, rows, mean, rstd, 0);
      results[i] = concat(y, mean, rstd, dx);
      grads[i] = concat(norm.weight().grad(), norm.bias().grad());
      i++;
    }
    assertArrayEquals(results[0], results[1], "y, mean, rstd, dx differ");
    assertArrayEquals(grads[0], grads[1], "dweight, dbias differ");
  }

  private static float[] concat(float[]... arrays) {
    int n = 0;
    for (float[] a : arrays) {
      n += a.length;
    }
    float[] all = new float[n];
    int o = 0;
    for (float[] a : arrays) {
      System.arraycopy(a, 0, all, o, a.length);
      o += a.length;
    }
    return all;
  }
}
