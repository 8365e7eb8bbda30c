package dev.normforge.experiments.nn;

import java.util.Random;
import java.util.function.DoubleSupplier;

/** Float64 references for the layers' tests: the same formulas in double, and central finite differences. */
final class Float64 {
  static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

  private Float64() {}

  /** {@code y = x·Wᵀ + b}, W {@code [out][in]}. */
  static double[] linear(float[] x, float[] w, float[] b, int rows, int in, int out) {
    double[] y = new double[rows * out];
    for (int r = 0; r < rows; r++) {
      for (int o = 0; o < out; o++) {
        double s = b[o];
        for (int i = 0; i < in; i++) {
          s += (double) x[r * in + i] * w[o * in + i];
        }
        y[r * out + o] = s;
      }
    }
    return y;
  }

  /** Σ|x·w| + |b| per output: the scale of a product's rounding error. */
  static double[] linearMagnitude(float[] x, float[] w, float[] b, int rows, int in, int out) {
    double[] m = new double[rows * out];
    for (int r = 0; r < rows; r++) {
      for (int o = 0; o < out; o++) {
        double s = Math.abs(b[o]);
        for (int i = 0; i < in; i++) {
          s += Math.abs((double) x[r * in + i] * w[o * in + i]);
        }
        m[r * out + o] = s;
      }
    }
    return m;
  }

  /** GELU, tanh approximation, in double with {@code Math.tanh}. */
  static double gelu(double x) {
    return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
  }

  /** The feed-forward sublayer in double: {@code W2·gelu(W1·x + b1) + b2}. */
  static double[] feedForward(float[] x, FeedForward f, int rows) {
    int hidden = f.up().in();
    int inner = f.up().out();
    double[] u = linear(x, f.up().weight().value(), f.up().bias().value(), rows, hidden, inner);
    double[] y = new double[rows * hidden];
    float[] w2 = f.down().weight().value();
    float[] b2 = f.down().bias().value();
    for (int r = 0; r < rows; r++) {
      for (int o = 0; o < hidden; o++) {
        double s = b2[o];
        for (int k = 0; k < inner; k++) {
          s += gelu(u[r * inner + k]) * w2[o * inner + k];
        }
        y[r * hidden + o] = s;
      }
    }
    return y;
  }

  /** Σ g·y: a scalar loss whose gradient with respect to y is g. */
  static double dot(double[] y, float[] g) {
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += y[i] * g[i];
    }
    return s;
  }

  /** {@code d loss / d a[i]} by central differences of step {@code h} (a[i] is restored). */
  static double derivative(float[] a, int i, double h, DoubleSupplier loss) {
    float saved = a[i];
    // the perturbed value must be a float: the step actually taken is what we divide by
    float plus = (float) (saved + h);
    float minus = (float) (saved - h);
    a[i] = plus;
    double up = loss.getAsDouble();
    a[i] = minus;
    double down = loss.getAsDouble();
    a[i] = saved;
    return (up - down) / ((double) plus - minus);
  }

  static float[] gaussian(int n, double std, Random random) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (std * random.nextGaussian());
    }
    return a;
  }
}
