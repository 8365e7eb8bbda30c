package dev.normforge.processor.kernel;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import javax.lang.model.element.Modifier;

/**
 * One SIMD pass over rows {@code [r0, r1)} of a row-major batch, vectorized across the {@code HIDDEN}
 * features (a row is contiguous) and organised by columns: the building block of per-feature kernels
 * such as BatchNorm's, where {@link RowPass} is per row.
 *
 * <p>Rows go in tiles of {@code TILE_ROWS}; within a tile, features go in blocks of a few vectors, and for
 * each block the rows of the tile are walked with the block's per-feature values (loaded once) and its
 * per-feature sums (accumulators) held in registers. A tile is a handful of sequential streams, which the
 * hardware prefetchers follow; the per-feature arrays are loaded and stored once per block and tile, not
 * per element. Sums are written as partials of the pass's row range, overwriting their arrays, so that a
 * caller can split the rows into chunks and reduce the partials itself.
 *
 * <pre>
 * // comment
 * Arrays.fill(sum, 0, HIDDEN, 0f);
 * for (int t0 = r0; t0 &lt; r1; t0 += TILE_ROWS) {
 *   int t1 = Math.min(r1, t0 + TILE_ROWS);
 *   int j = 0;
 *   for (; j &lt; UNROLLED_BOUND; j += UNROLLED_STEP) {
 *     var f0 = FloatVector.fromArray(SPECIES, f, j); ...             // per-feature values
 *     var s0 = FloatVector.fromArray(SPECIES, sum, j); ...           // accumulators
 *     for (int r = t0; r &lt; t1; r++) { int xo = xOff + r * HIDDEN; ...steps and updates... }
 *     s0.intoArray(sum, j); ...
 *   }
 *   for (; j &lt; VECTOR_BOUND; j += LANES) { ...one vector... }
 *   for (; j &lt; HIDDEN; j++) { ...scalar... }
 * }
 * </pre>
 *
 * Templates as in {@link RowPass}: {@code {j}} is the feature index of the vector (or scalar), {@code {k}}
 * the vector's slot in the block, {@code {acc}} the accumulator in a sum's update; row offsets declared with
 * {@link #rowOffset} are locals of the row loop.
 */
public final class ColumnPass {
  /** Rows walked per feature block before the next block: a few sequential streams at a time. */
  public static final int TILE_ROWS = 8;

  /** Vector registers a block may keep live (AVX2 has 16; AVX-512 32). */
  private static final int REGISTER_BUDGET = 16;

  private static final ClassName ARRAYS = ClassName.get("java.util", "Arrays");

  private final String comment;
  private final List<String[]> offsets = new ArrayList<>();
  private final List<String[]> features = new ArrayList<>();
  private final List<String[]> steps = new ArrayList<>();
  private final List<String[]> sums = new ArrayList<>();

  private ColumnPass(String comment) {
    this.comment = comment;
  }

  /** A new pass, introduced in the generated source by {@code // comment}. */
  public static ColumnPass of(String comment) {
    return new ColumnPass(comment);
  }

  /** {@code TILE_ROWS} and the bounds of two-vector blocks, for the class holding column passes. */
  public static List<FieldSpec> loopConstants() {
    Modifier[] psf = {Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL};
    return List.of(
        FieldSpec.builder(TypeName.INT, "TILE_ROWS", psf)
            .addJavadoc("Rows walked per block of features before the next block.\n")
            .initializer("$L", TILE_ROWS).build(),
        FieldSpec.builder(TypeName.INT, "PAIR_STEP", psf)
            .addJavadoc("Features per block of a pass with many live values per vector: 2 vectors.\n")
            .initializer("2 * LANES").build(),
        FieldSpec.builder(TypeName.INT, "PAIR_BOUND", psf)
            .addJavadoc("End of the two-vector blocks.\n")
            .initializer("HIDDEN - HIDDEN % PAIR_STEP").build());
  }

  /** Declares {@code int name = base + r * HIDDEN} in the row loop: the offset of row {@code r}. */
  public ColumnPass rowOffset(String name, String base) {
    offsets.add(new String[] {name, base});
    return this;
  }

  /** A per-feature value read from {@code array} once per block: {@code local{k}} (vector), {@code local} (scalar). */
  public ColumnPass feature(String local, String array) {
    features.add(new String[] {local, array});
    return this;
  }

  /** A statement run for each row and vector ({@code vector}), and each row and tail feature ({@code scalar}). */
  public ColumnPass step(String vector, String scalar) {
    steps.add(new String[] {vector, scalar});
    return this;
  }

  /**
   * A per-feature sum over the pass's rows, written to {@code array}: accumulators {@code acc{k}} updated
   * by {@code vectorUpdate} (the new value given the old one, {@code {acc}}), and {@code acc += scalarTerm}
   * in the tail.
   */
  public ColumnPass sum(String acc, String array, String vectorUpdate, String scalarTerm) {
    sums.add(new String[] {acc, array, vectorUpdate, scalarTerm});
    return this;
  }

  /** Vectors per feature block: as many as keep every live value of the block in registers, at most 4. */
  int blockVectors() {
    int live = features.size() + sums.size() + Math.max(1, steps.size());
    return live * 4 <= REGISTER_BUDGET ? 4 : live * 2 <= REGISTER_BUDGET ? 2 : 1;
  }

  /** The pass as statements over rows {@code [r0, r1)}. */
  public CodeBlock code() {
    CodeBlock.Builder b = CodeBlock.builder().add("// $L\n", comment);
    for (String[] s : sums) {
      b.addStatement("$T.fill($L, 0, HIDDEN, 0f)", ARRAYS, s[1]);
    }
    b.beginControlFlow("for (int t0 = r0; t0 < r1; t0 += TILE_ROWS)");
    b.addStatement("int t1 = Math.min(r1, t0 + TILE_ROWS)");
    b.addStatement("int j = 0");
    int u = blockVectors();
    if (u == 4) {
      block(b, 4, "UNROLLED_BOUND", "UNROLLED_STEP");
    } else if (u == 2) {
      block(b, 2, "PAIR_BOUND", "PAIR_STEP");
    }
    block(b, 1, "VECTOR_BOUND", "LANES");
    scalarTail(b);
    b.endControlFlow();
    return b.build();
  }

  private void block(CodeBlock.Builder b, int u, String bound, String step) {
    b.beginControlFlow("for (; j < $L; j += $L)", bound, step);
    for (String[] f : features) {
      b.addStatement("$T $L", Vectors.FLOAT_VECTOR, declare(u, f[0], k -> load(f[1], index(k))));
    }
    for (String[] s : sums) {
      b.addStatement("$T $L", Vectors.FLOAT_VECTOR, declare(u, s[0], k -> load(s[1], index(k))));
    }
    b.beginControlFlow("for (int r = t0; r < t1; r++)");
    declareOffsets(b);
    for (String[] st : steps) {
      for (int k = 0; k < u; k++) {
        b.addStatement("$L", fill(st[0], String.valueOf(k), index(k)));
      }
    }
    for (String[] s : sums) {
      for (int k = 0; k < u; k++) {
        String acc = s[0] + k;
        b.addStatement("$L = $L", acc, fill(s[2], String.valueOf(k), index(k)).replace("{acc}", acc));
      }
    }
    b.endControlFlow();
    for (String[] s : sums) {
      for (int k = 0; k < u; k++) {
        b.addStatement("$L$L.intoArray($L, $L)", s[0], k, s[1], index(k));
      }
    }
    b.endControlFlow();
  }

  private void scalarTail(CodeBlock.Builder b) {
    b.beginControlFlow("for (; j < HIDDEN; j++)");
    for (String[] f : features) {
      b.addStatement("float $L = $L[j]", f[0], f[1]);
    }
    for (String[] s : sums) {
      b.addStatement("float $L = $L[j]", s[0], s[1]);
    }
    b.beginControlFlow("for (int r = t0; r < t1; r++)");
    declareOffsets(b);
    for (String[] st : steps) {
      b.addStatement("$L", fill(st[1], "", "j"));
    }
    for (String[] s : sums) {
      b.addStatement("$L += $L", s[0], fill(s[3], "", "j"));
    }
    b.endControlFlow();
    for (String[] s : sums) {
      b.addStatement("$L[j] = $L", s[1], s[0]);
    }
    b.endControlFlow();
  }

  private void declareOffsets(CodeBlock.Builder b) {
    for (String[] o : offsets) {
      b.addStatement("int $L = $L + r * HIDDEN", o[0], o[1]);
    }
  }

  /** {@code name0 = init(0), name1 = init(1), ...}: the declarators of one statement per value. */
  private static String declare(int u, String name, IntFunction<String> init) {
    List<String> parts = new ArrayList<>();
    for (int k = 0; k < u; k++) {
      parts.add(name + k + " = " + init.apply(k));
    }
    return String.join(", ", parts);
  }

  private static String index(int k) {
    return k == 0 ? "j" : k == 1 ? "j + LANES" : "j + " + k + " * LANES";
  }

  private static String load(String array, String index) {
    return "FloatVector.fromArray(SPECIES, " + array + ", " + index + ")";
  }

  /** The template with its placeholders filled, without a trailing semicolon (the builder adds one). */
  private static String fill(String template, String k, String index) {
    String code = template.replace("{k}", k).replace("{j}", index).strip();
    return code.endsWith(";") ? code.substring(0, code.length() - 1) : code;
  }
}
