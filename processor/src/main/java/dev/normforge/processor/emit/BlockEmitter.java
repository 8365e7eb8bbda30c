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
    boolean pre = site.placement() == Placement.PRE;
    TypeSpec.Builder type = TypeSpec.classBuilder(site.className())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(RuntimeTypes.blockBase(site.placement().name()))
        .addJavadoc(javadoc(site));
    SiteConstants.add(type, site);
    Modifier[] psf = {Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL};
    type.addField(FieldSpec.builder(TypeName.DOUBLE, "ALPHA", psf)
        .addJavadoc("The residual scale alpha$L.\n", site.derivedConstants() ? " (DeepNet)" : "")
        .initializer("$L", site.alpha()).build());
    type.addField(FieldSpec.builder(TypeName.DOUBLE, "BETA", psf)
        .addJavadoc("The initialisation gain beta$L: Xavier-normal gain for the sublayer's ffn, v_proj and out_proj.\n",
            site.derivedConstants() ? " (DeepNet)" : "")
        .initializer("$L", site.beta()).build());
    type.addField(FieldSpec.builder(TypeName.FLOAT, "ALPHA_F", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("alpha as the kernels use it.\n")
        .initializer("(float) ALPHA").build());
    RowNormEmitter.addKernelConstants(type, site, Layout.SPECIALIZED);
    RowNormEmitter.addParameterFields(type, recipe);
    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("A new block whose norm has $L and zero gradients.\n", RowNormEmitter.initialValues(recipe))
        .addStatement("super(HIDDEN, EPS, ALPHA, BETA, $L, $L, $L)", recipe.centered(), recipe.weight(), recipe.bias())
        .addCode(RowNormEmitter.parameterFieldInit(recipe))
        .build());
    RowKernels kernels = new RowKernels(recipe, Layout.SPECIALIZED);
    if (pre) {
      type.addMethod(kernels.normalize(KernelContract.PRE_NORMALIZE));
      type.addMethod(kernels.residual());
      type.addMethod(kernels.preBackward());
    } else {
      type.addMethod(kernels.addNorm());
      type.addMethod(kernels.addNormBackward());
    }
    return type;
  }

  /** The block's javadoc: its placement's formula and passes, then the configuration. */
  private static CodeBlock javadoc(SiteSpec site) {
    boolean pre = site.placement() == dev.normforge.annotations.Placement.PRE;
    String name = site.type() == dev.normforge.annotations.NormType.DEEP ? "DeepNorm (Post-LN with DeepNet's alpha)"
        : (pre ? "Pre-" : "Post-") + (site.centered() ? "LN" : "RMSNorm");
    String norm = site.rowNorm().name();
    CodeBlock.Builder b = CodeBlock.builder()
        .add("A fused residual block, $L, over rows of $L features, specialized for that size (Vector API).\n\n",
            name, site.hidden())
        .add("<p>Forward: {@code $L}, with {@code norm} = $L ({@code $L}).\n",
            pre ? "out = alpha·x + F(norm(x))" : "out = norm(alpha·x + F(x))", norm,
            site.rowNorm().outputFormula("s"));
    if (pre) {
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
