package dev.normforge.experiments.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CrossEntropyTest {
  @Test
  void lossAndGradientMatchTheDefinition() {
    Random random = new Random(13);
    int rows = 7;
    int classes = 16;
    float[] z = Float64.gaussian(rows * classes, 3, random);
    int[] targets = new int[rows];
    for (int r = 0; r < rows; r++) {
      targets[r] = random.nextInt(classes);
    }
    double want = 0;
    for (int r = 0; r < rows; r++) {
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(z[r * classes + c]);
      }
      want += Math.log(sum) - z[r * classes + targets[r]];
    }
    float[] grad = new float[z.length];
    assertEquals(want / rows, CrossEntropy.loss(z, targets, rows, classes, grad), 1e-12);
    for (int i = 0; i < z.length; i++) {
      final int index = i;
      double fd = Float64.derivative(z, index, 1e-3, () -> CrossEntropy.loss(z, targets, rows, classes, null));
      assertEquals(fd, grad[i], 1e-7, "dz[" + i + "]");
    }
  }

  @Test
  void largeLogitsDoNotOverflow() {
    float[] z = {1e4f, -1e4f, 0f};
    float[] grad = new float[3];
    double loss = CrossEntropy.loss(z, new int[] {2}, 1, 3, grad);
    assertEquals(1e4, loss, 1e-9);
    assertTrue(Float.isFinite(grad[0]) && grad[0] == 1f && grad[2] == -1f);
  }

  @Test
  void aNaNLogitMakesTheLossNaN() {
    assertTrue(Double.isNaN(CrossEntropy.loss(new float[] {0f, Float.NaN}, new int[] {0}, 1, 2, null)));
  }
}
