package dev.normforge.processor.kernel;

import com.palantir.javapoet.CodeBlock;
import dev.normforge.processor.contract.RuntimeTypes;
import dev.normforge.processor.kernel.Layout.Extent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One SIMD pass over the features of a row (an {@link Extent}): what it computes is a list of steps written
 * once as {@link Expr}essions ({@link #let}, {@link #store}, {@link #sum}); how is this builder's: an
 * unrolled main loop with {@link Layout#UNROLL} independent accumulators per sum, a one-vector loop, lane
 * sums in a fixed order, and a scalar tail rendered from the same expressions.
 *
 * <pre>
 * // comment
 * float s;
 * {
 *   var rsV = FloatVector.broadcast(SPECIES, rs);     // floats a vector operation needs as vectors
 *   FloatVector s0 = zero, s1 = zero, s2 = zero, s3 = zero;
 *   int j = 0;
 *   for (; j &lt; UNROLLED_BOUND; j += UNROLLED_STEP) { ...slots 0..3... }
 *   for (; j &lt; VECTOR_BOUND; j += LANES) { ...slot 0... }
 *   FloatVector sV = s0.add(s1).add(s2.add(s3));
 *   if (LANES &gt; 8) sV = sV.add(sV.rearrange(Lanes.SWAP_8));   // ... ^4, ^2, ^1: a fixed order,
 *   s = sV.lane(0);                                            // bitwise reproducible
 *   for (; j &lt; HIDDEN; j++) { ...scalar... }
 * }
 * </pre>
 *
 * A sum of a product {@code a·b} accumulates with one rounding in the lanes and the tail alike
 * ({@code a.fma(b, s0)}, {@code s = Math.fma(a, b, s)}).
 */
public final class Pass {
  private final String comment;
  private final Extent extent;
  private final List<Step> steps = new ArrayList<>();

  private Pass(Extent extent, String comment) {
    this.extent = extent;
    this.comment = comment;
  }

  /** A pass over the whole row, introduced in the generated source by {@code // comment}. */
  public static Pass of(String comment) {
    return new Pass(Extent.ROW, comment);
  }

  /** A pass over {@code extent}. */
  public static Pass over(Extent extent, String comment) {
    return new Pass(extent, comment);
  }

  public Extent extent() {
    return extent;
  }

  /** Defines a per-element local {@code name = value}; returns it, for the steps after. */
  public Expr let(String name, Expr value) {
    steps.add(new Step.Let(name, value));
    return Expr.local(name);
  }

  /** Writes {@code value} at the current feature of {@code target} (an {@link Expr#load}). */
  public Pass store(Expr target, Expr value) {
    steps.add(new Step.Store((Expr.Load) target, value));
    return this;
  }

  /** A float {@code name}, declared before the pass, that sums {@code term} over the extent. */
  public Pass sum(String name, Expr term) {
    steps.add(new Step.Sum(name, term));
    return this;
  }

  /**
   * Adds {@code other}'s steps to this pass, after its own: one loop then does both passes' work. Their
   * locals must not clash; each sum keeps its own accumulators, so its value is what {@code other} alone
   * computes, bit for bit.
   */
  public Pass fuse(Pass other) {
    if (!other.extent.equals(extent)) {
      throw new IllegalArgumentException("cannot fuse a pass over " + other.extent + " into one over " + extent);
    }
    steps.addAll(other.steps);
    return this;
  }

  /** The pass as statements for {@code layout}; its sums are declared as floats in the enclosing scope. */
  public CodeBlock code(Layout layout) {
    List<String> sums = steps.stream().filter(s -> s instanceof Step.Sum).map(s -> ((Step.Sum) s).name()).toList();
    Set<Expr.Scalar> broadcasts = new LinkedHashSet<>();
    List<List<String>> unrolled = new ArrayList<>();
    for (int k = 0; k < Layout.UNROLL; k++) {
      unrolled.add(vectorBody(String.valueOf(k), k == 0 ? "j" : k == 1 ? "j + LANES" : "j + " + k + " * LANES",
          broadcasts));
    }
    List<String> single = vectorBody("0", "j", broadcasts);

    CodeBlock.Builder b = CodeBlock.builder().add("// $L\n", comment);
    if (!sums.isEmpty()) {
      b.addStatement("float $L", String.join(", ", sums));
    }
    b.add("{\n").indent();
    for (Expr.Scalar s : broadcasts) {
      b.addStatement("var $L = $T.broadcast(SPECIES, $L)", s.vectorName(), Layout.FLOAT_VECTOR, s.name());
    }
    if (!sums.isEmpty()) {
      b.addStatement("$T zero = $T.zero(SPECIES)", Layout.FLOAT_VECTOR, Layout.FLOAT_VECTOR);
      for (String s : sums) {
        List<String> zeros = new ArrayList<>();
        for (int k = 0; k < Layout.UNROLL; k++) {
          zeros.add(s + k + " = zero");
        }
        b.addStatement("$T $L", Layout.FLOAT_VECTOR, String.join(", ", zeros));
      }
    }
    b.addStatement("int j = 0");
    b.beginControlFlow("for (; j < $L; j += UNROLLED_STEP)", layout.unrolledBound(extent));
    unrolled.forEach(slot -> slot.forEach(st -> b.addStatement("$L", Expr.code(st))));
    b.endControlFlow();
    b.beginControlFlow("for (; j < $L; j += LANES)", layout.vectorBound(extent));
    single.forEach(st -> b.addStatement("$L", Expr.code(st)));
    b.endControlFlow();
    for (String s : sums) {
      laneSum(b, s);
    }
    b.beginControlFlow("for (; j < $L; j++)", layout.end(extent));
    for (Step step : steps) {
      b.addStatement("$L", Expr.code(step.scalar()));
    }
    b.endControlFlow();
    return b.unindent().add("}\n").build();
  }

  private List<String> vectorBody(String k, String j, Set<Expr.Scalar> broadcasts) {
    return steps.stream().map(step -> step.vector(k, j, broadcasts::add)).toList();
  }

  /**
   * {@code name = } the sum of the lanes of accumulators {@code name0..3}, pairwise in a fixed order (as
   * {@code Lanes.sum}, written out inline so no vector crosses a call C2 might not inline).
   */
  static void laneSum(CodeBlock.Builder b, String name) {
    String v = name + "V";
    b.addStatement("$T $L = $L0.add($L1).add($L2.add($L3))", Layout.FLOAT_VECTOR, v, name, name, name, name);
    for (int distance = 32; distance >= 1; distance /= 2) {
      b.addStatement("if (LANES > $L) $L = $L.add($L.rearrange($T.SWAP_$L))", distance, v, v, v, RuntimeTypes.LANES,
          distance);
    }
    b.addStatement("$L = $L.lane(0)", name, v);
  }
}
