package dev.normforge.experiments.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MatMulTest {
  private static final double U = Math.ulp(1f) / 2; // float's unit roundoff

  /** Shapes with row tails (m % 4 != 0) and lane tails (n not a multiple of the vector length). */
  @Test
  void matchesFloat64OnEveryShapeAndStride() {
    Random random = new Random(1);
    int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {4, 16, 8}, {7, 37, 13}, {9, 64, 256}, {13, 21, 64}};
    for (int[] shape : shapes) {
      int m = shape[0];
      int n = shape[1];
      int depth = shape[2];
      for (boolean transposedA : new boolean[] {false, true}) {
        for (boolean accumulate : new boolean[] {false, true}) {
          float[] a = Float64.gaussian(m * depth, 1, random);
          float[] b = Float64.gaussian(depth * n + 3, 1, random);
          float[] c = Float64.gaussian(m * n + 5, 1, random);
          float[] before = c.clone();
          int ais = transposedA ? 1 : depth;
          int aks = transposedA ? m : 1;
          MatMul.multiply(m, n, depth, a, 0, ais, aks, b, 3, n, c, 5, n, accumulate);
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              double want = accumulate ? before[5 + i * n + j] : 0;
              double magnitude = Math.abs(want);
              for (int k = 0; k < depth; k++) {
                double term = (double) a[i * ais + k * aks] * b[3 + k * n + j];
                want += term;
                magnitude += Math.abs(term);
              }
              double got = c[5 + i * n + j];
              assertTrue(Math.abs(got - want) <= (depth + 1) * U * magnitude,
                  "shape " + m + "x" + n + "x" + depth + ": " + got + " vs " + want);
            }
          }
          for (int i = 0; i < 5; i++) {
            assertTrue(c[i] == before[i], "wrote before the output");
          }
        }
      }
    }
  }

  /**
   * Each output is one fused chain over k: a row computed alone (the one-row loop) and a column computed
   * alone (the scalar loop past the last whole vector) have the same bits as in a product of 7 × 37 (row
   * blocks of four, mostly vectors), accumulating or not.
   */
  @Test
  void outputsDoNotDependOnTheirBlock() {
    Random random = new Random(2);
    int m = 7;
    int n = 37;
    int depth = 19;
    float[] a = Float64.gaussian(m * depth, 1, random);
    float[] b = Float64.gaussian(depth * n, 1, random);
    float[] start = Float64.gaussian(m * n, 1, random);
    for (boolean accumulate : new boolean[] {false, true}) {
      float[] all = start.clone();
      MatMul.multiply(m, n, depth, a, 0, depth, 1, b, 0, n, all, 0, n, accumulate);
      for (int i = 0; i < m; i++) {
        float[] row = start.clone();
        MatMul.multiply(1, n, depth, a, i * depth, depth, 1, b, 0, n, row, i * n, n, accumulate);
        assertArrayEquals(Arrays.copyOfRange(all, i * n, (i + 1) * n), Arrays.copyOfRange(row, i * n, (i + 1) * n),
            "row " + i);
      }
      for (int j = 0; j < n; j++) {
        float[] column = start.clone();
        MatMul.multiply(m, 1, depth, a, 0, depth, 1, b, j, n, column, j, n, accumulate);
        for (int i = 0; i < m; i++) {
          assertTrue(column[i * n + j] == all[i * n + j], "row " + i + ", column " + j);
        }
      }
    }
  }
}
