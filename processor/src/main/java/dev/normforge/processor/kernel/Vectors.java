package dev.normforge.processor.kernel;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The Vector API types and the loop-bound constants every generated kernel class declares, so that each
 * {@link RowPass} can refer to them by name.
 */
public final class Vectors {
  private Vectors() {}

  public static final ClassName FLOAT_VECTOR = ClassName.get("jdk.incubator.vector", "FloatVector");
  public static final ClassName SPECIES_TYPE = ClassName.get("jdk.incubator.vector", "VectorSpecies");

  /**
   * {@code SPECIES}, {@code LANES}, {@code UNROLLED_STEP}, {@code UNROLLED_BOUND}, {@code VECTOR_BOUND},
   * for a class whose {@code HIDDEN} constant is the row length.
   */
  public static List<FieldSpec> loopConstants() {
    Modifier[] psf = {Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL};
    return List.of(
        FieldSpec.builder(ParameterizedTypeName.get(SPECIES_TYPE, ClassName.get(Float.class)), "SPECIES", psf)
            .addJavadoc("The widest float vector this CPU has (AVX-512: 16 lanes, AVX2: 8).\n")
            .initializer("$T.SPECIES_PREFERRED", FLOAT_VECTOR).build(),
        FieldSpec.builder(TypeName.INT, "LANES", psf).initializer("SPECIES.length()").build(),
        FieldSpec.builder(TypeName.INT, "UNROLLED_STEP", psf)
            .addJavadoc("Features per main-loop iteration: $L vectors with independent accumulators.\n",
                RowPass.UNROLL)
            .initializer("$L * LANES", RowPass.UNROLL).build(),
        FieldSpec.builder(TypeName.INT, "UNROLLED_BOUND", psf)
            .addJavadoc("End of the unrolled main loop.\n")
            .initializer("HIDDEN - HIDDEN % UNROLLED_STEP").build(),
        FieldSpec.builder(TypeName.INT, "VECTOR_BOUND", psf)
            .addJavadoc("End of the one-vector loop; a scalar tail does the rest.\n")
            .initializer("SPECIES.loopBound(HIDDEN)").build());
  }
}
