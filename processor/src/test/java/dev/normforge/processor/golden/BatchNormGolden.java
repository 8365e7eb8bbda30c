package dev.normforge.processor.golden;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.processor.testing.Tolerance;
import dev.normforge.runtime.BatchNormLayer;

/**
 * {@code batch_norm} cases: a standalone BATCH site with the case's hidden size, eps, momentum and affine.
 * Training forward (y, mean, invstd, updated running mean and variance), eval forward on a fresh layer
 * holding the case's input running statistics (y_eval), and backward (dx, dweight, dbias), all within
 * {@link #TOLERANCE}.
 */
final class BatchNormGolden implements GoldenCheck {
  /** Tighter than {@link Tolerance#FLOAT}: float32 results of well-scaled data. */
  static final Tolerance TOLERANCE = new Tolerance(2e-6, 2e-5);

  @Override
  public void check(GoldenCase c) {
    ModelSource source = ModelSource.model("golden", c.modelName(), "hidden = " + c.hidden())
        .site("BatchNormLayer", "norm", "type = NormType.BATCH, eps = " + c.eps()
            + ", momentum = " + c.number("momentum", 0.1) + ", affine = " + c.affine());
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    ClassLoader loader = Processing.loader(compilation);
    run(c, () -> Processing.instantiate(loader, source.generated("norm"), BatchNormLayer.class));
  }

  /** Makes a fresh layer for each mode. */
  interface Layers {
    BatchNormLayer create();
  }

  static void run(GoldenCase c, Layers layers) {
    String n = c.name() + ": ";
    int rows = c.rows();
    int hidden = c.hidden();
    int size = rows * hidden;
    float[] x = c.input("x");

    BatchNormLayer train = load(c, layers.create());
    float[] y = new float[size];
    float[] mean = new float[hidden];
    float[] invstd = new float[hidden];
    train.forwardTraining(x, 0, y, 0, rows, mean, invstd);
    TOLERANCE.check(n + "y", c.output("y"), y, 0, size);
    TOLERANCE.check(n + "mean", c.output("mean"), mean, 0, hidden);
    TOLERANCE.check(n + "invstd", c.output("invstd"), invstd, 0, hidden);
    TOLERANCE.check(n + "running_mean", c.output("running_mean"), train.runningMean(), 0, hidden);
    TOLERANCE.check(n + "running_var", c.output("running_var"), train.runningVar(), 0, hidden);

    float[] dx = new float[size];
    float[] dy = c.input("dy");
    train.backward(x, 0, dy, 0, dx, 0, rows, mean, invstd);
    TOLERANCE.check(n + "dx", c.output("dx"), dx, 0, size);
    if (c.affine()) {
      TOLERANCE.check(n + "dweight", c.output("dweight"), train.weight().grad(), 0, hidden);
    }
    if (c.bias()) {
      TOLERANCE.check(n + "dbias", c.output("dbias"), train.bias().grad(), 0, hidden);
    }

    // eval uses the running statistics as they were before the training step: a fresh layer
    BatchNormLayer eval = load(c, layers.create());
    float[] yEval = new float[size];
    eval.forwardEval(x, 0, yEval, 0, rows);
    TOLERANCE.check(n + "y_eval", c.output("y_eval"), yEval, 0, size);
    assertArrayEquals(c.input("running_mean"), eval.runningMean(), n + "eval changed the running mean");
    assertArrayEquals(c.input("running_var"), eval.runningVar(), n + "eval changed the running variance");
  }

  /** Sets the case's weight, bias and running statistics on {@code layer}. */
  private static BatchNormLayer load(GoldenCase c, BatchNormLayer layer) {
    if (c.affine()) {
      layer.weight().set(c.input("weight"));
    }
    if (c.bias()) {
      layer.bias().set(c.input("bias"));
    }
    System.arraycopy(c.input("running_mean"), 0, layer.runningMean(), 0, c.hidden());
    System.arraycopy(c.input("running_var"), 0, layer.runningVar(), 0, c.hidden());
    return layer;
  }
}
