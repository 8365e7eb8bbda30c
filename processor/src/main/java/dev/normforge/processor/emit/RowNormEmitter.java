package dev.normforge.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.normforge.processor.contract.KernelContract;
import dev.normforge.processor.contract.RuntimeTypes;
import dev.normforge.processor.kernel.Layout;
import dev.normforge.processor.model.RowNormRecipe;
import dev.normforge.processor.model.SiteSpec;
import javax.lang.model.element.Modifier;

/**
 * A standalone row-norm site -> a {@code RowNormLayer} subclass specialized for its hidden size; on request
 * ({@link #emitRuntimeSized}) also the same kernels with the size a constructor argument, the baseline
 * that measures what specialization is worth.
 */
public final class RowNormEmitter {
  private RowNormEmitter() {}

  static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);

  public static TypeSpec.Builder emit(SiteSpec site) {
    RowNormRecipe recipe = site.rowNorm();
    TypeSpec.Builder type = TypeSpec.classBuilder(site.className())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(RuntimeTypes.ROW_NORM_LAYER)
        .addJavadoc(Javadocs.rowNorm(site));
    SiteConstants.add(type, site);
    addKernelConstants(type, site, Layout.SPECIALIZED);
    addParameterFields(type, recipe);
    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("A new layer with $L and zero gradients.\n", initialValues(recipe))
        .addStatement("super(HIDDEN, EPS, $L, $L, $L, $Lf, $S)", recipe.centered(), recipe.weight(), recipe.bias(),
            recipe.initialWeight(), "")
        .addCode(parameterFieldInit(recipe))
        .build());
    addKernels(type, recipe);
    return type;
  }

  /**
   * A private nested layer {@code name} with the site's kernels, for a block that holds a second norm; it
   * uses the enclosing class's constants, and its parameters are named with {@code suffix}.
   */
  static TypeSpec.Builder nested(String name, SiteSpec site, String suffix, String javadoc) {
    RowNormRecipe recipe = site.rowNorm();
    TypeSpec.Builder type = TypeSpec.classBuilder(name)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .superclass(RuntimeTypes.ROW_NORM_LAYER)
        .addJavadoc(javadoc + "\n");
    addParameterFields(type, recipe);
    type.addMethod(MethodSpec.constructorBuilder()
        .addStatement("super(HIDDEN, EPS, $L, $L, $L, $Lf, $S)", recipe.centered(), recipe.weight(), recipe.bias(),
            recipe.initialWeight(), suffix)
        .addCode(parameterFieldInit(recipe))
        .build());
    addKernels(type, recipe);
    return type;
  }

  private static void addKernels(TypeSpec.Builder type, RowNormRecipe recipe) {
    RowKernels kernels = new RowKernels(recipe, Layout.SPECIALIZED);
    type.addMethod(kernels.normalize(KernelContract.ROW_NORMALIZE));
    type.addMethod(kernels.backward());
  }

  /**
   * The class {@code <site>RuntimeSized}: the site's kernels rendered from the same recipe with the hidden
   * size and loop bounds in final fields set by {@code new ...(hidden)}, for benchmarks.
   */
  public static TypeSpec.Builder emitRuntimeSized(SiteSpec site) {
    RowNormRecipe recipe = site.rowNorm();
    if (!recipe.readsWholeRow()) {
      throw new IllegalArgumentException("no run-time-sized form of " + recipe.name() + ": " + site.origin());
    }
    TypeSpec.Builder type = TypeSpec.classBuilder(site.className() + "RuntimeSized")
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(RuntimeTypes.ROW_NORM_LAYER)
        .addJavadoc("{@link $L}'s kernels, rendered from the same recipe with the row length a run-time value: "
            + "the baseline that measures what specialization is worth.\n\n", site.className())
        .addJavadoc(Javadocs.rowNorm(site));
    SiteConstants.addEps(type, site);
    SiteConstants.addGuards(type);
    type.addField(FieldSpec.builder(TypeName.INT, "hidden", Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("Features per row.\n").build());
    addKernelConstants(type, site, Layout.RUNTIME_SIZED);
    addParameterFields(type, recipe);
    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PUBLIC)
        .addParameter(int.class, "hidden")
        .addJavadoc("A new layer of {@code hidden} features with $L and zero gradients.\n", initialValues(recipe))
        .addStatement("super(hidden, EPS, $L, $L, $L, $Lf, $S)", recipe.centered(), recipe.weight(), recipe.bias(),
            recipe.initialWeight(), "")
        .addStatement("this.hidden = hidden")
        .addCode(Layout.RUNTIME_SIZED.boundsInit(recipe.extents()))
        .addCode(parameterFieldInit(recipe))
        .build());
    RowKernels kernels = new RowKernels(recipe, Layout.RUNTIME_SIZED);
    type.addMethod(kernels.normalize(KernelContract.ROW_NORMALIZE));
    type.addMethod(kernels.backward());
    return type;
  }

  /** The recipe's constants, the vector constants and the loop bounds of its extents, in that order. */
  static void addKernelConstants(TypeSpec.Builder type, SiteSpec site, Layout layout) {
    RowNormRecipe recipe = site.rowNorm();
    type.addFields(recipe.constants(site.hidden()));
    type.addFields(Layout.vectorConstants());
    type.addFields(layout.boundFields(recipe.extents()));
    type.addMethods(recipe.helpers());
  }

  static String initialValues(RowNormRecipe recipe) {
    String w = recipe.weight() ? "weight " + recipe.initialWeight() : "";
    String b = recipe.bias() ? "bias 0" : "";
    return w.isEmpty() && b.isEmpty() ? "no parameters" : w + (w.isEmpty() || b.isEmpty() ? "" : " and ") + b;
  }

  /** {@code weight} and {@code bias}: the parameters' value arrays, held directly for the kernels. */
  static void addParameterFields(TypeSpec.Builder type, RowNormRecipe recipe) {
    if (recipe.weight()) {
      type.addField(FieldSpec.builder(FLOATS, "weight", Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("{@code weight().value()}, read by the kernels.\n").build());
    }
    if (recipe.bias()) {
      type.addField(FieldSpec.builder(FLOATS, "bias", Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("{@code bias().value()}, read by the kernels.\n").build());
    }
  }

  static CodeBlock parameterFieldInit(RowNormRecipe recipe) {
    CodeBlock.Builder b = CodeBlock.builder();
    if (recipe.weight()) {
      b.addStatement("this.weight = weight().value()");
    }
    if (recipe.bias()) {
      b.addStatement("this.bias = bias().value()");
    }
    return b.build();
  }
}
