package dev.normforge.processor.contract;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Every kernel method a generated class overrides, declared once: the runtime base that declares it
 * abstract, its name and its parameters. Emitters implement a kernel with {@link #implement}; a test checks
 * each entry against the runtime class by reflection, so the two cannot drift apart.
 *
 * <p>Parameter types follow their names: offsets ({@code ...Off}) and the row range ({@code r0}, {@code r1})
 * are {@code int}; everything else is a {@code float[]}. Row kernels run rows {@code [r0, r1)}; row
 * {@code r} of an array {@code a} starts at {@code aOff + r·hidden}; per-row statistics are at
 * {@code statsOff + r}.
 */
public enum KernelContract {
  /** Normalizes rows of {@code x} into {@code y}, saving statistics when {@code rstd != null}. */
  ROW_NORMALIZE(RuntimeTypes.ROW_NORM_LAYER, "normalizeRows", Params.NORMALIZE),
  /** Overwrites {@code dx}, adds into {@code dweight}/{@code dbias} (null when absent). */
  ROW_BACKWARD(RuntimeTypes.ROW_NORM_LAYER, "backwardRows",
      "x", "xOff", "dy", "dyOff", "dx", "dxOff", "r0", "r1", "mean", "rstd", "statsOff", "dweight", "dbias"),
  /** Pre-Norm: {@code h = norm(x)}, saving statistics (the same kernel as {@link #ROW_NORMALIZE}). */
  PRE_NORMALIZE(RuntimeTypes.PRE_NORM_BLOCK, "normalizeRows", Params.NORMALIZE),
  /** Pre-Norm: {@code out = alpha·x + out}. */
  PRE_RESIDUAL(RuntimeTypes.PRE_NORM_BLOCK, "residualRows", "x", "xOff", "out", "outOff", "r0", "r1"),
  /** Pre-Norm: {@code dx = norm'(x)ᵀ·dh + alpha·dout}. */
  PRE_BACKWARD(RuntimeTypes.PRE_NORM_BLOCK, "backwardRows",
      "x", "xOff", "dh", "dhOff", "dout", "doutOff", "dx", "dxOff", "r0", "r1", "mean", "rstd", "statsOff",
      "dweight", "dbias"),
  /** Post-Norm: {@code s = alpha·x + f}, {@code y = norm(s)}, saving statistics. */
  POST_ADD_NORM(RuntimeTypes.POST_NORM_BLOCK, "addNormRows",
      "x", "xOff", "f", "fOff", "s", "sOff", "y", "yOff", "r0", "r1", "mean", "rstd", "statsOff"),
  /** Post-Norm: {@code ds = norm'(s)ᵀ·dy}, {@code dx = alpha·ds}. */
  POST_ADD_NORM_BACKWARD(RuntimeTypes.POST_NORM_BLOCK, "addNormBackwardRows",
      "s", "sOff", "dy", "dyOff", "ds", "dsOff", "dx", "dxOff", "r0", "r1", "mean", "rstd", "statsOff",
      "dweight", "dbias"),
  /** BatchNorm: per-feature {@code Σx}. */
  BATCH_SUM(RuntimeTypes.BATCH_NORM_BASE, "sumRows", "x", "xOff", "r0", "r1", "sum"),
  /** BatchNorm: per-feature {@code Σd}, {@code Σd²} of {@code d = x - shift}. */
  BATCH_STATS(RuntimeTypes.BATCH_NORM_BASE, "statsRows", "x", "xOff", "r0", "r1", "shift", "sum", "sumSq"),
  /** BatchNorm: {@code y = (x - shift)·scale + offset}. */
  BATCH_NORMALIZE(RuntimeTypes.BATCH_NORM_BASE, "normalizeRows",
      "x", "xOff", "y", "yOff", "r0", "r1", "shift", "scale", "offset"),
  /** BatchNorm: per-feature {@code Σdy}, {@code Σdy·xc}, {@code Σxc} of {@code xc = x - center}. */
  BATCH_GRADIENT_SUMS(RuntimeTypes.BATCH_NORM_BASE, "gradientSumsRows",
      "x", "xOff", "dy", "dyOff", "r0", "r1", "center", "sumDy", "sumDyXc", "sumXc"),
  /** BatchNorm: {@code dx = (dy + b·(x - center) + c)·a}. */
  BATCH_BACKWARD(RuntimeTypes.BATCH_NORM_BASE, "backwardRows",
      "x", "xOff", "dy", "dyOff", "dx", "dxOff", "r0", "r1", "center", "coefA", "coefB", "coefC");

  private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);
  private static final Set<String> ROW_RANGE = Set.of("r0", "r1");

  private final ClassName owner;
  private final String method;
  private final List<String> parameters;

  KernelContract(ClassName owner, String method, String... parameters) {
    this.owner = owner;
    this.method = method;
    this.parameters = List.of(parameters);
  }

  /** The runtime class that declares this kernel abstract. */
  public ClassName owner() {
    return owner;
  }

  public String method() {
    return method;
  }

  public List<String> parameters() {
    return parameters;
  }

  /** A parameter's type: {@code int} for offsets and the row range, {@code float[]} otherwise. */
  public static TypeName type(String parameter) {
    return parameter.endsWith("Off") || ROW_RANGE.contains(parameter) ? TypeName.INT : FLOATS;
  }

  /** The override of this kernel with {@code body}. */
  public MethodSpec implement(CodeBlock body) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(method)
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED);
    for (String p : parameters) {
      m.addParameter(type(p), p);
    }
    return m.addCode(body).build();
  }

  /** Parameter lists two kernels share. */
  private static final class Params {
    static final String[] NORMALIZE = {"x", "xOff", "y", "yOff", "r0", "r1", "mean", "rstd", "statsOff"};
  }
}
