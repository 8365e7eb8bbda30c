package dev.normforge.experiments.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DenseTest {
  private static final double U = Math.ulp(1f) / 2;

  /** The study's sizes, and odd ones (row and lane tails). */
  private static final int[][] SHAPES = {{5, 37, 21}, {8, 64, 256}, {6, 256, 64}, {3, 32, 64}};

  @Test
  void forwardMatchesFloat64() {
    Random random = new Random(3);
    for (int[] s : SHAPES) {
      Dense layer = layer(s[1], s[2], random);
      float[] x = Float64.gaussian(s[0] * s[1], 1, random);
      float[] y = new float[s[0] * s[2]];
      layer.forward(x, 0, y, 0, s[0]);
      double[] want = Float64.linear(x, layer.weight().value(), layer.bias().value(), s[0], s[1], s[2]);
      double[] scale = Float64.linearMagnitude(x, layer.weight().value(), layer.bias().value(), s[0], s[1], s[2]);
      for (int i = 0; i < y.length; i++) {
        assertTrue(Math.abs(y[i] - want[i]) <= (s[1] + 2) * U * scale[i], "y[" + i + "]");
      }
    }
  }

  /**
   * With {@code loss = Σ g·y}, backward's dW, db and dx are the loss's derivatives: checked against central
   * differences of the float64 forward (exact for a linear map, up to the float64 rounding of the loss).
   */
  @Test
  void backwardMatchesFiniteDifferences() {
    Random random = new Random(4);
    for (int[] s : SHAPES) {
      int rows = s[0];
      int in = s[1];
      int out = s[2];
      Dense layer = layer(in, out, random);
      float[] x = Float64.gaussian(rows * in, 1, random);
      float[] g = Float64.gaussian(rows * out, 1, random);
      float[] w = layer.weight().value();
      float[] b = layer.bias().value();
      java.util.function.DoubleSupplier loss = () -> Float64.dot(Float64.linear(x, w, b, rows, in, out), g);

      float[] dx = new float[rows * in];
      layer.backward(x, 0, g, 0, dx, 0, rows, false);
      // each gradient is a sum of `rows` (dW, db) or `out` (dx) products: judged against n·u·Σ|terms|
      for (int k = 0; k < 40; k++) {
        int i = random.nextInt(w.length);
        int o = i / in;
        int c = i % in;
        double dwScale = 0;
        double dbScale = 0;
        for (int r = 0; r < rows; r++) {
          dwScale += Math.abs((double) g[r * out + o] * x[r * in + c]);
          dbScale += Math.abs(g[r * out + o]);
        }
        assertEquals(Float64.derivative(w, i, 0.01, loss), layer.weight().grad()[i], bound(rows, dwScale), "dW[" + i + "]");
        assertEquals(Float64.derivative(b, o, 0.01, loss), layer.bias().grad()[o], bound(rows, dbScale), "db[" + o + "]");
        int j = random.nextInt(dx.length);
        double dxScale = 0;
        for (int p = 0; p < out; p++) {
          dxScale += Math.abs((double) g[(j / in) * out + p] * w[p * in + j % in]);
        }
        assertEquals(Float64.derivative(x, j, 0.01, loss), dx[j], bound(out, dxScale), "dx[" + j + "]");
      }
    }
  }

  /** A float sum of n terms against n·u·Σ|terms|, plus the finite difference's own rounding (float64, tiny). */
  private static double bound(int n, double scale) {
    return (n + 1) * U * scale + 1e-9;
  }

  @Test
  void backwardAddsIntoDxOnlyWhenAsked() {
    Random random = new Random(5);
    Dense layer = layer(37, 21, random);
    float[] x = Float64.gaussian(5 * 37, 1, random);
    float[] g = Float64.gaussian(5 * 21, 1, random);
    float[] fresh = new float[5 * 37];
    layer.backward(x, 0, g, 0, fresh, 0, 5, false);
    float[] added = Float64.gaussian(5 * 37, 1, random);
    float[] base = added.clone();
    layer.backward(x, 0, g, 0, added, 0, 5, true);
    float[] overwritten = Float64.gaussian(5 * 37, 1, random);
    layer.backward(x, 0, g, 0, overwritten, 0, 5, false);
    for (int i = 0; i < fresh.length; i++) {
      assertEquals(base[i] + fresh[i], added[i], 4 * U * (Math.abs(base[i]) + Math.abs(fresh[i])) + 1e-6, "add " + i);
      assertEquals(fresh[i], overwritten[i], 0.0, "overwrite " + i);
    }
    // three backward calls: the parameter gradients hold three times one call's
    Dense once = layer(37, 21, new Random(5));
    once.backward(x, 0, g, 0, null, 0, 5, false);
    for (int i = 0; i < 37 * 21; i++) {
      float one = once.weight().grad()[i];
      assertEquals(3.0 * one, layer.weight().grad()[i], 8 * U * Math.abs(one) * 3 + 1e-6, "dW accumulates");
    }
  }

  /** dx may be x itself: W's gradient is taken from x before dx overwrites it. */
  @Test
  void dxMayBeX() {
    Random random = new Random(6);
    Dense apart = layer(64, 32, random);
    Dense inPlace = layer(64, 32, new Random(6));
    float[] x = Float64.gaussian(7 * 64, 1, random);
    float[] g = Float64.gaussian(7 * 32, 1, random);
    float[] dx = new float[x.length];
    apart.backward(x, 0, g, 0, dx, 0, 7, false);
    float[] same = x.clone();
    inPlace.backward(same, 0, g, 0, same, 0, 7, false);
    org.junit.jupiter.api.Assertions.assertArrayEquals(dx, same);
    org.junit.jupiter.api.Assertions.assertArrayEquals(apart.weight().grad(), inPlace.weight().grad());
  }

  private static Dense layer(int in, int out, Random random) {
    Dense layer = new Dense("test", in, out);
    layer.initXavier(1, random);
    float[] b = layer.bias().value();
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) random.nextGaussian();
    }
    return layer;
  }
}
