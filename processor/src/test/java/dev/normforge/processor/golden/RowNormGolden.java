package dev.normforge.processor.golden;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.processor.testing.Tolerance;
import dev.normforge.runtime.NormLayer;

/**
 * {@code layer_norm} and {@code rms_norm} cases: a standalone site with the case's hidden size, eps,
 * affine, bias, and {@code weight_offset} / {@code partial} when the case has them; training forward (y, mean, rstd), inference forward (must equal training's y bitwise),
 * and backward (dx, dweight, dbias) within {@link Tolerance#FLOAT}.
 */
final class RowNormGolden implements GoldenCheck {
  @Override
  public void check(GoldenCase c) {
    boolean layer = c.op().equals("layer_norm");
    ModelSource source = ModelSource.model("golden", c.modelName(), "hidden = " + c.hidden())
        .site("NormLayer", "norm", "type = NormType." + (layer ? "LAYER" : "RMS") + ", eps = " + c.eps()
            + ", affine = " + c.affine() + ", bias = " + c.bias()
            + (c.has("weight_offset") ? ", weightOffset = " + c.number("weight_offset", 0) : "")
            + (c.has("partial") ? ", partial = " + c.number("partial", 1) : ""));
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    NormLayer norm = Processing.instantiate(compilation, source.generated("norm"), NormLayer.class);
    run(c, norm, layer);
  }

  /** Runs the case on {@code norm}; shared with tests that build the layer some other way. */
  static void run(GoldenCase c, NormLayer norm, boolean layer) {
    String n = c.name() + ": ";
    int rows = c.rows();
    int size = rows * c.hidden();
    if (c.affine()) {
      norm.weight().set(c.input("weight"));
    }
    if (c.bias()) {
      norm.bias().set(c.input("bias"));
    }
    float[] x = c.input("x");
    float[] y = new float[size];
    float[] mean = new float[rows];
    float[] rstd = new float[rows];
    norm.forwardTraining(x, 0, y, 0, rows, layer ? mean : null, rstd, 0);
    Tolerance.FLOAT.check(n + "y", c.output("y"), y, 0, size);
    if (layer) {
      Tolerance.FLOAT.check(n + "mean", c.output("mean"), mean, 0, rows);
    }
    Tolerance.FLOAT.check(n + "rstd", c.output("rstd"), rstd, 0, rows);

    float[] yInference = new float[size];
    norm.forward(x, 0, yInference, 0, rows);
    assertArrayEquals(y, yInference, n + "inference forward differs from training forward");

    float[] dx = new float[size];
    norm.backward(x, 0, c.input("dy"), 0, dx, 0, rows, layer ? mean : null, rstd, 0);
    Tolerance.FLOAT.check(n + "dx", c.output("dx"), dx, 0, size);
    if (c.affine()) {
      Tolerance.FLOAT.check(n + "dweight", c.output("dweight"), norm.weight().grad(), 0, c.hidden());
    }
    if (c.bias()) {
      Tolerance.FLOAT.check(n + "dbias", c.output("dbias"), norm.bias().grad(), 0, c.hidden());
    }
  }
}
