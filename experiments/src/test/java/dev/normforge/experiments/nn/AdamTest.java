package dev.normforge.experiments.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.normforge.runtime.Parameter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamTest {
  private static final double U = Math.ulp(1f) / 2;

  /**
   * 100 steps on two parameters (one with a lane tail), random gradients and a changing learning rate,
   * against the same update in float64:
   * {@code m = b1·m + (1-b1)·g, v = b2·v + (1-b2)·g², θ -= lr/(1-b1^t) · m/(sqrt(v)/sqrt(1-b2^t) + eps)}.
   */
  @Test
  void matchesAFloat64ReferenceStepByStep() {
    Random random = new Random(11);
    Parameter a = parameter("a", 37, random);
    Parameter b = parameter("b", 5, random);
    Adam adam = new Adam(List.of(a, b));
    double[][] theta = {toDouble(a.value()), toDouble(b.value())};
    double[][] m = {new double[37], new double[5]};
    double[][] v = {new double[37], new double[5]};
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    double drift = 0;
    for (int t = 1; t <= 100; t++) {
      double lr = 1e-2 * (1 + Math.sin(t));
      for (Parameter p : List.of(a, b)) {
        float[] g = p.grad();
        for (int i = 0; i < g.length; i++) {
          g[i] = (float) (random.nextGaussian() * (i % 3 == 0 ? 1e-3 : 1));
        }
      }
      adam.step(lr);
      double largestStep = 0;
      int k = 0;
      for (Parameter p : List.of(a, b)) {
        float[] g = p.grad();
        for (int i = 0; i < g.length; i++) {
          m[k][i] = b1 * m[k][i] + (1 - b1) * g[i];
          v[k][i] = b2 * v[k][i] + (1 - b2) * g[i] * g[i];
          double step = lr / (1 - Math.pow(b1, t)) * m[k][i] / (Math.sqrt(v[k][i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps);
          theta[k][i] -= step;
          largestStep = Math.max(largestStep, Math.abs(step));
        }
        k++;
      }
      // per step: a few roundings of the step (relative u each) and the rounding of θ itself (|θ| < 4)
      drift += 8 * U * largestStep + 4 * U * 4;
      for (k = 0; k < 2; k++) {
        float[] got = (k == 0 ? a : b).value();
        for (int i = 0; i < got.length; i++) {
          assertEquals(theta[k][i], got[i], drift, "step " + t + ", parameter " + k + "[" + i + "]");
        }
      }
    }
  }

  /**
   * With bias correction the first step is {@code lr·g/(|g| + eps)}: every parameter moves by lr against its
   * gradient's sign (less by eps/|g| for tiny gradients), whatever the gradient's size.
   */
  @Test
  void firstStepMovesEachParameterByTheLearningRate() {
    Random random = new Random(12);
    Parameter p = parameter("p", 19, random);
    float[] start = p.value().clone();
    for (int i = 0; i < 19; i++) {
      p.grad()[i] = (float) (random.nextGaussian() * Math.pow(10, i % 5 - 2));
    }
    new Adam(List.of(p)).step(0.1);
    for (int i = 0; i < 19; i++) {
      double g = p.grad()[i];
      double want = start[i] - 0.1 * g / (Math.abs(g) + 1e-8);
      assertEquals(want, p.value()[i], 8 * U * (Math.abs(start[i]) + 0.1), "parameter " + i);
    }
  }

  private static Parameter parameter(String name, int size, Random random) {
    Parameter p = new Parameter(name, size, 0f);
    for (int i = 0; i < size; i++) {
      p.value()[i] = (float) random.nextGaussian();
    }
    return p;
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }
}
