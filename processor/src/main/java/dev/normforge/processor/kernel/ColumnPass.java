package dev.normforge.processor.kernel;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.IntFunction;
import javax.lang.model.element.Modifier;

/**
 * One SIMD pass over rows {@code [r0, r1)} of a row-major batch, vectorized across the {@code HIDDEN}
 * features (a row is contiguous) and organised by columns: the building block of per-feature kernels
 * such as BatchNorm's, where {@link Pass} is per row.
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
 * for (int t0 = r0, t1; t0 &lt; r1; t0 = t1) {
 *   t1 = t0 + Math.min(TILE_ROWS, r1 - t0);                        // no overflow near Integer.MAX_VALUE
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
 * Steps are the kernel language's ({@link Expr}, as in {@link Pass}): written once, rendered for the lanes
 * and for the tail. Row offsets declared with {@link #rowOffset} are locals of the row loop; per-feature
 * values declared with {@link #feature} are locals of the block.
 */
public final class ColumnPass {
  /** Rows walked per feature block before the next block: a few sequential streams at a time. */
  public static final int TILE_ROWS = 8;

  /** Vector registers a block may keep live (AVX2 has 16; AVX-512 32). */
  private static final int REGISTER_BUDGET = 16;

  private static final ClassName ARRAYS = ClassName.get("java.util", "Arrays");

  private record Feature(String local, String array) {}

  private final String comment;
  private final List<String[]> offsets = new ArrayList<>();
  private final List<Feature> features = new ArrayList<>();
  private final List<Step> steps = new ArrayList<>();
  /** Per sum step, the array its per-feature partials are written to. */
  private final List<String> sumArrays = new ArrayList<>();
  private final List<Step.Sum> sums = new ArrayList<>();

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

  /** Declares {@code int name = base + r * HIDDEN} in the row loop: the offset of row {@code r}; returns {@code name}. */
  public String rowOffset(String name, String base) {
    offsets.add(new String[] {name, base});
    return name;
  }

  /** A per-feature value read from {@code array} once per block, as the local {@code local}. */
  public Expr feature(String local, String array) {
    features.add(new Feature(local, array));
    return Expr.local(local);
  }

  /** Defines a per-element local {@code name = value} for each row; returns it. */
  public Expr let(String name, Expr value) {
    steps.add(new Step.Let(name, value));
    return Expr.local(name);
  }

  /** Writes {@code value} at the current feature of {@code target} (an {@link Expr#load}), for each row. */
  public ColumnPass store(Expr target, Expr value) {
    steps.add(new Step.Store((Expr.Load) target, value));
    return this;
  }

  /**
   * A per-feature sum of {@code term} over the pass's rows, in accumulators {@code acc0..}, written to
   * {@code array} (overwriting it).
   */
  public ColumnPass sum(String acc, String array, Expr term) {
    sums.add(new Step.Sum(acc, term));
    sumArrays.add(array);
    return this;
  }

  /** Vectors per feature block: as many as keep every live value of the block in registers, at most 4. */
  int blockVectors() {
    int live = features.size() + sums.size() + Math.max(1, steps.size());
    return live * 4 <= REGISTER_BUDGET ? 4 : live * 2 <= REGISTER_BUDGET ? 2 : 1;
  }

  /** The pass as statements over rows {@code [r0, r1)}. */
  public CodeBlock code() {
    Set<Expr.Scalar> broadcasts = new LinkedHashSet<>();
    int u = blockVectors();
    CodeBlock wide = u == 4 ? block(4, "UNROLLED_BOUND", "UNROLLED_STEP", broadcasts)
        : u == 2 ? block(2, "PAIR_BOUND", "PAIR_STEP", broadcasts) : null;
    CodeBlock one = block(1, "VECTOR_BOUND", "LANES", broadcasts);

    CodeBlock.Builder b = CodeBlock.builder().add("// $L\n", comment);
    for (String array : sumArrays) {
      b.addStatement("$T.fill($L, 0, HIDDEN, 0f)", ARRAYS, array);
    }
    for (Expr.Scalar s : broadcasts) {
      b.addStatement("var $L = $T.broadcast(SPECIES, $L)", s.vectorName(), Layout.FLOAT_VECTOR, s.name());
    }
    // t0 + TILE_ROWS would wrap for a row range ending near Integer.MAX_VALUE; r1 - t0 cannot
    b.beginControlFlow("for (int t0 = r0, t1; t0 < r1; t0 = t1)");
    b.addStatement("t1 = t0 + $T.min(TILE_ROWS, r1 - t0)", Math.class);
    b.addStatement("int j = 0");
    if (wide != null) {
      b.add(wide);
    }
    b.add(one);
    scalarTail(b);
    b.endControlFlow();
    return b.build();
  }

  private CodeBlock block(int u, String bound, String step, Set<Expr.Scalar> broadcasts) {
    CodeBlock.Builder b = CodeBlock.builder();
    b.beginControlFlow("for (; j < $L; j += $L)", bound, step);
    for (Feature f : features) {
      b.addStatement("$T $L", Layout.FLOAT_VECTOR, Expr.code(declare(u, f.local(), k -> load(f.array(), index(k)))));
    }
    for (int i = 0; i < sums.size(); i++) {
      String array = sumArrays.get(i);
      b.addStatement("$T $L", Layout.FLOAT_VECTOR, Expr.code(declare(u, sums.get(i).name(), k -> load(array, index(k)))));
    }
    b.beginControlFlow("for (int r = t0; r < t1; r++)");
    declareOffsets(b);
    for (Step st : steps) {
      for (int k = 0; k < u; k++) {
        b.addStatement("$L", Expr.code(st.vector(String.valueOf(k), index(k), broadcasts::add)));
      }
    }
    for (Step.Sum s : sums) {
      for (int k = 0; k < u; k++) {
        b.addStatement("$L", Expr.code(s.vector(String.valueOf(k), index(k), broadcasts::add)));
      }
    }
    b.endControlFlow();
    for (int i = 0; i < sums.size(); i++) {
      for (int k = 0; k < u; k++) {
        b.addStatement("$L$L.intoArray($L, $L)", sums.get(i).name(), k, sumArrays.get(i), index(k));
      }
    }
    return b.endControlFlow().build();
  }

  private void scalarTail(CodeBlock.Builder b) {
    b.beginControlFlow("for (; j < HIDDEN; j++)");
    for (Feature f : features) {
      b.addStatement("float $L = $L[j]", f.local(), f.array());
    }
    for (int i = 0; i < sums.size(); i++) {
      b.addStatement("float $L = $L[j]", sums.get(i).name(), sumArrays.get(i));
    }
    b.beginControlFlow("for (int r = t0; r < t1; r++)");
    declareOffsets(b);
    for (Step st : steps) {
      b.addStatement("$L", Expr.code(st.scalar()));
    }
    for (Step.Sum s : sums) {
      b.addStatement("$L", Expr.code(s.scalar()));
    }
    b.endControlFlow();
    for (int i = 0; i < sums.size(); i++) {
      b.addStatement("$L[j] = $L", sumArrays.get(i), sums.get(i).name());
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
    return "$floatVector:T.fromArray(SPECIES, " + array + ", " + index + ")";
  }
}
