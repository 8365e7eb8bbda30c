package dev.normforge.processor.kernel;

import com.palantir.javapoet.CodeBlock;
import dev.normforge.processor.contract.RuntimeTypes;

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
   * The fused residual add and the statistics of its result: writes {@code s = alpha·x + f} for the row
   * ({@code x} at {@code xo}, {@code f} at {@code fo}, {@code s} at {@code so}) in the same pass that sums it
   * (Σs for LayerNorm, Σs² for RMSNorm), then declares the locals of {@link #statistics} for {@code s}. The
   * class provides {@code float ALPHA_F}; {@code s} may be the same row as {@code x} or {@code f}.
   */
  public static CodeBlock addStatistics(Config c, String x, String xo, String f, String fo, String s, String so) {
    RowPass first = RowPass.of("pass 1: s = alpha·x + f, written for the backward and the next passes; "
            + (c.centered() ? "Σs, a first estimate of the mean" : "Σs²"))
        .step("var v{k} = alpha.fma(" + load(x, xo + " + {j}") + ", " + load(f, fo + " + {j}") + ");",
            "float v = Math.fma(ALPHA_F, " + x + "[" + xo + " + {j}], " + f + "[" + fo + " + {j}]);")
        .step("v{k}.intoArray(" + s + ", " + so + " + {j});", s + "[" + so + " + {j}] = v;");
    if (c.centered()) {
      first.sum("sum", "{acc}.add(v{k})", "v");
    } else {
      first.sum("sumSq", "v{k}.fma(v{k}, {acc})", "v * v");
    }
    CodeBlock pass = CodeBlock.builder()
        .addStatement("var alpha = $T.broadcast(SPECIES, ALPHA_F)", Vectors.FLOAT_VECTOR)
        .add(first.code())
        .build();
    return statisticsAfter(c, pass, s, so);
  }

  /**
   * {@code y = alpha·x + y} for the row of {@code x} at {@code xo} and {@code y} at {@code yo}: the residual
   * add of a Pre-Norm block, after the sublayer wrote {@code y}. The class provides {@code float ALPHA_F}.
   */
  public static CodeBlock residualAdd(String x, String xo, String y, String yo) {
    return CodeBlock.builder()
        .addStatement("var alpha = $T.broadcast(SPECIES, ALPHA_F)", Vectors.FLOAT_VECTOR)
        .add(RowPass.of("out = alpha·x + F(h)")
            .step("alpha.fma(" + load(x, xo + " + {j}") + ", " + load(y, yo + " + {j}") + ").intoArray(" + y
                    + ", " + yo + " + {j});",
                y + "[" + yo + " + {j}] = Math.fma(ALPHA_F, " + x + "[" + xo + " + {j}], " + y + "[" + yo + " + {j}]);")
            .code())
        .build();
  }

  /** {@code firstPass} (which declared the sum of {@link #firstPassSum}), then the rest of the statistics. */
  private static CodeBlock statisticsAfter(Config c, CodeBlock firstPass, String src, String so) {
    return CodeBlock.builder().add(firstPass).add(statisticsAfterFirstPass(c, src, so)).build();
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
      b.addStatement("double md = $T.mean($L, $L, HIDDEN)", RuntimeTypes.ROW_STATS, src, so);
      b.addStatement("m = (float) md");
      b.addStatement("shift = (float) (md - m)");
      b.addStatement("rs = (float) $T.rstd($L, $L, HIDDEN, md, EPS)", RuntimeTypes.ROW_STATS, src, so);
      b.endControlFlow();
    } else {
      b.addStatement("float rs");
      b.beginControlFlow("if (sumSq > MIN_SAFE_SUM && sumSq < MAX_SAFE_SUM)");
      b.addStatement("rs = (float) (1.0 / Math.sqrt((double) sumSq / HIDDEN + EPS))");
      b.nextControlFlow("else");
      b.add("// an all-zero row, squares that under- or overflow float, NaN or infinity: statistics in double\n");
      b.addStatement("rs = (float) $T.rstd($L, $L, HIDDEN, 0.0, EPS)", RuntimeTypes.ROW_STATS, src, so);
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

  /** A row of an array: the array's name and the local holding the row's offset ({@code x}, {@code xo}). */
  public record Row(String array, String offset) {
    /** The vector at feature {@code {j}}. */
    String vector() {
      return load(array, offset + " + {j}");
    }

    /** The element at feature {@code {j}}. */
    String scalar() {
      return array + "[" + offset + " + {j}]";
    }
  }

  /** The standalone norm's backward: {@link #backward(Config, Row, Row, Row, Row, Row)} on x, dy, dx. */
  public static CodeBlock backward(Config c) {
    return backward(c, new Row("x", "xo"), new Row("dy", "dyo"), new Row("dx", "dxo"), null, null);
  }

  /**
   * The backward of one row: reads the norm's input {@code x}, {@code dy}, the row's saved {@code m}
   * (LayerNorm) and {@code rs} (locals the caller declares), and writes
   * {@code dx = rstd·(g - mean(g) - xhat·mean(g·xhat))} with {@code g = dy·weight}, adding
   * {@code dy·xhat} into {@code dweight} and {@code dy} into {@code dbias}. Two passes: the sums, then
   * everything written.
   *
   * @param residual when not null, a row whose values times {@code ALPHA_F} are added to dx in the same
   *     pass: the residual path of a Pre-Norm block ({@code dx += alpha·dout})
   * @param scaled when not null, a row that receives {@code ALPHA_F·dx} in the same pass: the residual
   *     path of a Post-Norm block ({@code dx = ds} is the gradient of {@code s = alpha·x + f}, so the
   *     residual's gradient with respect to x is {@code alpha·ds})
   */
  public static CodeBlock backward(Config c, Row xRow, Row dyRow, Row dxRow, Row residual, Row scaled) {
    String x = xRow.vector();
    String xs = xRow.scalar();
    String dyv0 = dyRow.vector();
    String dys0 = dyRow.scalar();
    String g = c.weight() ? dyv0 + ".mul(" + load("weight", "{j}") + ")" : dyv0;
    String gs = c.weight() ? dys0 + " * weight[{j}]" : dys0;
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
    String dxName = dxRow.array();
    RowPass pass2 = RowPass.of("pass 2: " + dxName + " = rstd·(g" + (c.centered() ? " - mean(g)" : "")
        + " - xhat·mean(g·xhat))" + (residual != null ? " + alpha·" + residual.array() : "")
        + (scaled != null ? "; " + scaled.array() + " = alpha·" + dxName : "")
        + (c.weight() ? "; dweight += dy·xhat" : "") + (c.bias() ? "; dbias += dy" : ""));
    pass2.step("var dy{k} = " + dyv0 + ";", "float dyv = " + dys0 + ";");
    pass2.step("var xh{k} = " + x + (c.centered() ? ".sub(m).mul(rs).sub(e);" : ".mul(rs);"),
        "float xh = " + (c.centered() ? "(" + xs + " - m) * rs - e;" : xs + " * rs;"));
    String gv = c.weight() ? "dy{k}.mul(" + load("weight", "{j}") + ")" : "dy{k}";
    String gsc = c.weight() ? "dyv * weight[{j}]" : "dyv";
    String dxv = "xh{k}.fma(negMeanGx, " + gv + (c.centered() ? ".sub(meanG)" : "") + ").mul(rs)";
    String dxs = "(" + gsc + (c.centered() ? " - meanG" : "") + " - xh * meanGx) * rs";
    if (residual != null) {
      dxv = residual.vector() + ".mul(ALPHA_F).add(" + dxv + ")";
      dxs = residual.scalar() + " * ALPHA_F + " + dxs;
    }
    String dxTarget = dxRow.offset() + " + {j}";
    if (scaled != null) {
      pass2.step("var gx{k} = " + dxv + ";", "float gx = " + dxs + ";");
      pass2.step("gx{k}.intoArray(" + dxName + ", " + dxTarget + ");", dxRow.scalar() + " = gx;");
      pass2.step("gx{k}.mul(ALPHA_F).intoArray(" + scaled.array() + ", " + scaled.offset() + " + {j});",
          scaled.scalar() + " = gx * ALPHA_F;");
    } else {
      pass2.step(dxv + ".intoArray(" + dxName + ", " + dxTarget + ");", dxRow.scalar() + " = " + dxs + ";");
    }
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
