package dev.normforge.testing;

import dev.normforge.runtime.Sublayer;

/**
 * The float64 oracle: every formula the generated kernels compute, written plainly in double precision
 * with no attempt at speed. Tests compare generated float kernels against it; so does the sample.
 *
 * <p>Arrays are row-major, {@code rows × hidden}, starting at index 0. A null {@code weight} or
 * {@code bias} means the norm has none. Outputs are written into caller-provided double arrays; gradient
 * outputs ({@code dweight}, {@code dbias}) are overwritten, not accumulated.
 */
public final class Reference {
  private Reference() {}

  /**
   * LayerNorm forward: {@code y = (x - mean)·rstd·weight + bias}, {@code rstd = 1/sqrt(var + eps)}, mean
   * and biased variance over each row. {@code mean} and {@code rstd} (length rows) may be null.
   */
  public static void layerNorm(
      float[] x, int rows, int hidden, float[] weight, float[] bias, double eps,
      double[] y, double[] mean, double[] rstd) {
    rowNorm(true, x, rows, hidden, weight, bias, eps, y, mean, rstd);
  }

  /** RMSNorm forward: {@code y = x·rstd·weight (+ bias)}, {@code rstd = 1/sqrt(mean(x²) + eps)}. */
  public static void rmsNorm(
      float[] x, int rows, int hidden, float[] weight, float[] bias, double eps, double[] y, double[] rstd) {
    rowNorm(false, x, rows, hidden, weight, bias, eps, y, null, rstd);
  }

  /**
   * LayerNorm backward with {@code g = dy·weight} and {@code xhat = (x - mean)·rstd}:
   * {@code dx = rstd·(g - mean(g) - xhat·mean(g·xhat))}, {@code dweight = Σ_rows dy·xhat},
   * {@code dbias = Σ_rows dy}. {@code dweight}/{@code dbias} may be null.
   */
  public static void layerNormBackward(
      float[] x, float[] dy, int rows, int hidden, float[] weight, double eps,
      double[] dx, double[] dweight, double[] dbias) {
    rowNormBackward(true, x, dy, rows, hidden, weight, eps, dx, dweight, dbias);
  }

  /**
   * RMSNorm backward with {@code g = dy·weight} and {@code xhat = x·rstd}:
   * {@code dx = rstd·(g - xhat·mean(g·xhat))}, {@code dweight = Σ_rows dy·xhat}, {@code dbias = Σ_rows dy}.
   */
  public static void rmsNormBackward(
      float[] x, float[] dy, int rows, int hidden, float[] weight, double eps,
      double[] dx, double[] dweight, double[] dbias) {
    rowNormBackward(false, x, dy, rows, hidden, weight, eps, dx, dweight, dbias);
  }

  /**
   * A row norm's configuration: LayerNorm ({@code centered}) or RMSNorm, its weight and bias (either may be
   * null), a zero-centred weight's offset (the weight multiplies as {@code weight + weightOffset}), the
   * number of leading features its statistics read (partial RMSNorm; {@code hidden} for all) and eps.
   */
  public record Norm(boolean centered, float[] weight, float[] bias, double weightOffset, int statFeatures,
      double eps) {
    /** Plain LayerNorm ({@code centered}) or RMSNorm over all {@code hidden} features. */
    public static Norm of(boolean centered, int hidden, float[] weight, float[] bias, double eps) {
      return new Norm(centered, weight, bias, 0, hidden, eps);
    }

    double w(int j) {
      return weight == null ? 1 : weight[j] + weightOffset;
    }
  }

  /** The row norm {@code norm} forward; {@code mean} and {@code rstd} (per row) may be null. */
  public static void rowNorm(Norm norm, float[] x, int rows, int hidden, double[] y, double[] mean, double[] rstd) {
    normD(norm, toDouble(x, rows * hidden), rows, hidden, y, mean, rstd);
  }

  /** The row norm {@code norm} backward; {@code dweight}/{@code dbias} (overwritten) may be null. */
  public static void rowNormBackward(Norm norm, float[] x, float[] dy, int rows, int hidden, double[] dx,
      double[] dweight, double[] dbias) {
    int n = rows * hidden;
    normBackwardD(norm, toDouble(x, n), toDouble(dy, n), rows, hidden, dx, dweight, dbias);
  }

  /** LayerNorm ({@code centered}) or RMSNorm forward of one kind, shared by both. */
  public static void rowNorm(
      boolean centered, float[] x, int rows, int hidden, float[] weight, float[] bias, double eps,
      double[] y, double[] mean, double[] rstd) {
    normD(Norm.of(centered, hidden, weight, bias, eps), toDouble(x, rows * hidden), rows, hidden, y, mean, rstd);
  }

  /** LayerNorm ({@code centered}) or RMSNorm backward, shared by both. */
  public static void rowNormBackward(
      boolean centered, float[] x, float[] dy, int rows, int hidden, float[] weight, double eps,
      double[] dx, double[] dweight, double[] dbias) {
    int n = rows * hidden;
    normBackwardD(Norm.of(centered, hidden, weight, null, eps), toDouble(x, n), toDouble(dy, n), rows, hidden, dx,
        dweight, dbias);
  }

  // ---------------------------------------------------------------------------------------------------
  // Residual blocks

  /**
   * A sublayer evaluated in double precision, for the reference blocks: {@link #forward} overwrites
   * {@code out}; {@link #backward} ADDS into {@code dIn} (as {@link Sublayer#backward}) and accumulates its
   * own parameters' gradients wherever it keeps them.
   */
  public interface DoubleSublayer {
    /** {@code out = F(in)} for {@code rows × hidden} row-major values. */
    void forward(double[] in, double[] out, int rows, int hidden);

    /** Adds {@code dOut·∂F/∂in} into {@code dIn}; accumulates parameter gradients. */
    void backward(double[] in, double[] dOut, double[] dIn, int rows, int hidden);
  }

  /**
   * {@code F(h) = act(h·Wᵀ + b)} in double precision, with {@code W} row-major {@code [hidden][hidden]}
   * (float32 values, as a float layer holds them), optional {@code b}, and {@code act} tanh or the
   * identity: the golden cases' sublayer ({@code tanh(h·Wᵀ)}) and {@link Linear}'s. Gradients accumulate in
   * {@link #dw} and {@link #db}.
   */
  public static final class Dense implements DoubleSublayer {
    private final float[] w;
    private final float[] b;
    private final boolean tanh;
    /** The accumulated gradient of W, row-major like W. */
    public final double[] dw;
    /** The accumulated gradient of b, or null when there is no bias. */
    public final double[] db;

    /** {@code act(h·Wᵀ + b)}: {@code b} may be null; {@code tanh} picks the activation. */
    public Dense(float[] w, float[] b, boolean tanh) {
      this.w = w;
      this.b = b;
      this.tanh = tanh;
      this.dw = new double[w.length];
      this.db = b == null ? null : new double[b.length];
    }

    /** The golden cases' sublayer, {@code tanh(h·Wᵀ)}. */
    public static Dense tanh(float[] w) {
      return new Dense(w, null, true);
    }

    /** {@link Linear}'s forward, {@code h·Wᵀ + b}, of a layer's current values. */
    public static Dense of(Linear linear) {
      return new Dense(linear.weight().value(), linear.bias() == null ? null : linear.bias().value(), false);
    }

    @Override
    public void forward(double[] in, double[] out, int rows, int hidden) {
      for (int r = 0; r < rows; r++) {
        for (int i = 0; i < hidden; i++) {
          double z = b == null ? 0 : b[i];
          for (int j = 0; j < hidden; j++) {
            z += in[r * hidden + j] * w[i * hidden + j];
          }
          out[r * hidden + i] = tanh ? Math.tanh(z) : z;
        }
      }
    }

    @Override
    public void backward(double[] in, double[] dOut, double[] dIn, int rows, int hidden) {
      double[] y = new double[rows * hidden];
      if (tanh) {
        forward(in, y, rows, hidden);
      }
      for (int r = 0; r < rows; r++) {
        for (int i = 0; i < hidden; i++) {
          double t = y[r * hidden + i];
          double dz = dOut[r * hidden + i] * (tanh ? 1 - t * t : 1);
          if (db != null) {
            db[i] += dz;
          }
          for (int j = 0; j < hidden; j++) {
            dIn[r * hidden + j] += dz * w[i * hidden + j];
            dw[i * hidden + j] += dz * in[r * hidden + j];
          }
        }
      }
    }
  }

  /**
   * A residual block's forward in double precision: Pre-Norm ({@code pre}) {@code out = alpha·x + F(norm(x))},
   * Post-Norm {@code out = norm(alpha·x + F(x))}, with LayerNorm ({@code centered}) or RMSNorm.
   */
  public static void block(
      boolean pre, boolean centered, float[] x, int rows, int hidden, double alpha,
      float[] weight, float[] bias, double eps, DoubleSublayer f, double[] out) {
    int n = rows * hidden;
    double[] xd = toDouble(x, n);
    double[] t = new double[n];
    if (pre) {
      normD(Norm.of(centered, hidden, weight, bias, eps), xd, rows, hidden, t, null, null);
      f.forward(t, out, rows, hidden);
      for (int i = 0; i < n; i++) {
        out[i] += alpha * xd[i];
      }
    } else {
      f.forward(xd, t, rows, hidden);
      for (int i = 0; i < n; i++) {
        t[i] += alpha * xd[i];
      }
      normD(Norm.of(centered, hidden, weight, bias, eps), t, rows, hidden, out, null, null);
    }
  }

  /**
   * The backward of {@link #block} at {@code x} given {@code dout}: overwrites {@code dx} (through both the
   * residual and the sublayer path) and {@code dweight}/{@code dbias} (either may be null); {@code f}
   * accumulates its own gradients.
   */
  public static void blockBackward(
      boolean pre, boolean centered, float[] x, float[] dout, int rows, int hidden, double alpha,
      float[] weight, float[] bias, double eps, DoubleSublayer f,
      double[] dx, double[] dweight, double[] dbias) {
    int n = rows * hidden;
    double[] xd = toDouble(x, n);
    double[] dy = toDouble(dout, n);
    if (pre) {
      double[] h = new double[n];
      normD(Norm.of(centered, hidden, weight, bias, eps), xd, rows, hidden, h, null, null);
      double[] dh = new double[n];
      f.backward(h, dy, dh, rows, hidden);
      normBackwardD(Norm.of(centered, hidden, weight, bias, eps), xd, dh, rows, hidden, dx, dweight, dbias);
      for (int i = 0; i < n; i++) {
        dx[i] += alpha * dy[i];
      }
    } else {
      double[] s = new double[n];
      f.forward(xd, s, rows, hidden);
      for (int i = 0; i < n; i++) {
        s[i] += alpha * xd[i];
      }
      double[] ds = new double[n];
      normBackwardD(Norm.of(centered, hidden, weight, bias, eps), s, dy, rows, hidden, ds, dweight, dbias);
      for (int i = 0; i < n; i++) {
        dx[i] = alpha * ds[i];
      }
      f.backward(xd, ds, dx, rows, hidden);
    }
  }

  /** A Sandwich block's forward in double precision: {@code out = alpha·x + norm2(F(norm1(x)))}. */
  public static void sandwichBlock(Norm norm1, Norm norm2, float[] x, int rows, int hidden, double alpha,
      DoubleSublayer f, double[] out) {
    int n = rows * hidden;
    double[] xd = toDouble(x, n);
    double[] h = new double[n];
    double[] fh = new double[n];
    normD(norm1, xd, rows, hidden, h, null, null);
    f.forward(h, fh, rows, hidden);
    normD(norm2, fh, rows, hidden, out, null, null);
    for (int i = 0; i < n; i++) {
      out[i] += alpha * xd[i];
    }
  }

  /**
   * The backward of {@link #sandwichBlock}: overwrites {@code dx} and the four parameter gradients (any may
   * be null); {@code f} accumulates its own.
   */
  public static void sandwichBlockBackward(Norm norm1, Norm norm2, float[] x, float[] dout, int rows, int hidden,
      double alpha, DoubleSublayer f, double[] dx, double[] dweight, double[] dbias, double[] dweight2,
      double[] dbias2) {
    int n = rows * hidden;
    double[] xd = toDouble(x, n);
    double[] dy = toDouble(dout, n);
    double[] h = new double[n];
    double[] fh = new double[n];
    normD(norm1, xd, rows, hidden, h, null, null);
    f.forward(h, fh, rows, hidden);
    double[] dfh = new double[n];
    normBackwardD(norm2, fh, dy, rows, hidden, dfh, dweight2, dbias2);
    double[] dh = new double[n];
    f.backward(h, dfh, dh, rows, hidden);
    normBackwardD(norm1, xd, dh, rows, hidden, dx, dweight, dbias);
    for (int i = 0; i < n; i++) {
      dx[i] += alpha * dy[i];
    }
  }

  private static double[] toDouble(float[] a, int n) {
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = a[i];
    }
    return d;
  }

  /** Row norm of double inputs; {@code mean} and {@code rstd} (per row) may be null. */
  private static void normD(Norm norm, double[] x, int rows, int hidden, double[] y, double[] mean, double[] rstd) {
    for (int r = 0; r < rows; r++) {
      int o = r * hidden;
      double m = norm.centered() ? meanD(x, o, hidden) : 0;
      double rs = rstdD(x, o, norm.statFeatures(), m, norm.eps());
      for (int j = 0; j < hidden; j++) {
        y[o + j] = (x[o + j] - m) * rs * norm.w(j) + (norm.bias() == null ? 0 : norm.bias()[j]);
      }
      if (mean != null) {
        mean[r] = m;
      }
      if (rstd != null) {
        rstd[r] = rs;
      }
    }
  }

  /**
   * With {@code g = dy·w}, {@code xhat = (x - mean)·rstd} and rstd read from the first {@code k} features:
   * {@code dx = rstd·(g - mean(g) - xhat·Σ(g·xhat)/k·[j < k])} (LayerNorm reads all, {@code k = hidden}).
   */
  private static void normBackwardD(Norm norm, double[] x, double[] dy, int rows, int hidden, double[] dx,
      double[] dweight, double[] dbias) {
    if (dweight != null) {
      java.util.Arrays.fill(dweight, 0);
    }
    if (dbias != null) {
      java.util.Arrays.fill(dbias, 0);
    }
    int k = norm.statFeatures();
    double[] xhat = new double[hidden];
    double[] g = new double[hidden];
    for (int r = 0; r < rows; r++) {
      int o = r * hidden;
      double m = norm.centered() ? meanD(x, o, hidden) : 0;
      double rs = rstdD(x, o, k, m, norm.eps());
      double sumG = 0;
      double sumGx = 0;
      for (int j = 0; j < hidden; j++) {
        xhat[j] = (x[o + j] - m) * rs;
        g[j] = dy[o + j] * norm.w(j);
        sumG += g[j];
        sumGx += g[j] * xhat[j];
        if (dweight != null) {
          dweight[j] += dy[o + j] * xhat[j];
        }
        if (dbias != null) {
          dbias[j] += dy[o + j];
        }
      }
      double meanG = norm.centered() ? sumG / hidden : 0;
      double meanGx = sumGx / k;
      for (int j = 0; j < hidden; j++) {
        dx[o + j] = rs * (g[j] - meanG - (j < k ? xhat[j] * meanGx : 0));
      }
    }
  }

  private static double meanD(double[] x, int o, int n) {
    double s = 0;
    for (int j = 0; j < n; j++) {
      s += x[o + j];
    }
    return s / n;
  }

  /**
   * {@code 1/sqrt(Σ(x - center)²/n + eps)} in plain double arithmetic, independent of the kernels' scaled
   * slow path: the square of any difference of float values fits in double's range, so nothing over- or
   * underflows. NaN for a row holding NaN or infinity (as PyTorch); {@code 1/sqrt(eps)} for a constant row.
   */
  private static double rstdD(double[] x, int o, int n, double center, double eps) {
    double s = 0;
    for (int j = 0; j < n; j++) {
      double d = x[o + j] - center;
      s += d * d;
    }
    if (!Double.isFinite(s)) {
      return Double.NaN;
    }
    return 1.0 / Math.sqrt(s / n + eps);
  }
}
