package dev.normforge.processor.kernel;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;

/**
 * LayerNorm and RMSNorm over one row, composed from {@link RowPass}es. Each method returns statements for
 * the body of a loop over rows, in which {@code r} is the row and the row's offsets are locals (see each
 * method). The generated class provides {@code HIDDEN}, {@code EPS}, the loop constants of
 * {@link Vectors}, and {@code weight}/{@code bias} float arrays when the norm has them.
 *
 * <p>Variance is computed by the corrected two-pass algorithm around a first estimate {@code m} of the
 * mean: {@code var = Σd²/n - (Σd/n)²} with {@code d = x - m}. It stays accurate when the mean is large
 * against the spread, where one-pass {@code E[x²] - mean²} loses every digit. Rows where float cannot be
 * trusted (squares that over- or underflow, a constant row, NaN or infinity) take a double-precision
 * slow path in {@code RowStats}.
 */
public final class RowNormKernels {
  private RowNormKernels() {}

  private static final ClassName ROW_STATS = ClassName.get("dev.normforge.runtime", "RowStats");

  /** What a row norm's kernels depend on. */
  public record Config(boolean centered, boolean weight, boolean bias) {}

  /** {@code FloatVector.fromArray(SPECIES, array, index)}. */
  public static String load(String array, String index) {
    return "FloatVector.fromArray(SPECIES, " + array + ", " + index + ")";
  }

  /**
   * Statistics of the row of {@code src} at offset {@code so}: declares {@code float m, shift, rs} with
   * {@code mean = m + shift} ({@code 0} for RMSNorm) and {@code rs = 1/sqrt(var + eps)}.
   */
  public static CodeBlock statistics(Config c, String src, String so) {
    return CodeBlock.builder().add(firstPass(c, src, so, "").code()).add(statisticsAfterFirstPass(c, src, so)).build();
  }

  /**
   * The first pass of {@link #statistics} alone: declares {@code float sum} (LayerNorm) or {@code float
   * sumSq} (RMSNorm), each name prefixed by {@code prefix} ({@code "next"} gives {@code nextSum}). Fused into
   * the previous row's last pass it reads the next row from memory while that pass runs from cache.
   */
  public static RowPass firstPass(Config c, String src, String so, String prefix) {
    String x = load(src, so + " + {j}");
    String xs = src + "[" + so + " + {j}]";
    if (c.centered()) {
      return RowPass.of("pass 1: a first estimate of the mean")
          .sum(named(prefix, "sum"), "{acc}.add(" + x + ")", "" + xs);
    }
    return RowPass.of("pass 1: Σx²")
        .step("var " + prefix + "v{k} = " + x + ";", "float " + prefix + "v = " + xs + ";")
        .sum(named(prefix, "sumSq"), prefix + "v{k}.fma(" + prefix + "v{k}, {acc})", prefix + "v * " + prefix + "v");
  }

  /** The name of {@link #firstPass}'s sum: {@code sum}/{@code sumSq}, or {@code nextSum}/... with a prefix. */
  public static String firstPassSum(Config c, String prefix) {
    return named(prefix, c.centered() ? "sum" : "sumSq");
  }

  private static String named(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  /** {@link #statistics} after its first pass, whose sum ({@link #firstPassSum}) is in scope. */
  public static CodeBlock statisticsAfterFirstPass(Config c, String src, String so) {
    CodeBlock.Builder b = CodeBlock.builder();
    String x = load(src, so + " + {j}");
    String xs = src + "[" + so + " + {j}]";
    if (c.centered()) {
      b.addStatement("float m = sum / HIDDEN");
      b.add(RowPass.of("pass 2: d = x - m; Σd and Σd² (corrected two-pass: exact even when the mean dwarfs the spread)")
          .step("var d{k} = " + x + ".sub(m);", "float d = " + xs + " - m;")
          .sum("dev", "{acc}.add(d{k})", "d")
          .sum("devSq", "d{k}.fma(d{k}, {acc})", "d * d")
          .code());
      b.addStatement("float shift = dev / HIDDEN");
      b.addStatement("float rs");
      b.beginControlFlow("if (devSq > MIN_SAFE_SUM && devSq < MAX_SAFE_SUM)");
      b.addStatement("rs = (float) (1.0 / Math.sqrt(Math.max(0.0, (double) devSq / HIDDEN - (double) shift * shift) + EPS))");
      b.nextControlFlow("else");
      b.add("// a constant row, squares that under- or overflow float, NaN or infinity: statistics in double\n");
      b.addStatement("double md = $T.mean($L, $L, HIDDEN)", ROW_STATS, src, so);
      b.addStatement("m = (float) md");
      b.addStatement("shift = (float) (md - m)");
      b.addStatement("rs = (float) $T.rstd($L, $L, HIDDEN, md, EPS)", ROW_STATS, src, so);
      b.endControlFlow();
    } else {
      b.addStatement("float rs");
      b.beginControlFlow("if (sumSq > MIN_SAFE_SUM && sumSq < MAX_SAFE_SUM)");
      b.addStatement("rs = (float) (1.0 / Math.sqrt((double) sumSq / HIDDEN + EPS))");
      b.nextControlFlow("else");
      b.add("// an all-zero row, squares that under- or overflow float, NaN or infinity: statistics in double\n");
      b.addStatement("rs = (float) $T.rstd($L, $L, HIDDEN, 0.0, EPS)", ROW_STATS, src, so);
      b.endControlFlow();
    }
    return b.build();
  }

  /**
   * Writes {@code y = (src - mean)·rs·weight + bias} for the row of {@code src} at {@code so} into
   * {@code dst} at {@code dO}; needs the locals of {@link #statistics}.
   */
  public static CodeBlock normalize(Config c, String src, String so, String dst, String dO) {
    return normalize(c, src, so, dst, dO, null);
  }

  /**
   * {@link #normalize}, with {@code fused} (when not null) done in the same loop: the next row's
   * {@link #firstPass}, software-pipelined so that memory streams while this row's last pass runs.
   */
  public static CodeBlock normalize(Config c, String src, String so, String dst, String dO, RowPass fused) {
    String x = load(src, so + " + {j}");
    String xs = src + "[" + so + " + {j}]";
    String vector = c.centered() ? x + ".sub(m).fma(rs, c)" : x + ".mul(rs)";
    String scalar = c.centered() ? "(" + xs + " - m) * rs + c" : xs + " * rs";
    if (c.weight() && c.bias()) {
      vector += ".fma(" + load("weight", "{j}") + ", " + load("bias", "{j}") + ")";
      scalar = "(" + scalar + ") * weight[{j}] + bias[{j}]";
    } else if (c.weight()) {
      vector += ".mul(" + load("weight", "{j}") + ")";
      scalar = "(" + scalar + ") * weight[{j}]";
    } else if (c.bias()) {
      vector += ".add(" + load("bias", "{j}") + ")";
      scalar = scalar + " + bias[{j}]";
    }
    CodeBlock.Builder b = CodeBlock.builder();
    if (c.centered()) {
      b.addStatement("float c = -shift * rs");
    }
    String formula = c.centered() ? "(x - mean)·rstd" : "x·rstd";
    formula += c.weight() ? "·weight" : "";
    formula += c.bias() ? " + bias" : "";
    RowPass pass = RowPass.of("pass " + (c.centered() ? 3 : 2) + ": y = " + formula
            + (fused == null ? "" : "; with pass 1 of the next row"))
        .step(vector + ".intoArray(" + dst + ", " + dO + " + {j});", dst + "[" + dO + " + {j}] = " + scalar + ";");
    b.add((fused == null ? pass : pass.fuse(fused)).code());
    return b.build();
  }

  /**
   * The backward of one row: reads {@code x} at {@code xo}, {@code dy} at {@code dyo}, the row's saved
   * {@code m} (LayerNorm) and {@code rs} (locals the caller declares), and writes
   * {@code dx = rstd·(g - mean(g) - xhat·mean(g·xhat))} with {@code g = dy·weight} at {@code dxo}, adding
   * {@code dy·xhat} into {@code dweight} and {@code dy} into {@code dbias}.
   *
   * @param residual when not null, the name of an array (at offset {@code dxo}) whose values times
   *     {@code alpha} are added to dx in the same pass: the residual path of a Pre-Norm block
   */
  public static CodeBlock backward(Config c, String residual) {
    String x = load("x", "xo + {j}");
    String xs = "x[xo + {j}]";
    String g = c.weight() ? load("dy", "dyo + {j}") + ".mul(" + load("weight", "{j}") + ")" : load("dy", "dyo + {j}");
    String gs = c.weight() ? "dy[dyo + {j}] * weight[{j}]" : "dy[dyo + {j}]";
    CodeBlock.Builder b = CodeBlock.builder();
    if (c.centered()) {
      b.add(RowPass.of("pass 1: xhat = (x - mean)·rstd, g = dy" + (c.weight() ? "·weight" : "") + "; Σg, Σg·xhat, Σxhat")
          .step("var xh{k} = " + x + ".sub(m).mul(rs);", "float xh = (" + xs + " - m) * rs;")
          .step("var g{k} = " + g + ";", "float g = " + gs + ";")
          .sum("sumG", "{acc}.add(g{k})", "g")
          .sum("sumGx", "g{k}.fma(xh{k}, {acc})", "g * xh")
          .sum("sumX", "{acc}.add(xh{k})", "xh")
          .code());
      b.add("// the saved mean was rounded to float: e re-centres xhat exactly (Σxhat = 0)\n");
      b.addStatement("float e = sumX / HIDDEN");
      b.addStatement("float meanG = sumG / HIDDEN");
      b.addStatement("float meanGx = (sumGx - e * sumG) / HIDDEN");
    } else {
      b.add(RowPass.of("pass 1: g = dy" + (c.weight() ? "·weight" : "") + "; Σg·x")
          .step("var g{k} = " + g + ";", "float g = " + gs + ";")
          .sum("sumGx", "g{k}.fma(" + x + ", {acc})", "g * " + xs)
          .code());
      b.addStatement("float meanGx = sumGx * rs / HIDDEN");
    }
    b.addStatement("var negMeanGx = $T.broadcast(SPECIES, -meanGx)", Vectors.FLOAT_VECTOR);
    RowPass pass2 = RowPass.of("pass 2: dx = rstd·(g" + (c.centered() ? " - mean(g)" : "")
        + " - xhat·mean(g·xhat))" + (residual != null ? " + alpha·" + residual : "")
        + (c.weight() ? "; dweight += dy·xhat" : "") + (c.bias() ? "; dbias += dy" : ""));
    pass2.step("var dy{k} = " + load("dy", "dyo + {j}") + ";", "float dyv = dy[dyo + {j}];");
    pass2.step("var xh{k} = " + x + (c.centered() ? ".sub(m).mul(rs).sub(e);" : ".mul(rs);"),
        "float xh = " + (c.centered() ? "(" + xs + " - m) * rs - e;" : xs + " * rs;"));
    String gv = c.weight() ? "dy{k}.mul(" + load("weight", "{j}") + ")" : "dy{k}";
    String gsc = c.weight() ? "dyv * weight[{j}]" : "dyv";
    String dxv = "xh{k}.fma(negMeanGx, " + gv + (c.centered() ? ".sub(meanG)" : "") + ").mul(rs)";
    String dxs = "(" + gsc + (c.centered() ? " - meanG" : "") + " - xh * meanGx) * rs";
    if (residual != null) {
      dxv = load(residual, "dxo + {j}") + ".mul(ALPHA).add(" + dxv + ")";
      dxs = residual + "[dxo + {j}] * ALPHA + " + dxs;
    }
    pass2.step(dxv + ".intoArray(dx, dxo + {j});", "dx[dxo + {j}] = " + dxs + ";");
    if (c.weight()) {
      pass2.step("dy{k}.fma(xh{k}, " + load("dweight", "{j}") + ").intoArray(dweight, {j});",
          "dweight[{j}] += dyv * xh;");
    }
    if (c.bias()) {
      pass2.step("dy{k}.add(" + load("dbias", "{j}") + ").intoArray(dbias, {j});", "dbias[{j}] += dyv;");
    }
    b.add(pass2.code());
    return b.build();
  }
}
