package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.normforge.runtime.NormLayer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The generated classes, used as a user's tests would: outputs against the formulas, in double. */
class TinyModelTest {
  private static final int ROWS = 8;

  /** {@code ROWS} rows of N(5, 3²) values, and what {@code norm} makes of them. */
  private record Rows(int hidden, float[] x, float[] y) {
    static Rows through(NormLayer norm, long seed) {
      Random random = new Random(seed);
      float[] x = new float[ROWS * norm.hidden()];
      for (int i = 0; i < x.length; i++) {
        x[i] = 5 + 3 * (float) random.nextGaussian();
      }
      float[] y = new float[x.length];
      norm.forward(x, 0, y, 0, ROWS);
      return new Rows(norm.hidden(), x, y);
    }

    double x(int r, int j) {
      return x[r * hidden + j];
    }

    double y(int r, int j) {
      return y[r * hidden + j];
    }
  }

  @Test
  void layerNormMatchesItsFormula() {
    Rows rows = Rows.through(new TinyModelFinalNorm(), 1);
    int h = rows.hidden();
    assertEquals(64, h);
    for (int r = 0; r < ROWS; r++) {
      double mean = 0;
      for (int j = 0; j < h; j++) {
        mean += rows.x(r, j);
      }
      mean /= h;
      double var = 0;
      for (int j = 0; j < h; j++) {
        var += (rows.x(r, j) - mean) * (rows.x(r, j) - mean);
      }
      double rstd = 1 / Math.sqrt(var / h + 1e-5);
      for (int j = 0; j < h; j++) {
        // weight 1, bias 0: float rounding of a 64-term reduction and of |y| <= ~4
        assertEquals((rows.x(r, j) - mean) * rstd, rows.y(r, j), 1e-5, "row " + r + ", feature " + j);
      }
    }
  }

  @Test
  void rmsNormMatchesItsFormula() {
    Rows rows = Rows.through(new TinyModelAttentionNorm(), 2);
    int h = rows.hidden();
    for (int r = 0; r < ROWS; r++) {
      double square = 0;
      for (int j = 0; j < h; j++) {
        square += rows.x(r, j) * rows.x(r, j);
      }
      double rstd = 1 / Math.sqrt(square / h + 1e-6);
      for (int j = 0; j < h; j++) {
        assertEquals(rows.x(r, j) * rstd, rows.y(r, j), 1e-5, "row " + r + ", feature " + j);
      }
    }
  }
}
