package dev.normforge.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
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
    SiteConstants.addHiddenAndEps(type, site);
    KernelsClass kernels = new KernelsClass();
    addKernelConstants(kernels, site, Layout.SPECIALIZED);
    addParameterFields(kernels, recipe);
    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("A new layer with $L and zero gradients.\n", initialValues(recipe))
        .addStatement("super(HIDDEN, EPS, $L, $L, $L, $Lf, $S)", recipe.centered(), recipe.weight(), recipe.bias(),
            recipe.initialWeight(), "")
        .addCode(KernelsClass.create(""))
        .build());
    addKernels(type, kernels, recipe, Layout.SPECIALIZED);
    kernels.addTo(type);
    return type;
  }

  /**
   * A private nested layer {@code name} with the site's kernels, for a block that holds a second norm; it
   * uses the enclosing class's {@code HIDDEN} and {@code EPS}, and its parameters are named with
   * {@code suffix}.
   */
  static TypeSpec.Builder nested(String name, SiteSpec site, String suffix, String javadoc) {
    RowNormRecipe recipe = site.rowNorm();
    TypeSpec.Builder type = TypeSpec.classBuilder(name)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .superclass(RuntimeTypes.ROW_NORM_LAYER)
        .addJavadoc(javadoc + "\n");
    KernelsClass kernels = new KernelsClass();
    addKernelConstants(kernels, site, Layout.SPECIALIZED);
    addParameterFields(kernels, recipe);
    type.addMethod(MethodSpec.constructorBuilder()
        .addStatement("super(HIDDEN, EPS, $L, $L, $L, $Lf, $S)", recipe.centered(), recipe.weight(), recipe.bias(),
            recipe.initialWeight(), suffix)
        .addCode(KernelsClass.create(""))
        .build());
    addKernels(type, kernels, recipe, Layout.SPECIALIZED);
    kernels.addTo(type);
    return type;
  }

  private static void addKernels(TypeSpec.Builder type, KernelsClass kernels, RowNormRecipe recipe, Layout layout) {
    RowKernels rowKernels = new RowKernels(recipe, layout);
    kernels.implement(type, rowKernels.normalize(KernelContract.ROW_NORMALIZE));
    kernels.implement(type, rowKernels.backward());
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
    KernelsClass kernels = new KernelsClass();
    kernels.type().addField(FieldSpec.builder(TypeName.INT, "hidden", Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("Features per row.\n").build());
    kernels.constructor().addParameter(int.class, "hidden")
        .addStatement("this.hidden = hidden")
        .addCode(Layout.RUNTIME_SIZED.boundsInit(recipe.extents()));
    addKernelConstants(kernels, site, Layout.RUNTIME_SIZED);
    addParameterFields(kernels, recipe);
    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PUBLIC)
        .addParameter(int.class, "hidden")
        .addJavadoc("A new layer of {@code hidden} features with $L and zero gradients.\n", initialValues(recipe))
        .addStatement("super(hidden, EPS, $L, $L, $L, $Lf, $S)", recipe.centered(), recipe.weight(), recipe.bias(),
            recipe.initialWeight(), "")
        .addCode(KernelsClass.create("hidden"))
        .build());
    addKernels(type, kernels, recipe, Layout.RUNTIME_SIZED);
    kernels.addTo(type);
    return type;
  }

  /**
   * Into the kernels: the guards of the float fast path, the recipe's constants, the vector constants and
   * the loop bounds of its extents, in that order, and the recipe's helpers.
   */
  static void addKernelConstants(KernelsClass kernels, SiteSpec site, Layout layout) {
    RowNormRecipe recipe = site.rowNorm();
    TypeSpec.Builder type = kernels.type();
    SiteConstants.addGuards(type);
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

  /** {@code weight} and {@code bias}: the parameters' value arrays, held directly by the kernels. */
  static void addParameterFields(KernelsClass kernels, RowNormRecipe recipe) {
    if (recipe.weight()) {
      kernels.type().addField(FieldSpec.builder(FLOATS, "weight", Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("{@code weight().value()}, read by the kernels.\n").build());
      kernels.constructor().addStatement("this.weight = weight().value()");
    }
    if (recipe.bias()) {
      kernels.type().addField(FieldSpec.builder(FLOATS, "bias", Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("{@code bias().value()}, read by the kernels.\n").build());
      kernels.constructor().addStatement("this.bias = bias().value()");
    }
  }
}
