package dev.normforge.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.normforge.processor.contract.RuntimeTypes;
import dev.normforge.processor.kernel.RowNormKernels;
import dev.normforge.processor.kernel.Vectors;
import dev.normforge.processor.model.SiteSpec;
import javax.lang.model.element.Modifier;

/** A standalone LayerNorm or RMSNorm site -> a {@code RowNormLayer} subclass specialized for its hidden size. */
public final class RowNormEmitter {
  private RowNormEmitter() {}

  static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);

  public static TypeSpec.Builder emit(SiteSpec site) {
    RowNormKernels.Config c = config(site);
    TypeSpec.Builder type = TypeSpec.classBuilder(site.className())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(RuntimeTypes.ROW_NORM_LAYER)
        .addJavadoc(Javadocs.rowNorm(site));
    SiteConstants.add(type, site);
    type.addFields(Vectors.loopConstants());
    addParameterFields(type, c);
    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("A new layer with weight 1 and bias 0 and zero gradients.\n")
        .addStatement("super(HIDDEN, EPS, $L, $L, $L)", c.centered(), c.weight(), c.bias())
        .addCode(parameterFieldInit(c))
        .build());
    type.addMethod(normalizeRows(c));
    type.addMethod(backwardRows(c));
    return type;
  }

  static RowNormKernels.Config config(SiteSpec site) {
    return new RowNormKernels.Config(site.centered(), site.affine(), site.bias());
  }

  /** {@code weight} and {@code bias}: the parameters' value arrays, held directly for the kernels. */
  static void addParameterFields(TypeSpec.Builder type, RowNormKernels.Config c) {
    if (c.weight()) {
      type.addField(FieldSpec.builder(FLOATS, "weight", Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("{@code weight().value()}, read by the kernels.\n").build());
    }
    if (c.bias()) {
      type.addField(FieldSpec.builder(FLOATS, "bias", Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("{@code bias().value()}, read by the kernels.\n").build());
    }
  }

  static CodeBlock parameterFieldInit(RowNormKernels.Config c) {
    CodeBlock.Builder b = CodeBlock.builder();
    if (c.weight()) {
      b.addStatement("this.weight = weight().value()");
    }
    if (c.bias()) {
      b.addStatement("this.bias = bias().value()");
    }
    return b.build();
  }

  /** The row norm forward, shared with Pre-Norm blocks (which normalize x into their workspace). */
  static MethodSpec normalizeRows(RowNormKernels.Config c) {
    // Software-pipelined rows: the last pass of row r (from cache) also does pass 1 of row r + 1 (from
    // memory), so DRAM keeps streaming while a long row is re-read; per row, the sums are unchanged.
    String sum = RowNormKernels.firstPassSum(c, "");
    CodeBlock.Builder body = CodeBlock.builder()
        .beginControlFlow("if (r0 >= r1)").addStatement("return").endControlFlow()
        .add(RowNormKernels.firstPass(c, "x", "xOff + r0 * HIDDEN", "").code())
        .beginControlFlow("for (int r = r0; r < r1; r++)")
        .addStatement("int xo = xOff + r * HIDDEN")
        .addStatement("int yo = yOff + r * HIDDEN")
        .add(RowNormKernels.statisticsAfterFirstPass(c, "x", "xo"))
        .add("// the last row re-reads itself (from cache) instead, and the sum is not used\n")
        .addStatement("int next = r + 1 < r1 ? xo + HIDDEN : xo")
        .add(RowNormKernels.normalize(c, "x", "xo", "y", "yo", RowNormKernels.firstPass(c, "x", "next", "next")))
        .addStatement("$L = $L", sum, RowNormKernels.firstPassSum(c, "next"))
        .beginControlFlow("if (rstd != null)");
    if (c.centered()) {
      body.addStatement("mean[statsOff + r] = m + shift");
    }
    body.addStatement("rstd[statsOff + r] = rs").endControlFlow().endControlFlow();
    return MethodSpec.methodBuilder("normalizeRows")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED)
        .addParameter(FLOATS, "x").addParameter(int.class, "xOff")
        .addParameter(FLOATS, "y").addParameter(int.class, "yOff")
        .addParameter(int.class, "r0").addParameter(int.class, "r1")
        .addParameter(FLOATS, "mean").addParameter(FLOATS, "rstd").addParameter(int.class, "statsOff")
        .addCode(body.build())
        .build();
  }

  private static MethodSpec backwardRows(RowNormKernels.Config c) {
    CodeBlock.Builder body = CodeBlock.builder()
        .beginControlFlow("for (int r = r0; r < r1; r++)")
        .addStatement("int xo = xOff + r * HIDDEN")
        .addStatement("int dyo = dyOff + r * HIDDEN")
        .addStatement("int dxo = dxOff + r * HIDDEN");
    if (c.centered()) {
      body.addStatement("float m = mean[statsOff + r]");
    }
    body.addStatement("float rs = rstd[statsOff + r]")
        .add(RowNormKernels.backward(c))
        .endControlFlow();
    return MethodSpec.methodBuilder("backwardRows")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED)
        .addParameter(FLOATS, "x").addParameter(int.class, "xOff")
        .addParameter(FLOATS, "dy").addParameter(int.class, "dyOff")
        .addParameter(FLOATS, "dx").addParameter(int.class, "dxOff")
        .addParameter(int.class, "r0").addParameter(int.class, "r1")
        .addParameter(FLOATS, "mean").addParameter(FLOATS, "rstd").addParameter(int.class, "statsOff")
        .addParameter(FLOATS, "dweight").addParameter(FLOATS, "dbias")
        .addCode(body.build())
        .build();
  }
}
