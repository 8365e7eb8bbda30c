package dev.normforge.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.normforge.processor.contract.KernelContract;
import dev.normforge.processor.contract.RuntimeTypes;
import dev.normforge.processor.kernel.ColumnPass;
import dev.normforge.processor.kernel.Layout;
import dev.normforge.processor.model.BatchNormRecipe;
import dev.normforge.processor.model.SiteSpec;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * A standalone BatchNorm site -> a {@code BatchNormBase} subclass holding its five kernels, specialized for
 * its hidden size. The base class owns parameters, running statistics, checks and the per-feature
 * arithmetic between the passes.
 */
public final class BatchNormEmitter {
  private BatchNormEmitter() {}


  public static TypeSpec.Builder emit(SiteSpec site) {
    TypeSpec.Builder type = TypeSpec.classBuilder(site.className())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(RuntimeTypes.BATCH_NORM_BASE)
        .addJavadoc(javadoc(site));
    addConstants(type, site);
    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("A new layer: weight 1, bias 0, zero gradients, running mean 0 and running variance 1.\n")
        .addStatement("super(HIDDEN, EPS, MOMENTUM, $L, $L)", site.affine(), site.bias())
        .addCode(KernelsClass.create(""))
        .build());
    addKernels(type);
    return type;
  }

  /**
   * A BATCH residual block site -> a {@code BatchNormBlock} subclass around a nested {@code Norm}, the
   * same specialized BatchNorm a standalone site gets. Batch statistics need every row before any output,
   * so the residual add and the norm are separate passes here (only row norms fuse them).
   */
  public static TypeSpec.Builder emitBlock(SiteSpec site) {
    boolean pre = site.placement() == dev.normforge.annotations.Placement.PRE;
    TypeSpec.Builder type = TypeSpec.classBuilder(site.className())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(RuntimeTypes.BATCH_NORM_BLOCK)
        .addJavadoc(CodeBlock.builder()
            .add("A $L residual block around BatchNorm: {@code $L}, with the BatchNorm below.\n\n",
                pre ? "Pre-Norm" : "Post-Norm", pre ? "out = alpha·x + F(BatchNorm(x))" : "out = BatchNorm(alpha·x + F(x))")
            .add(javadoc(site))
            .build());
    addConstants(type, site);
    Modifier[] psf = {Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL};
    type.addField(FieldSpec.builder(TypeName.DOUBLE, "ALPHA", psf)
        .addJavadoc("The residual scale alpha.\n").initializer("$L", site.alpha()).build());
    type.addField(FieldSpec.builder(TypeName.DOUBLE, "BETA", psf)
        .addJavadoc("The initialisation gain beta: Xavier-normal gain for the sublayer's ffn, v_proj and out_proj.\n")
        .initializer("$L", site.beta()).build());
    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("A new block whose BatchNorm has weight 1, bias 0, running mean 0 and running variance 1.\n")
        .addStatement("super(new Norm(), $L, ALPHA, BETA)", pre)
        .build());
    TypeSpec.Builder norm = TypeSpec.classBuilder("Norm")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .superclass(RuntimeTypes.BATCH_NORM_BASE)
        .addJavadoc("The block's BatchNorm, specialized for {@code HIDDEN}.\n");
    norm.addMethod(MethodSpec.constructorBuilder()
        .addStatement("super(HIDDEN, EPS, MOMENTUM, $L, $L)", site.affine(), site.bias())
        .addCode(KernelsClass.create(""))
        .build());
    addKernels(norm);
    return type.addType(norm.build());
  }


  /** HIDDEN, EPS and MOMENTUM. */
  private static void addConstants(TypeSpec.Builder type, SiteSpec site) {
    // without SiteConstants' per-row guards: the base class guards features
    SiteConstants.addHiddenAndEps(type, site);
    type.addField(FieldSpec.builder(TypeName.DOUBLE, "MOMENTUM", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The running statistics' update rate.\n")
        .initializer("$L", site.momentum()).build());
  }

  /** The five kernels {@code BatchNormBase} calls, with the loop constants they are bounded by. */
  private static void addKernels(TypeSpec.Builder type) {
    KernelsClass kernels = new KernelsClass();
    kernels.type().addFields(Layout.vectorConstants());
    kernels.type().addFields(Layout.SPECIALIZED.boundFields(List.of(Layout.Extent.ROW)));
    kernels.type().addFields(ColumnPass.loopConstants());
    kernels.implement(type, KernelContract.BATCH_SUM.implement(BatchNormRecipe.sum()));
    kernels.implement(type, KernelContract.BATCH_STATS.implement(BatchNormRecipe.stats()));
    kernels.implement(type, KernelContract.BATCH_NORMALIZE.implement(BatchNormRecipe.normalize()));
    kernels.implement(type, KernelContract.BATCH_GRADIENT_SUMS.implement(BatchNormRecipe.gradientSums()));
    kernels.implement(type, KernelContract.BATCH_BACKWARD.implement(BatchNormRecipe.backward()));
    kernels.addTo(type);
  }

  static CodeBlock javadoc(SiteSpec site) {
    String affine = (site.affine() ? "·weight" : "") + (site.bias() ? " + bias" : "");
    return CodeBlock.builder()
        .add("BatchNorm over rows of $L features (PyTorch's {@code BatchNorm1d} on {@code [rows, $L]}), "
            + "specialized for that size (Vector API).\n\n", site.hidden(), site.hidden())
        .add("<p>Training: {@code y = (x - mean)·invstd$L}, {@code invstd = 1/sqrt(var + eps)}, per-feature mean "
            + "and biased var over the batch's rows (at least 2); {@code running = (1 - momentum)·running + "
            + "momentum·batch}, with the unbiased variance {@code var·rows/(rows - 1)}. Eval: the same with the "
            + "running mean and variance.\n", affine)
        .add("Backward, with {@code xhat = (x - mean)·invstd}, means over the rows per feature: "
            + "{@code dx = invstd$L·(dy - mean(dy) - xhat·mean(dy·xhat))}$L$L.\n\n",
            site.affine() ? "·weight" : "",
            site.affine() ? ", {@code dweight += Σ dy·xhat}" : "", site.bias() ? ", {@code dbias += Σ dy}" : "")
        .add("<p>Each kernel is one pass over a row range, vectorized across features; see {@code BatchNormBase} "
            + "for the passes and the arithmetic between them.\n\n")
        .add(Javadocs.configuration(site))
        .build();
  }
}
