package dev.normforge.experiments.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normforge.runtime.Parameter;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class FeedForwardTest {
  private static final double U = Math.ulp(1f) / 2;
  private static final int HIDDEN = 64;
  private static final int INNER = 256;
  private static final int ROWS = 6;

  @Test
  void forwardMatchesFloat64() {
    Random random = new Random(9);
    FeedForward f = sublayer(random);
    float[] x = Float64.gaussian(ROWS * HIDDEN, 1, random);
    float[] y = new float[ROWS * HIDDEN];
    f.forward(x, 0, y, 0, ROWS);
    double[] want = Float64.feedForward(x, f, ROWS);
    double worst = 0;
    for (int i = 0; i < y.length; i++) {
      worst = Math.max(worst, Math.abs(y[i] - want[i]));
    }
    // two products of 64 and 256 terms of size ~0.1-1: a few hundred u of the outputs' scale (~1)
    assertTrue(worst <= (HIDDEN + INNER) * U * 4, "worst |float - float64| = " + worst);
  }

  /**
   * With {@code loss = Σ g·F(x)}: dIn (added to what dIn held), dW1, db1, dW2 and db2 against central
   * differences of the float64 sublayer.
   */
  @Test
  void backwardMatchesFiniteDifferences() {
    Random random = new Random(10);
    FeedForward f = sublayer(random);
    float[] x = Float64.gaussian(ROWS * HIDDEN, 1, random);
    float[] g = Float64.gaussian(ROWS * HIDDEN, 1, random);
    float[] y = new float[ROWS * HIDDEN];
    f.forward(x, 0, y, 0, ROWS);
    float[] dIn = Float64.gaussian(ROWS * HIDDEN, 1, random);
    float[] before = dIn.clone();
    f.backward(x, 0, g, 0, dIn, 0, ROWS);
    DoubleSupplier loss = () -> Float64.dot(Float64.feedForward(x, f, ROWS), g);

    float[] dx = new float[dIn.length];
    for (int i = 0; i < dx.length; i++) {
      dx[i] = dIn[i] - before[i];
    }
    check("dIn", x, dx, loss, random);
    for (Parameter p : f.parameters()) {
      check(p.name(), p.value(), p.grad(), loss, random);
    }
  }

  /** 30 random entries of {@code grad} against the loss's central differences in {@code values}. */
  private static void check(String name, float[] values, float[] grad, DoubleSupplier loss, Random random) {
    double largest = 0;
    for (float v : grad) {
      largest = Math.max(largest, Math.abs(v));
    }
    assertTrue(largest > 0, name + " is all zero");
    for (int k = 0; k < 30; k++) {
      int i = random.nextInt(values.length);
      double fd = Float64.derivative(values, i, 1e-3, loss);
      // float gradients of sums of up to 256 products: 1e-4 of the tensor's largest entry holds them,
      // and is far below any error of the formula
      assertEquals(fd, grad[i], 1e-4 * largest, name + "[" + i + "]");
    }
  }

  private static FeedForward sublayer(Random random) {
    FeedForward f = new FeedForward(HIDDEN, INNER);
    f.init(1, random);
    for (Parameter p : f.parameters()) {
      if (p.name().endsWith("bias")) {
        float[] b = p.value();
        for (int i = 0; i < b.length; i++) {
          b[i] = (float) (0.1 * random.nextGaussian());
        }
      }
    }
    return f;
  }
}
