package dev.normforge.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.normforge.annotations.Placement;
import dev.normforge.processor.contract.RuntimeTypes;
import dev.normforge.processor.kernel.RowNormKernels;
import dev.normforge.processor.kernel.RowNormKernels.Row;
import dev.normforge.processor.kernel.Vectors;
import dev.normforge.processor.model.SiteSpec;
import javax.lang.model.element.Modifier;

/**
 * A residual-block site (placement PRE or POST; LAYER, RMS or DEEP) -> a {@code PreNormBlock} or
 * {@code PostNormBlock} subclass holding only the kernels, specialized for its hidden size and alpha. The
 * runtime base class does the checks, the workspace and the calls of the sublayer.
 */
public final class BlockEmitter {
  private BlockEmitter() {}

  private static final TypeName FLOATS = RowNormEmitter.FLOATS;

  public static TypeSpec.Builder emit(SiteSpec site) {
    RowNormKernels.Config c = RowNormEmitter.config(site);
    boolean pre = site.placement() == Placement.PRE;
    TypeSpec.Builder type = TypeSpec.classBuilder(site.className())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(pre ? RuntimeTypes.PRE_NORM_BLOCK : RuntimeTypes.POST_NORM_BLOCK)
        .addJavadoc(Javadocs.block(site));
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
    type.addFields(Vectors.loopConstants());
    RowNormEmitter.addParameterFields(type, c);
    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("A new block whose norm has weight 1 and bias 0 and zero gradients.\n")
        .addStatement("super(HIDDEN, EPS, ALPHA, BETA, $L, $L, $L)", c.centered(), c.weight(), c.bias())
        .addCode(RowNormEmitter.parameterFieldInit(c))
        .build());
    if (pre) {
      type.addMethod(RowNormEmitter.normalizeRows(c));
      type.addMethod(residualRows());
      type.addMethod(preBackwardRows(c));
    } else {
      type.addMethod(addNormRows(c));
      type.addMethod(addNormBackwardRows(c));
    }
    return type;
  }

  private static MethodSpec.Builder rowsMethod(String name, String... arrays) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(name)
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED);
    for (String a : arrays) {
      m.addParameter(FLOATS, a).addParameter(int.class, a + "Off");
    }
    return m.addParameter(int.class, "r0").addParameter(int.class, "r1");
  }

  private static MethodSpec.Builder withStats(MethodSpec.Builder m) {
    return m.addParameter(FLOATS, "mean").addParameter(FLOATS, "rstd").addParameter(int.class, "statsOff");
  }

  /** Opens the loop over rows with a local {@code <a>o} = row r's offset for each array. */
  private static CodeBlock.Builder rowLoop(String... arrays) {
    CodeBlock.Builder b = CodeBlock.builder().beginControlFlow("for (int r = r0; r < r1; r++)");
    for (String a : arrays) {
      b.addStatement("int $Lo = $LOff + r * HIDDEN", a, a);
    }
    return b;
  }

  private static CodeBlock savedStats(RowNormKernels.Config c) {
    CodeBlock.Builder b = CodeBlock.builder();
    if (c.centered()) {
      b.addStatement("float m = mean[statsOff + r]");
    }
    return b.addStatement("float rs = rstd[statsOff + r]").build();
  }

  private static MethodSpec residualRows() {
    return rowsMethod("residualRows", "x", "out")
        .addCode(rowLoop("x", "out").add(RowNormKernels.residualAdd("x", "xo", "out", "outo")).endControlFlow().build())
        .build();
  }

  private static MethodSpec preBackwardRows(RowNormKernels.Config c) {
    CodeBlock body = rowLoop("x", "dh", "dout", "dx")
        .add(savedStats(c))
        .add(RowNormKernels.backward(c, new Row("x", "xo"), new Row("dh", "dho"), new Row("dx", "dxo"),
            new Row("dout", "douto"), null))
        .endControlFlow().build();
    return withStats(rowsMethod("backwardRows", "x", "dh", "dout", "dx"))
        .addParameter(FLOATS, "dweight").addParameter(FLOATS, "dbias")
        .addCode(body).build();
  }

  private static MethodSpec addNormRows(RowNormKernels.Config c) {
    CodeBlock.Builder body = rowLoop("x", "f", "s", "y")
        .add(RowNormKernels.addStatistics(c, "x", "xo", "f", "fo", "s", "so"))
        .add(RowNormKernels.normalize(c, "s", "so", "y", "yo"));
    if (c.centered()) {
      body.addStatement("mean[statsOff + r] = m + shift");
    }
    body.addStatement("rstd[statsOff + r] = rs").endControlFlow();
    return withStats(rowsMethod("addNormRows", "x", "f", "s", "y")).addCode(body.build()).build();
  }

  private static MethodSpec addNormBackwardRows(RowNormKernels.Config c) {
    CodeBlock body = rowLoop("s", "dy", "ds", "dx")
        .add(savedStats(c))
        .add(RowNormKernels.backward(c, new Row("s", "so"), new Row("dy", "dyo"), new Row("ds", "dso"), null,
            new Row("dx", "dxo")))
        .endControlFlow().build();
    return withStats(rowsMethod("addNormBackwardRows", "s", "dy", "ds", "dx"))
        .addParameter(FLOATS, "dweight").addParameter(FLOATS, "dbias")
        .addCode(body).build();
  }
}
