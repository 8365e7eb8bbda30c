package dev.normforge.processor.kernel;

import com.palantir.javapoet.CodeBlock;
import dev.normforge.processor.contract.RuntimeTypes;
import java.util.ArrayList;
import java.util.List;

/**
 * One SIMD pass over the {@code HIDDEN} features of a row: the building block every generated kernel is
 * composed of. A pass has steps (statements run for every element) and sums (reductions over the row);
 * it is emitted as an unrolled main loop with {@link #UNROLL} independent accumulators per sum, a
 * one-vector loop, and a scalar tail, all bounded by constants of the generated class:
 *
 * <pre>
 * // comment
 * float s;
 * {
 *   FloatVector s0 = FloatVector.zero(SPECIES), s1 = ..., s2 = ..., s3 = ...;
 *   int j = 0;
 *   for (; j &lt; UNROLLED_BOUND; j += UNROLLED_STEP) { ...4 vectors... }
 *   for (; j &lt; VECTOR_BOUND; j += LANES) { ...1 vector... }
 *   FloatVector sV = s0.add(s1).add(s2.add(s3));
 *   if (LANES &gt; 8) sV = sV.add(sV.rearrange(Lanes.SWAP_8));   // ... ^4, ^2, ^1: a fixed order,
 *   s = sV.lane(0);                                            // bitwise reproducible
 *   for (; j &lt; HIDDEN; j++) { ...scalar... }
 * }
 * </pre>
 *
 * Templates: {@code {j}} is the feature index of the current vector (or scalar); {@code {k}} is the
 * vector's unroll slot, so locals named {@code v{k}} are distinct per slot (and plain {@code v} in the
 * scalar tail); {@code {acc}} is the accumulator in a sum's vector update.
 */
public final class RowPass {
  /** Vectors per main-loop iteration, each with its own accumulators: enough to hide FMA latency. */
  public static final int UNROLL = 4;

  private final String comment;
  private final List<String[]> steps = new ArrayList<>();
  private final List<String[]> sums = new ArrayList<>();

  private RowPass(String comment) {
    this.comment = comment;
  }

  /** A new pass, introduced in the generated source by {@code // comment}. */
  public static RowPass of(String comment) {
    return new RowPass(comment);
  }

  /** A statement run for each vector ({@code vector}) and for each tail element ({@code scalar}). */
  public RowPass step(String vector, String scalar) {
    steps.add(new String[] {vector, scalar});
    return this;
  }

  /**
   * A float {@code name} that sums over the row: {@code vectorUpdate} is the new vector accumulator given
   * the old one, {@code {acc}} (e.g. {@code {acc}.add(v{k})} or {@code v{k}.fma(w{k}, {acc})});
   * {@code scalarTerm} is what one tail element adds (e.g. {@code v * w}).
   */
  public RowPass sum(String name, String vectorUpdate, String scalarTerm) {
    sums.add(new String[] {name, vectorUpdate, scalarTerm});
    return this;
  }

  /**
   * Adds {@code other}'s steps and sums to this pass, after its own: one loop then does both passes' work.
   * Their locals must not clash; each sum keeps its own accumulators, so its value is what {@code other}
   * alone would compute, bit for bit.
   */
  public RowPass fuse(RowPass other) {
    steps.addAll(other.steps);
    sums.addAll(other.sums);
    return this;
  }

  /** The pass as statements; its sums are declared as floats in the enclosing scope. */
  public CodeBlock code() {
    CodeBlock.Builder b = CodeBlock.builder().add("// $L\n", comment);
    if (!sums.isEmpty()) {
      b.addStatement("float $L", String.join(", ", sums.stream().map(s -> s[0]).toList()));
    }
    b.add("{\n").indent();
    if (!sums.isEmpty()) {
      b.addStatement("$T zero = $T.zero(SPECIES)", Vectors.FLOAT_VECTOR, Vectors.FLOAT_VECTOR);
    }
    for (String[] s : sums) {
      List<String> zeros = new ArrayList<>();
      for (int k = 0; k < UNROLL; k++) {
        zeros.add(s[0] + k + " = zero");
      }
      b.addStatement("$T $L", Vectors.FLOAT_VECTOR, String.join(", ", zeros));
    }
    b.addStatement("int j = 0");
    b.beginControlFlow("for (; j < UNROLLED_BOUND; j += UNROLLED_STEP)");
    for (int k = 0; k < UNROLL; k++) {
      vectorBody(b, k, k == 0 ? "j" : k == 1 ? "j + LANES" : "j + " + k + " * LANES");
    }
    b.endControlFlow();
    b.beginControlFlow("for (; j < VECTOR_BOUND; j += LANES)");
    vectorBody(b, 0, "j");
    b.endControlFlow();
    for (String[] s : sums) {
      laneSum(b, s[0]);
    }
    b.beginControlFlow("for (; j < HIDDEN; j++)");
    for (String[] st : steps) {
      b.addStatement("$L", fill(st[1], "", "j"));
    }
    for (String[] s : sums) {
      b.addStatement("$L += $L", s[0], fill(s[2], "", "j"));
    }
    b.endControlFlow();
    b.unindent().add("}\n");
    return b.build();
  }

  /**
   * {@code name = } the sum of the lanes of accumulators {@code name0..3}, pairwise in a fixed order (as
   * {@code Lanes.sum}, written out inline so no vector crosses a call C2 might not inline).
   */
  static void laneSum(CodeBlock.Builder b, String name) {
    String v = name + "V";
    b.addStatement("$T $L = $L0.add($L1).add($L2.add($L3))", Vectors.FLOAT_VECTOR, v, name, name, name, name);
    for (int distance = 32; distance >= 1; distance /= 2) {
      b.addStatement("if (LANES > $L) $L = $L.add($L.rearrange($T.SWAP_$L))", distance, v, v, v, RuntimeTypes.LANES,
          distance);
    }
    b.addStatement("$L = $L.lane(0)", name, v);
  }

  private void vectorBody(CodeBlock.Builder b, int k, String index) {
    for (String[] st : steps) {
      b.addStatement("$L", fill(st[0], String.valueOf(k), index));
    }
    for (String[] s : sums) {
      String acc = s[0] + k;
      b.addStatement("$L = $L", acc, fill(s[1], String.valueOf(k), index).replace("{acc}", acc));
    }
  }

  /** The template with its placeholders filled, without a trailing semicolon (the builder adds one). */
  private static String fill(String template, String k, String index) {
    String code = template.replace("{k}", k).replace("{j}", index).strip();
    return code.endsWith(";") ? code.substring(0, code.length() - 1) : code;
  }
}
