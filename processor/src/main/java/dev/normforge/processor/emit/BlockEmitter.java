package dev.normforge.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.normforge.annotations.Placement;
import dev.normforge.processor.contract.RuntimeTypes;
import dev.normforge.processor.contract.KernelContract;
import dev.normforge.processor.kernel.Layout;
import dev.normforge.processor.model.RowNormRecipe;
import dev.normforge.processor.model.SiteSpec;
import javax.lang.model.element.Modifier;

/**
 * A residual-block site (placement PRE or POST; LAYER, RMS or DEEP) -> a {@code PreNormBlock} or
 * {@code PostNormBlock} subclass holding only the kernels, specialized for its hidden size and alpha. The
 * runtime base class does the checks, the workspace and the calls of the sublayer.
 */
public final class BlockEmitter {
  private BlockEmitter() {}

  public static TypeSpec.Builder emit(SiteSpec site) {
    RowNormRecipe recipe = site.rowNorm();
    TypeSpec.Builder type = TypeSpec.classBuilder(site.className())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(RuntimeTypes.blockBase(site.placement().name()))
        .addJavadoc(javadoc(site));
    SiteConstants.addHiddenAndEps(type, site);
    Modifier[] psf = {Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL};
    type.addField(FieldSpec.builder(TypeName.DOUBLE, "ALPHA", psf)
        .addJavadoc("The residual scale alpha$L.\n", site.derivedConstants() ? " (DeepNet)" : "")
        .initializer("$L", site.alpha()).build());
    type.addField(FieldSpec.builder(TypeName.DOUBLE, "BETA", psf)
        .addJavadoc("The initialisation gain beta$L: Xavier-normal gain for the sublayer's ffn, v_proj and out_proj.\n",
            site.derivedConstants() ? " (DeepNet)" : "")
        .initializer("$L", site.beta()).build());
    KernelsClass kernels = new KernelsClass();
    kernels.type().addField(FieldSpec.builder(TypeName.FLOAT, "ALPHA_F", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("alpha as the kernels use it.\n")
        .initializer("(float) ALPHA").build());
    RowNormEmitter.addKernelConstants(kernels, site, Layout.SPECIALIZED);
    RowNormEmitter.addParameterFields(kernels, recipe);
    boolean sandwich = site.placement() == Placement.SANDWICH;
    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("A new block whose norm$L $L and zero gradients.\n", sandwich ? "s have" : " has",
            RowNormEmitter.initialValues(recipe))
        .addStatement("super($LHIDDEN, EPS, ALPHA, BETA, $L, $L, $L, $Lf)", sandwich ? "new " + SECOND_NORM + "(), " : "",
            recipe.centered(), recipe.weight(), recipe.bias(), recipe.initialWeight())
        .addCode(KernelsClass.create(""))
        .build());
    RowKernels rowKernels = new RowKernels(recipe, Layout.SPECIALIZED);
    if (site.placement() == Placement.POST) {
      kernels.implement(type, rowKernels.addNorm());
      kernels.implement(type, rowKernels.addNormBackward());
    } else {
      // PRE, and SANDWICH: a Pre-Norm block whose second norm is the nested standalone layer
      kernels.implement(type, rowKernels.normalize(KernelContract.PRE_NORMALIZE));
      kernels.implement(type, rowKernels.residual());
      kernels.implement(type, rowKernels.preBackward());
    }
    kernels.addTo(type);
    if (sandwich) {
      type.addType(RowNormEmitter.nested(SECOND_NORM, site, "2",
          "The second norm, {@code norm2}, applied to the sublayer's output: its parameters are {@code weight2} "
              + "and {@code bias2}.").build());
    }
    return type;
  }

  /**
   * The nested class of a Sandwich block's second norm. Its only capital is the first letter, so no
   * generated class (a model name followed by a capitalized site name) can be called so, and it can
   * never be the enclosing class's own name.
   */
  static final String SECOND_NORM = "Norm2";

  /** The block's javadoc: its placement's formula and passes, then the configuration. */
  private static CodeBlock javadoc(SiteSpec site) {
    boolean pre = site.placement() != Placement.POST;
    String name = site.type() == dev.normforge.annotations.NormType.DEEP ? "DeepNorm (Post-LN with DeepNet's alpha)"
        : site.placement().name().charAt(0) + site.placement().name().substring(1).toLowerCase(java.util.Locale.ROOT)
            + "-" + (site.centered() ? "LN" : "RMSNorm");
    String norm = site.rowNorm().name();
    CodeBlock.Builder b = CodeBlock.builder()
        .add("A fused residual block, $L, over rows of $L features, specialized for that size (Vector API).\n\n",
            name, site.hidden())
        .add("<p>Forward: {@code $L}, with {@code norm} = $L ({@code $L}).\n",
            site.placement() == Placement.SANDWICH ? "out = alpha·x + norm2(F(norm(x)))"
                : pre ? "out = alpha·x + F(norm(x))" : "out = norm(alpha·x + F(x))", norm,
            site.rowNorm().outputFormula("s"));
    if (site.placement() == Placement.SANDWICH) {
      b.add("{@code norm2} is a second, independent norm of the same configuration (the nested {@code $L},\n", SECOND_NORM)
          .add("parameters {@code weight2} and {@code bias2}). {@code h = norm(x)}, {@code F(h)} and norm2's statistics\n")
          .add("are kept in the workspace; backward runs norm2's backward, {@code F.backward}, then writes\n")
          .add("{@code dx = norm'(x)ᵀ·dh + alpha·dout} in one pass per row.\n\n");
    } else if (pre) {
      b.add("{@code h = norm(x)} is kept in the workspace for {@code F}'s backward; backward writes\n")
          .add("{@code dx = norm'(x)ᵀ·dh + alpha·dout} in one pass per row, with {@code dh} from {@code F.backward}.\n\n");
    } else {
      b.add("One pass per row writes {@code s = alpha·x + F(x)} (kept in the workspace) and sums it; backward\n")
          .add("writes {@code ds = norm'(s)ᵀ·dout} and {@code dx = alpha·ds} in one pass per row, then\n")
          .add("{@code F.backward(x, ds, dx)} adds the sublayer path. {@link #addNormForward} and\n")
          .add("{@link #addNormBackward} expose the fused add+norm kernels.\n\n");
    }
    return b.add(Javadocs.configuration(site)).build();
  }
}
