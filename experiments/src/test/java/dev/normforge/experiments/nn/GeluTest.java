package dev.normforge.experiments.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GeluTest {
  private static final double U = Math.ulp(1f) / 2;

  /** The rational tanh is within a few float ulps of Math.tanh everywhere (and exactly ±1 far out, odd). */
  @Test
  void tanhIsWithinAFewUlps() {
    double worst = 0;
    for (double z = -12; z <= 12; z += 1e-3) {
      float zf = (float) z;
      float t = (float) Math.tanh(zf);
      if (t != 0) {
        worst = Math.max(worst, Math.abs(Gelu.tanh(zf) - Math.tanh(zf)) / Math.ulp(Math.abs(t)));
      }
      assertEquals(-Gelu.tanh(zf), Gelu.tanh(-zf), 0.0, "odd at " + zf);
    }
    assertTrue(worst <= 4, "worst error " + worst + " ulps");
    assertEquals(1f, Gelu.tanh(50f), 4 * Math.ulp(1f), "clamped far out");
    assertEquals(-1f, Gelu.tanh(Float.NEGATIVE_INFINITY), 4 * Math.ulp(1f));
    assertEquals(0f, Gelu.tanh(0f), 0.0);
    float tiny = 1e-6f;
    assertEquals(tiny, Gelu.tanh(tiny), 2 * Math.ulp(tiny), "tanh(z) = z near 0, no cancellation");
  }

  @Test
  void forwardMatchesFloat64() {
    Random random = new Random(7);
    int n = 1000 + 7; // a lane tail
    float[] u = Float64.gaussian(n, 3, random);
    float[] g = new float[n + 2];
    g[n] = 42f;
    Gelu.forward(u, 0, g, 0, n);
    for (int i = 0; i < n; i++) {
      double want = Float64.gelu(u[i]);
      // a handful of roundings of values of size |x|, and the tanh's few ulps scaled by x/2
      assertEquals(want, g[i], 16 * U * Math.abs(u[i]) + Float.MIN_NORMAL, "gelu(" + u[i] + ")");
    }
    assertEquals(42f, g[n], 0.0, "wrote past count");
  }

  /** gelu' against central differences of the float64 gelu (step 1e-3: truncation ~1e-7). */
  @Test
  void backwardMatchesFiniteDifferences() {
    Random random = new Random(8);
    int n = 500 + 3;
    float[] u = Float64.gaussian(n, 3, random);
    float[] dg = Float64.gaussian(n, 1, random);
    float[] du = new float[n];
    Gelu.backward(u, 0, dg, 0, du, 0, n);
    for (int i = 0; i < n; i++) {
      float x = u[i];
      double h = 1e-3;
      double fd = (Float64.gelu(x + h) - Float64.gelu(x - h)) / (2 * h);
      assertEquals(fd * dg[i], du[i], (1e-6 + 32 * U * (1 + Math.abs(x))) * Math.abs(dg[i]) * 2, "gelu'(" + x + ")");
    }
    // in place: du may be dg
    float[] same = dg.clone();
    Gelu.backward(u, 0, same, 0, same, 0, n);
    org.junit.jupiter.api.Assertions.assertArrayEquals(du, same);
  }
}
