package dev.normforge.processor.emit;

import static dev.normforge.processor.kernel.Expr.load;
import static dev.normforge.processor.kernel.Expr.scalar;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.normforge.processor.contract.KernelContract;
import dev.normforge.processor.kernel.Expr;
import dev.normforge.processor.kernel.Layout;
import dev.normforge.processor.kernel.Pass;
import dev.normforge.processor.model.RowNormRecipe;
import java.util.List;

/**
 * The row kernels of every placement, each composed once from a {@link RowNormRecipe}'s pieces: the loop
 * over rows, the row offsets, where statistics are saved, what a block adds to a pass, and the software
 * pipelining across rows. Standalone layers and blocks share these methods.
 */
final class RowKernels {
  private final RowNormRecipe recipe;
  private final Layout layout;

  RowKernels(RowNormRecipe recipe, Layout layout) {
    this.recipe = recipe;
    this.layout = layout;
  }

  /** {@code int ao = aOff + r * HIDDEN} for each array: the row's offsets. */
  private CodeBlock offsets(String... arrays) {
    CodeBlock.Builder b = CodeBlock.builder();
    for (String a : arrays) {
      b.addStatement("int $Lo = $LOff + r * $L", a, a, layout.size("HIDDEN"));
    }
    return b.build();
  }

  private static Expr row(String array) {
    return load(array, array + "o");
  }

  private String lastPassComment(String in) {
    return "pass " + (recipe.centered() ? 3 : 2) + ": y = " + recipe.outputFormula(in);
  }

  /**
   * {@code y = norm(x)} over rows, saving statistics when {@code rstd != null}: the kernel of a standalone
   * layer and of a Pre-Norm block ({@code kernel} says which).
   *
   * <p>Software-pipelined rows: the last pass of row r (from cache) also does the first pass of row r + 1
   * (from memory), so memory keeps streaming while a long row is re-read; per row, the sums are unchanged.
   * A recipe whose statistics read only part of the row (partial RMSNorm) is not pipelined.
   */
  MethodSpec normalize(KernelContract kernel) {
    boolean pipelined = recipe.readsWholeRow();
    CodeBlock.Builder body = CodeBlock.builder();
    if (pipelined) {
      Expr first = load("x", "xOff + r0 * " + layout.size("HIDDEN"));
      body.beginControlFlow("if (r0 >= r1)").addStatement("return").endControlFlow()
          .add(recipe.firstShift(first, "")).add(recipe.firstPass(first, "").code(layout));
    }
    body.beginControlFlow("for (int r = r0; r < r1; r++)").add(offsets("x", "y"));
    if (!pipelined) {
      body.add(recipe.firstShift(row("x"), "")).add(recipe.firstPass(row("x"), "").code(layout));
    }
    body.add(recipe.statistics(layout, "x", "xo")).add(recipe.outputSetup());
    Pass last = Pass.of(lastPassComment("x") + (pipelined ? "; with pass 1 of the next row" : ""))
        .store(row("y"), recipe.output(row("x")));
    if (pipelined) {
      body.add("// the last row re-reads itself (from cache) instead, and the sum is not used\n")
          .addStatement("int next = r + 1 < r1 ? xo + $L : xo", layout.size("HIDDEN"))
          .add(recipe.firstShift(load("x", "next"), "next"));
      last.fuse(recipe.firstPass(load("x", "next"), "next"));
    }
    body.add(last.code(layout));
    if (pipelined) {
      List<String> carried = recipe.firstPassLocals("");
      List<String> next = recipe.firstPassLocals("next");
      for (int i = 0; i < carried.size(); i++) {
        body.addStatement("$L = $L", carried.get(i), next.get(i));
      }
    }
    body.beginControlFlow("if (rstd != null)").add(recipe.saveStatistics()).endControlFlow().endControlFlow();
    return kernel.implement(body.build());
  }

  /** The standalone backward: {@code dx = norm'(x)ᵀ·dy}. */
  MethodSpec backward() {
    CodeBlock body = CodeBlock.builder()
        .beginControlFlow("for (int r = r0; r < r1; r++)").add(offsets("x", "dy", "dx"))
        .add(recipe.savedStatistics())
        .add(recipe.backward(layout, row("x"), row("dy"), "dx", (p, dx) -> p.store(row("dx"), dx)))
        .endControlFlow().build();
    return KernelContract.ROW_BACKWARD.implement(body);
  }

  /** Pre-Norm's residual add, {@code out = alpha·x + out}, after the sublayer wrote {@code out}. */
  MethodSpec residual() {
    CodeBlock body = CodeBlock.builder()
        .beginControlFlow("for (int r = r0; r < r1; r++)").add(offsets("x", "out"))
        .add(Pass.of("out = alpha·x + F(h)").store(row("out"), scalar("ALPHA_F").fma(row("x"), row("out")))
            .code(layout))
        .endControlFlow().build();
    return KernelContract.PRE_RESIDUAL.implement(body);
  }

  /** Pre-Norm's backward: the norm's at {@code x} with {@code dy = dh}, plus the residual path {@code alpha·dout}. */
  MethodSpec preBackward() {
    CodeBlock body = CodeBlock.builder()
        .beginControlFlow("for (int r = r0; r < r1; r++)").add(offsets("x", "dh", "dout", "dx"))
        .add(recipe.savedStatistics())
        .add(recipe.backward(layout, row("x"), row("dh"), "dx",
            (p, dx) -> p.store(row("dx"), row("dout").fma(scalar("ALPHA_F"), dx))))
        .endControlFlow().build();
    return KernelContract.PRE_BACKWARD.implement(body);
  }

  /**
   * Post-Norm's fused add and norm: one pass writes {@code s = alpha·x + f} and sums it for the statistics
   * (when they read the whole row), then the norm's remaining passes read {@code s}.
   */
  MethodSpec addNorm() {
    CodeBlock.Builder body = CodeBlock.builder()
        .beginControlFlow("for (int r = r0; r < r1; r++)").add(offsets("x", "f", "s", "y"));
    boolean fused = recipe.readsWholeRow();
    Pass add = Pass.of("pass 1: s = alpha·x + f, written for the backward and the next passes"
        + (fused ? "; " + (recipe.centered() ? "Σs, a first estimate of the mean" : "Σs²") : ""));
    Expr sum = scalar("ALPHA_F").fma(row("x"), row("f"));
    Expr v = add.let("v", sum);
    add.store(row("s"), v);
    if (fused) {
      recipe.addFirstSum(add, v, "");
      body.add(recipe.firstShift(sum, "")).add(add.code(layout));
    } else {
      body.add(add.code(layout)).add(recipe.firstShift(row("s"), "")).add(recipe.firstPass(row("s"), "").code(layout));
    }
    body.add(recipe.statistics(layout, "s", "so")).add(recipe.outputSetup())
        .add(Pass.of(lastPassComment("s")).store(row("y"), recipe.output(row("s"))).code(layout))
        .add(recipe.saveStatistics())
        .endControlFlow();
    return KernelContract.POST_ADD_NORM.implement(body.build());
  }

  /** Post-Norm's backward in one pass per row: {@code ds = norm'(s)ᵀ·dy} and {@code dx = alpha·ds}. */
  MethodSpec addNormBackward() {
    CodeBlock body = CodeBlock.builder()
        .beginControlFlow("for (int r = r0; r < r1; r++)").add(offsets("s", "dy", "ds", "dx"))
        .add(recipe.savedStatistics())
        .add(recipe.backward(layout, row("s"), row("dy"), "ds", (p, ds) -> {
          Expr gx = p.let("gx", ds);
          p.store(row("ds"), gx).store(row("dx"), gx.mul(scalar("ALPHA_F")));
        }))
        .endControlFlow().build();
    return KernelContract.POST_ADD_NORM_BACKWARD.implement(body);
  }
}
