package dev.normforge.processor.kernel;

import com.palantir.javapoet.CodeBlock;

/**
 * BatchNorm's four row-range kernels, each one {@link ColumnPass}: the bodies of the abstract methods of
 * the runtime's {@code BatchNormBase}, which does the per-feature arithmetic between them. None depends
 * on the site's affine flags (weight and bias are folded into per-feature coefficients by the caller);
 * what is specialized is the hidden size, so every loop bound is a constant.
 */
public final class BatchNormKernels {
  private BatchNormKernels() {}

  private static String load(String array, String index) {
    return RowNormKernels.load(array, index);
  }

  /**
   * {@code statsRows(x, xOff, r0, r1, shift, sum, sumSq)}: overwrites {@code sum} and {@code sumSq} with
   * {@code Σd} and {@code Σd²} per feature, {@code d = x - shift}.
   */
  public static CodeBlock stats() {
    return ColumnPass.of("Σd and Σd² per feature, d = x - shift: around a shift near the data, the variance "
            + "Σd²/n - (Σd/n)² keeps its digits when the mean dwarfs the spread")
        .rowOffset("xo", "xOff")
        .feature("sh", "shift")
        .step("var d{k} = " + load("x", "xo + {j}") + ".sub(sh{k});", "float d = x[xo + {j}] - sh;")
        .sum("s", "sum", "{acc}.add(d{k})", "d")
        .sum("q", "sumSq", "d{k}.fma(d{k}, {acc})", "d * d")
        .code();
  }

  /** {@code normalizeRows(x, xOff, y, yOff, r0, r1, shift, scale, offset)}: {@code y = (x - shift)·scale + offset}. */
  public static CodeBlock normalize() {
    return ColumnPass.of("y = (x - shift)·scale + offset, per feature")
        .rowOffset("xo", "xOff")
        .rowOffset("yo", "yOff")
        .feature("sh", "shift")
        .feature("sc", "scale")
        .feature("of", "offset")
        .step(load("x", "xo + {j}") + ".sub(sh{k}).fma(sc{k}, of{k}).intoArray(y, yo + {j});",
            "y[yo + {j}] = Math.fma(x[xo + {j}] - sh, sc, of);")
        .code();
  }

  /**
   * {@code gradientSumsRows(x, xOff, dy, dyOff, r0, r1, center, sumDy, sumDyXc, sumXc)}: overwrites the
   * three arrays with {@code Σdy}, {@code Σdy·xc} and {@code Σxc} per feature, {@code xc = x - center}.
   */
  public static CodeBlock gradientSums() {
    return ColumnPass.of("Σdy, Σdy·xc and Σxc per feature, xc = x - center")
        .rowOffset("xo", "xOff")
        .rowOffset("dyo", "dyOff")
        .feature("m", "center")
        .step("var xc{k} = " + load("x", "xo + {j}") + ".sub(m{k});", "float xc = x[xo + {j}] - m;")
        .step("var g{k} = " + load("dy", "dyo + {j}") + ";", "float g = dy[dyo + {j}];")
        .sum("sg", "sumDy", "{acc}.add(g{k})", "g")
        .sum("sgx", "sumDyXc", "g{k}.fma(xc{k}, {acc})", "g * xc")
        .sum("sx", "sumXc", "{acc}.add(xc{k})", "xc")
        .code();
  }

  /**
   * {@code backwardRows(x, xOff, dy, dyOff, dx, dxOff, r0, r1, center, coefA, coefB, coefC)}:
   * {@code dx = a·dy + b·(x - center) + c}.
   */
  public static CodeBlock backward() {
    return ColumnPass.of("dx = a·dy + b·(x - center) + c, per feature")
        .rowOffset("xo", "xOff")
        .rowOffset("dyo", "dyOff")
        .rowOffset("dxo", "dxOff")
        .feature("m", "center")
        .feature("a", "coefA")
        .feature("b", "coefB")
        .feature("c", "coefC")
        .step(load("dy", "dyo + {j}") + ".fma(a{k}, " + load("x", "xo + {j}")
                + ".sub(m{k}).fma(b{k}, c{k})).intoArray(dx, dxo + {j});",
            "dx[dxo + {j}] = Math.fma(dy[dyo + {j}], a, Math.fma(x[xo + {j}] - m, b, c));")
        .code();
  }
}
