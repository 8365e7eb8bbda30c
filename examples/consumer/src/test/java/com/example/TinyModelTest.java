package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.normforge.runtime.NormLayer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The generated classes, used as a user's tests would: outputs against the formulas, in double. */
class TinyModelTest {
  private static final int ROWS = 8;

  private static float[] gaussian(int n, long seed) {
    Random random = new Random(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = 5 + 3 * (float) random.nextGaussian();
    }
    return a;
  }

  @Test
  void layerNormMatchesItsFormula() {
    NormLayer norm = new TinyModelFinalNorm();
    int h = norm.hidden();
    assertEquals(64, h);
    float[] x = gaussian(ROWS * h, 1);
    float[] y = new float[x.length];
    norm.forward(x, 0, y, 0, ROWS);
    for (int r = 0; r < ROWS; r++) {
      double mean = 0;
      for (int j = 0; j < h; j++) {
        mean += x[r * h + j];
      }
      mean /= h;
      double var = 0;
      for (int j = 0; j < h; j++) {
        var += (x[r * h + j] - mean) * (x[r * h + j] - mean);
      }
      double rstd = 1 / Math.sqrt(var / h + 1e-5);
      for (int j = 0; j < h; j++) {
        // weight 1, bias 0: float rounding of a 64-term reduction and of |y| <= ~4
        assertEquals((x[r * h + j] - mean) * rstd, y[r * h + j], 1e-5, "row " + r + ", feature " + j);
      }
    }
  }

  @Test
  void rmsNormMatchesItsFormula() {
    NormLayer norm = new TinyModelAttentionNorm();
    int h = norm.hidden();
    float[] x = gaussian(ROWS * h, 2);
    float[] y = new float[x.length];
    norm.forward(x, 0, y, 0, ROWS);
    for (int r = 0; r < ROWS; r++) {
      double square = 0;
      for (int j = 0; j < h; j++) {
        square += (double) x[r * h + j] * x[r * h + j];
      }
      double rstd = 1 / Math.sqrt(square / h + 1e-6);
      for (int j = 0; j < h; j++) {
        assertEquals(x[r * h + j] * rstd, y[r * h + j], 1e-5, "row " + r + ", feature " + j);
      }
    }
  }
}
