package dev.normforge.processor.model;

import static dev.normforge.processor.kernel.Expr.load;

import com.palantir.javapoet.CodeBlock;
import dev.normforge.processor.kernel.ColumnPass;
import dev.normforge.processor.kernel.Expr;

/**
 * BatchNorm's recipe: five column passes, the bodies of the runtime base's five row-range kernels, which
 * does the per-feature arithmetic between them. None depends on the site's affine flags (weight and bias
 * are folded into per-feature coefficients by the base); what is specialized is the hidden size, so every
 * loop bound is a constant.
 */
public final class BatchNormRecipe {
  private BatchNormRecipe() {}

  /** {@code sumRows}: overwrites {@code sum} with {@code Σx} per feature (a block's column means follow). */
  public static CodeBlock sum() {
    ColumnPass p = ColumnPass.of("Σx per feature");
    String xo = p.rowOffset("xo", "xOff");
    return p.sum("s", "sum", load("x", xo)).code();
  }

  /** {@code statsRows}: overwrites {@code sum} and {@code sumSq} with {@code Σd} and {@code Σd²} per feature, {@code d = x - shift}. */
  public static CodeBlock stats() {
    ColumnPass p = ColumnPass.of("Σd and Σd² per feature, d = x - shift: around a shift near the data, the variance "
        + "Σd²/n - (Σd/n)² keeps its digits when the mean dwarfs the spread");
    String xo = p.rowOffset("xo", "xOff");
    Expr d = p.let("d", load("x", xo).sub(p.feature("sh", "shift")));
    return p.sum("s", "sum", d).sum("q", "sumSq", d.mul(d)).code();
  }

  /** {@code normalizeRows}: {@code y = (x - shift)·scale + offset}. */
  public static CodeBlock normalize() {
    ColumnPass p = ColumnPass.of("y = (x - shift)·scale + offset, per feature");
    String xo = p.rowOffset("xo", "xOff");
    String yo = p.rowOffset("yo", "yOff");
    Expr sh = p.feature("sh", "shift");
    Expr sc = p.feature("sc", "scale");
    Expr of = p.feature("of", "offset");
    return p.store(load("y", yo), load("x", xo).sub(sh).fma(sc, of)).code();
  }

  /**
   * {@code gradientSumsRows}: overwrites the three arrays with {@code Σdy}, {@code Σdy·xc} and {@code Σxc}
   * per feature, {@code xc = x - center}.
   */
  public static CodeBlock gradientSums() {
    ColumnPass p = ColumnPass.of("Σdy, Σdy·xc and Σxc per feature, xc = x - center");
    String xo = p.rowOffset("xo", "xOff");
    String dyo = p.rowOffset("dyo", "dyOff");
    Expr m = p.feature("m", "center");
    Expr xc = p.let("xc", load("x", xo).sub(m));
    Expr g = p.let("g", load("dy", dyo));
    return p.sum("sg", "sumDy", g).sum("sgx", "sumDyXc", g.mul(xc)).sum("sx", "sumXc", xc).code();
  }

  /**
   * {@code backwardRows}: {@code dx = (dy + b·(x - center) + c)·a}, the factor {@code a = invstd·weight} last,
   * so that no coefficient holds invstd twice (which would over- or underflow at extreme spreads).
   */
  public static CodeBlock backward() {
    ColumnPass p = ColumnPass.of("dx = (dy + b·(x - center) + c)·a, per feature");
    String xo = p.rowOffset("xo", "xOff");
    String dyo = p.rowOffset("dyo", "dyOff");
    String dxo = p.rowOffset("dxo", "dxOff");
    Expr m = p.feature("m", "center");
    Expr a = p.feature("a", "coefA");
    Expr b = p.feature("b", "coefB");
    Expr c = p.feature("c", "coefC");
    return p.store(load("dx", dxo), load("x", xo).sub(m).fma(b, c).add(load("dy", dyo)).mul(a)).code();
  }
}
