package dev.normforge.processor.model;

import static dev.normforge.processor.kernel.Expr.feature;
import static dev.normforge.processor.kernel.Expr.scalar;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import dev.normforge.processor.contract.RuntimeTypes;
import dev.normforge.processor.kernel.Expr;
import dev.normforge.processor.kernel.Layout;
import dev.normforge.processor.kernel.Layout.Extent;
import dev.normforge.processor.kernel.Pass;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import javax.lang.model.element.Modifier;

/**
 * What a row norm computes, written once in the kernel language: its statistics (a first pass, then the
 * rest), its output map, and its backward (two passes). Every row kernel of every placement is composed
 * from these pieces by the emitters; the {@link Pass} builder decides how they run. LayerNorm and RMSNorm
 * and their variants are configurations of this one recipe.
 *
 * <p>LayerNorm's variance is the corrected two-pass algorithm around a first estimate {@code m} of the mean:
 * {@code var = Σd²/n - (Σd/n)²} with {@code d = x - m}, accurate when the mean is large against the
 * spread. Rows where float cannot be trusted (squares that over- or underflow, a constant row, NaN or
 * infinity) take a double-precision slow path in the runtime's {@code RowStats}.
 *
 * <p>Locals a kernel sees after {@link #statistics}: {@code m} and {@code shift} (LayerNorm: the mean is
 * {@code m + shift}) and {@code rs}; the backward reads {@code m} (the saved mean) and {@code rs}.
 *
 * @param centered subtracts the row mean (LayerNorm) rather than only scaling (RMSNorm)
 * @param weight has a per-feature weight
 * @param bias has a per-feature bias
 * @param weightOffset the weight multiplies as {@code weight + weightOffset} (Gemma's zero-centred
 *     {@code 1 + w}: 1), initialised so that the product starts at 1
 * @param partial the share of the features the RMS is estimated from (pRMSNorm), 1 for all
 */
public record RowNormRecipe(boolean centered, boolean weight, boolean bias, double weightOffset, double partial) {
  /** The first {@code STAT_FEATURES} features, from which partial RMSNorm estimates the RMS. */
  public static final Extent STATS_HEAD = new Extent("STAT_FEATURES", "STAT_");

  public String name() {
    return centered ? "LayerNorm" : partial < 1 ? "partial RMSNorm (pRMSNorm)" : "RMSNorm";
  }

  /** The features the statistics read: the row, or partial RMSNorm's first features. */
  public Extent statsExtent() {
    return partial < 1 ? STATS_HEAD : Extent.ROW;
  }

  /** Whether the statistics read the whole row (all but partial RMSNorm): then passes can fuse with them. */
  public boolean readsWholeRow() {
    return statsExtent().equals(Extent.ROW);
  }

  /** The extents the kernels' passes run over, whose loop bounds the class declares. */
  public List<Extent> extents() {
    return partial < 1 ? List.of(Extent.ROW, STATS_HEAD) : List.of(Extent.ROW);
  }

  /** partial RMSNorm's {@code k = max(1, floor(partial·hidden))}; {@code hidden} otherwise. */
  public int statFeatures(int hidden) {
    return partial < 1 ? Math.max(1, (int) Math.floor(partial * hidden)) : hidden;
  }

  /** The weight's initial value: 1, or {@code 1 - weightOffset} so that {@code weight + weightOffset} is 1. */
  public float initialWeight() {
    return (float) (1 - weightOffset);
  }

  /** The constants this configuration adds to a generated class ({@code HIDDEN} and {@code EPS} aside). */
  public List<FieldSpec> constants(int hidden) {
    List<FieldSpec> fields = new ArrayList<>();
    Modifier[] psf = {Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL};
    if (weight && weightOffset != 0) {
      fields.add(FieldSpec.builder(TypeName.FLOAT, "WEIGHT_OFFSET", psf)
          .addJavadoc("The weight multiplies as {@code weight + WEIGHT_OFFSET} (zero-centred weight).\n")
          .initializer("$Lf", (float) weightOffset).build());
    }
    if (partial < 1) {
      fields.add(FieldSpec.builder(TypeName.INT, "STAT_FEATURES", psf)
          .addJavadoc("The first features, {@code max(1, floor($L·HIDDEN))}, from which the RMS is estimated.\n",
              partial)
          .initializer("$L", statFeatures(hidden)).build());
      fields.add(FieldSpec.builder(TypeName.get(float[].class), "STAT_MASK", psf)
          .addJavadoc("1 for the first {@code STAT_FEATURES} features, 0 after: where rstd depends on x.\n")
          .initializer("statMask()").build());
    }
    return fields;
  }

  /** Methods the constants need (partial RMSNorm's mask). */
  public List<com.palantir.javapoet.MethodSpec> helpers() {
    if (partial >= 1) {
      return List.of();
    }
    return List.of(com.palantir.javapoet.MethodSpec.methodBuilder("statMask")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(float[].class)
        .addStatement("float[] mask = new float[HIDDEN]")
        .addStatement("$T.fill(mask, 0, STAT_FEATURES, 1f)", java.util.Arrays.class)
        .addStatement("return mask")
        .build());
  }

  /** The name of the first pass's sum: {@code sum} (LayerNorm) or {@code sumSq}, prefixed ({@code nextSum}). */
  public String firstSum(String prefix) {
    return named(prefix, centered ? "sum" : "sumSq");
  }

  /** {@code name} with a camel-case {@code prefix}: {@code next} + {@code x0} = {@code nextX0}. */
  private static String named(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  /**
   * What {@link #firstPass} needs before it: LayerNorm's {@code float x0 = } the row's first element of
   * {@code in}. LayerNorm sums {@code x - x0}: around a value of the row, the first estimate of the mean is
   * accurate to the spread's rounding, not the mean's, however many features the row has (and exact for a
   * constant row).
   */
  public CodeBlock firstShift(Expr in, String prefix) {
    return centered
        ? CodeBlock.builder().addStatement("float $L = $L", named(prefix, "x0"), Expr.code(in.scalarForm("0"))).build()
        : CodeBlock.of("");
  }

  /** The locals {@link #firstShift} and {@link #firstPass} declare, which a pipelined kernel carries to the next row. */
  public List<String> firstPassLocals(String prefix) {
    return (centered ? List.of("sum", "x0") : List.of("sumSq")).stream().map(name -> named(prefix, name)).toList();
  }

  /** The first pass over {@code in} (a row): Σ(x - x0) (LayerNorm, a first estimate of the mean) or Σx². */
  public Pass firstPass(Expr in, String prefix) {
    Pass p = Pass.over(statsExtent(), centered ? "pass 1: a first estimate of the mean, around x0" : "pass 1: Σx²");
    addFirstSum(p, in, prefix);
    return p;
  }

  /** Adds the first pass's sum of {@code in} to {@code p} (which may compute {@code in}, as a fused add does). */
  public void addFirstSum(Pass p, Expr in, String prefix) {
    if (centered) {
      p.sum(firstSum(prefix), in.sub(scalar(named(prefix, "x0"))));
    } else {
      Expr v = in instanceof Expr.Local ? in : p.let(prefix + "v", in);
      p.sum(firstSum(prefix), v.mul(v));
    }
  }

  /**
   * The rest of the statistics of the row of {@code src} at offset {@code so}, after {@link #firstPass}:
   * declares {@code float m, shift, rs} (LayerNorm) or {@code float rs}.
   */
  public CodeBlock statistics(Layout layout, String src, String so) {
    CodeBlock.Builder b = CodeBlock.builder();
    String n = layout.size("HIDDEN");
    if (centered) {
      b.addStatement("float m = x0 + sum / $L", n);
      Pass p = Pass.of("pass 2: d = x - m; Σd and Σd² (corrected two-pass: exact even when the mean dwarfs the spread)");
      Expr d = p.let("d", Expr.load(src, so).sub(scalar("m")));
      // not "dev": a local of that name would hide the package dev.* that fully qualified names start with
      b.add(p.sum("devSum", d).sum("devSq", d.mul(d)).code(layout));
      b.addStatement("float shift = devSum / $L", n);
      b.addStatement("float rs");
      b.beginControlFlow("if (devSq > MIN_SAFE_SUM && devSq < MAX_SAFE_SUM)");
      b.addStatement("rs = (float) (1.0 / $T.sqrt($T.max(0.0, (double) devSq / $L - (double) shift * shift) + EPS))",
          Math.class, Math.class, n);
      b.nextControlFlow("else");
      b.add("// a constant row, squares that under- or overflow float, NaN or infinity: statistics in double\n");
      b.addStatement("double md = $T.mean($L, $L, $L)", RuntimeTypes.ROW_STATS, src, so, n);
      b.addStatement("m = (float) md");
      b.addStatement("shift = (float) (md - m)");
      b.addStatement("rs = (float) $T.rstd($L, $L, $L, md, EPS)", RuntimeTypes.ROW_STATS, src, so, n);
      b.endControlFlow();
    } else {
      String k = layout.size(statsExtent().length());
      b.addStatement("float rs");
      b.beginControlFlow("if (sumSq > MIN_SAFE_SUM && sumSq < MAX_SAFE_SUM)");
      b.addStatement("rs = (float) (1.0 / $T.sqrt((double) sumSq / $L + EPS))", Math.class, k);
      b.nextControlFlow("else");
      b.add("// an all-zero row, squares that under- or overflow float, NaN or infinity: statistics in double\n");
      b.addStatement("rs = (float) $T.rstd($L, $L, $L, 0.0, EPS)", RuntimeTypes.ROW_STATS, src, so, k);
      b.endControlFlow();
    }
    return b.build();
  }

  /** Statements that save the row's statistics at {@code statsOff + r} (LayerNorm's mean, and rstd). */
  public CodeBlock saveStatistics() {
    CodeBlock.Builder b = CodeBlock.builder();
    if (centered) {
      b.addStatement("mean[statsOff + r] = m + shift");
    }
    return b.addStatement("rstd[statsOff + r] = rs").build();
  }

  /** Declares the row's saved statistics for the backward: {@code m} (LayerNorm) and {@code rs}. */
  public CodeBlock savedStatistics() {
    CodeBlock.Builder b = CodeBlock.builder();
    if (centered) {
      b.addStatement("float m = mean[statsOff + r]");
    }
    return b.addStatement("float rs = rstd[statsOff + r]").build();
  }

  /** The weight as it multiplies: {@code weight}, or {@code weight + WEIGHT_OFFSET}. */
  private Expr weightFactor() {
    Expr w = feature("weight");
    return weightOffset != 0 ? w.add(scalar("WEIGHT_OFFSET")) : w;
  }

  /** What {@link #output} needs before its pass: LayerNorm's {@code c = -shift·rs}. */
  public CodeBlock outputSetup() {
    return centered ? CodeBlock.builder().addStatement("float c = -shift * rs").build() : CodeBlock.of("");
  }

  /** {@code y} for input element {@code x}: {@code (x - mean)·rstd·weight + bias} or {@code x·rstd·weight}. */
  public Expr output(Expr x) {
    Expr xhat = centered ? x.sub(scalar("m")).fma(scalar("rs"), scalar("c")) : x.mul(scalar("rs"));
    if (weight && bias) {
      return xhat.fma(weightFactor(), feature("bias"));
    }
    if (weight) {
      return xhat.mul(weightFactor());
    }
    return bias ? xhat.add(feature("bias")) : xhat;
  }

  /** The output map, in words, for pass comments and javadoc: {@code (x - mean)·rstd·weight + bias}. */
  public String outputFormula(String x) {
    return (centered ? "(" + x + " - mean)·rstd" : x + "·rstd") + weightWords() + (bias ? " + bias" : "");
  }

  /** How the weight multiplies, in words: {@code ·weight}, {@code ·(weight + 1.0)}, or nothing without one. */
  private String weightWords() {
    return !weight ? "" : weightOffset != 0 ? "·(weight + " + (float) weightOffset + ")" : "·weight";
  }

  /**
   * The backward of one row: reads the norm's input {@code x} and {@code dy} (loads of the current row), the
   * locals of {@link #savedStatistics}, and gives {@code writeDx} the pass and the gradient with respect to
   * {@code x}, {@code dx = rstd·(g - mean(g) - xhat·mean(g·xhat))} with {@code g = dy·weight}, to write as
   * its placement needs; adds {@code dy·xhat} into {@code dweight} and {@code dy} into {@code dbias}. Two
   * passes: the sums, then everything written.
   */
  public CodeBlock backward(Layout layout, Expr x, Expr dy, String dxName, BiConsumer<Pass, Expr> writeDx) {
    String n = layout.size("HIDDEN");
    CodeBlock.Builder b = CodeBlock.builder();
    String g = "g = dy" + weightWords();
    if (centered) {
      Pass p1 = Pass.of("pass 1: xhat = (x - mean)·rstd, " + g + "; Σg, Σg·xhat, Σxhat");
      Expr xh = p1.let("xh", x.sub(scalar("m")).mul(scalar("rs")));
      Expr gv = p1.let("g", weight ? dy.mul(weightFactor()) : dy);
      b.add(p1.sum("sumG", gv).sum("sumGx", gv.mul(xh)).sum("sumX", xh).code(layout));
      b.add("// the saved mean was rounded to float: e re-centres xhat exactly (Σxhat = 0)\n");
      b.addStatement("float e = sumX / $L", n);
      b.addStatement("float meanG = sumG / $L", n);
      b.addStatement("float meanGx = (sumGx - e * sumG) / $L", n);
    } else {
      // every feature is scaled by rstd, so Σg·xhat runs over the whole row even when rstd reads only a part;
      // xhat = x·rstd is O(1) where x·g could overflow
      Pass p1 = Pass.of("pass 1: xhat = x·rstd, " + g + "; Σg·xhat");
      Expr xh = p1.let("xh", x.mul(scalar("rs")));
      Expr gv = p1.let("g", weight ? dy.mul(weightFactor()) : dy);
      b.add(p1.sum("sumGx", gv.mul(xh)).code(layout));
      b.addStatement("float meanGx = sumGx / $L", layout.size(statsExtent().length()));
    }
    b.addStatement("float negMeanGx = -meanGx");
    Pass p2 = Pass.of("pass 2: " + dxName + " = rstd·(g" + (centered ? " - mean(g)" : "") + " - xhat·mean(g·xhat)"
        + (partial < 1 ? "·[j < STAT_FEATURES]" : "") + ")" + (weight ? "; dweight += dy·xhat" : "")
        + (bias ? "; dbias += dy" : ""));
    Expr dyv = p2.let("dyv", dy);
    Expr xh = p2.let("xh", centered ? x.sub(scalar("m")).mul(scalar("rs")).sub(scalar("e")) : x.mul(scalar("rs")));
    Expr gv = p2.let("g", weight ? dyv.mul(weightFactor()) : dyv);
    Expr rest = centered ? gv.sub(scalar("meanG")) : gv;
    Expr through = partial < 1 ? xh.mul(feature("STAT_MASK")) : xh;
    writeDx.accept(p2, through.fma(scalar("negMeanGx"), rest).mul(scalar("rs")));
    if (weight) {
      p2.store(feature("dweight"), dyv.fma(xh, feature("dweight")));
    }
    if (bias) {
      p2.store(feature("dbias"), dyv.add(feature("dbias")));
    }
    return b.add(p2.code(layout)).build();
  }

  /** The forward and backward formulas, for the generated class's javadoc. */
  public CodeBlock javadoc() {
    String stats = centered
        ? "rstd = 1/sqrt(var + eps), mean and biased var over the row"
        : partial < 1 ? "rstd = 1/sqrt(mean(x[0..k)²) + eps) over the first k = max(1, floor(" + partial
            + "·hidden)) features; every feature is scaled"
            : "rstd = 1/sqrt(mean(x²) + eps)";
    return CodeBlock.builder()
        .add("<p>Forward: {@code y = $L}, {@code $L}.\n", outputFormula("x"), stats)
        .add("Backward, with {@code g = dy$L} and {@code xhat = $L}:\n",
            weightWords(),
            centered ? "(x - mean)·rstd" : "x·rstd")
        .add("{@code dx = rstd·(g$L - xhat·mean(g·xhat)$L)}$L$L.\n", centered ? " - mean(g)" : "",
            partial < 1 ? "·[j < k], the mean over the first k" : "",
            weight ? ", {@code dweight += Σ dy·xhat}" : "", bias ? ", {@code dbias += Σ dy}" : "")
        .build();
  }

  /** This configuration in words, for the javadoc's configuration line. */
  public String configuration() {
    return "weight " + weight + ", bias " + bias + (weightOffset != 0 ? ", weightOffset " + weightOffset : "")
        + (partial < 1 ? ", partial " + partial : "");
  }
}
