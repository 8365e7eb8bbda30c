package dev.normforge.processor.kernel;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.lang.model.element.Modifier;

/**
 * Where the sizes of the kernels come from. {@link #SPECIALIZED}: the hidden size and every loop bound are
 * {@code static final} constants of the generated class, so javac and C2 see exact trip counts. {@link
 * #RUNTIME_SIZED}: the same kernels with the sizes in final instance fields set by a constructor, the
 * baseline that measures what specialization is worth. The kernels ask the layout for every size they
 * name ({@link #size}); nothing else differs.
 *
 * <p>Sizes are the lengths of {@link Extent}s: the row ({@code HIDDEN}), and any feature range a recipe adds
 * (partial RMSNorm's {@code STAT_FEATURES}). Each extent has the bounds of its unrolled and one-vector loops.
 */
public enum Layout {
  SPECIALIZED,
  RUNTIME_SIZED;

  public static final ClassName FLOAT_VECTOR = ClassName.get("jdk.incubator.vector", "FloatVector");
  public static final ClassName SPECIES_TYPE = ClassName.get("jdk.incubator.vector", "VectorSpecies");

  /** Vectors per main-loop iteration, each with its own accumulators: enough to hide FMA latency. */
  public static final int UNROLL = 4;

  /**
   * The first features of a row, {@code [0, length)}, that passes run over. {@code length} names its size
   * (constant-style: {@code HIDDEN}); {@code prefix} distinguishes its loop bounds ({@code ""} for the row,
   * whose bounds are {@code UNROLLED_BOUND} and {@code VECTOR_BOUND}).
   */
  public record Extent(String length, String prefix) {
    /** The whole row. */
    public static final Extent ROW = new Extent("HIDDEN", "");
  }

  /** The Java name of size {@code constant} ({@code HIDDEN}, {@code UNROLLED_BOUND}, ...) in this layout. */
  public String size(String constant) {
    return this == SPECIALIZED ? constant : camelCase(constant);
  }

  /** A constant's name as a field or local's: {@code UNROLLED_BOUND} -> {@code unrolledBound}. */
  static String camelCase(String constant) {
    StringBuilder camel = new StringBuilder();
    for (String part : constant.toLowerCase(Locale.ROOT).split("_")) {
      camel.append(camel.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
    }
    return camel.toString();
  }

  String end(Extent e) {
    return size(e.length());
  }

  String unrolledBound(Extent e) {
    return size(e.prefix() + "UNROLLED_BOUND");
  }

  String vectorBound(Extent e) {
    return size(e.prefix() + "VECTOR_BOUND");
  }

  /** {@code SPECIES}, {@code LANES}, {@code UNROLLED_STEP}: the same in both layouts. */
  public static List<FieldSpec> vectorConstants() {
    Modifier[] psf = {Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL};
    return List.of(
        FieldSpec.builder(ParameterizedTypeName.get(SPECIES_TYPE, ClassName.get(Float.class)), "SPECIES", psf)
            .addJavadoc("The widest float vector this CPU has (AVX-512: 16 lanes, AVX2: 8).\n")
            .initializer("$T.SPECIES_PREFERRED", FLOAT_VECTOR).build(),
        FieldSpec.builder(TypeName.INT, "LANES", psf).initializer("SPECIES.length()").build(),
        FieldSpec.builder(TypeName.INT, "UNROLLED_STEP", psf)
            .addJavadoc("Features per main-loop iteration: $L vectors with independent accumulators.\n", UNROLL)
            .initializer("$L * LANES", UNROLL).build());
  }

  /**
   * The loop bounds of {@code extents}: {@code static final} constants derived from the extents' length
   * constants (SPECIALIZED), or final instance fields (RUNTIME_SIZED, set by {@link #boundsInit}).
   */
  public List<FieldSpec> boundFields(List<Extent> extents) {
    List<FieldSpec> fields = new ArrayList<>();
    for (Extent e : extents) {
      FieldSpec.Builder unrolled = FieldSpec.builder(TypeName.INT, unrolledBound(e))
          .addJavadoc("End of the unrolled main loop$L.\n", e.prefix().isEmpty() ? "" : " over " + e.length());
      FieldSpec.Builder vector = FieldSpec.builder(TypeName.INT, vectorBound(e))
          .addJavadoc("End of the one-vector loop$L; a scalar tail does the rest.\n",
              e.prefix().isEmpty() ? "" : " over " + e.length());
      if (this == SPECIALIZED) {
        unrolled.addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("$L - $L % UNROLLED_STEP", e.length(), e.length());
        vector.addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("SPECIES.loopBound($L)", e.length());
      } else {
        unrolled.addModifiers(Modifier.PRIVATE, Modifier.FINAL);
        vector.addModifiers(Modifier.PRIVATE, Modifier.FINAL);
      }
      fields.add(unrolled.build());
      fields.add(vector.build());
    }
    return fields;
  }

  /** RUNTIME_SIZED: the constructor statements that set the bound fields (their lengths already set). */
  public CodeBlock boundsInit(List<Extent> extents) {
    CodeBlock.Builder b = CodeBlock.builder();
    for (Extent e : extents) {
      b.addStatement("this.$L = $L - $L % UNROLLED_STEP", unrolledBound(e), end(e), end(e));
      b.addStatement("this.$L = SPECIES.loopBound($L)", vectorBound(e), end(e));
    }
    return b.build();
  }
}
