package com.example;

import dev.normforge.runtime.NormLayer;
import java.util.Random;

/** Normalizes a few random rows with the generated LayerNorm and prints each row's mean and variance. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    NormLayer norm = new TinyModelFinalNorm();
    int rows = 4;
    int hidden = norm.hidden();
    float[] x = new float[rows * hidden];
    Random random = new Random(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = 3 + 2 * (float) random.nextGaussian();
    }
    float[] y = new float[x.length];
    norm.forward(x, 0, y, 0, rows);
    for (int r = 0; r < rows; r++) {
      double mean = 0;
      double square = 0;
      for (int j = 0; j < hidden; j++) {
        mean += y[r * hidden + j];
        square += (double) y[r * hidden + j] * y[r * hidden + j];
      }
      mean /= hidden;
      System.out.printf("row %d: mean %+.6f, variance %.6f%n", r, mean, square / hidden - mean * mean);
    }
  }
}
