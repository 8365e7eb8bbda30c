package dev.normforge.processor.model;

import dev.normforge.annotations.NormType;
import dev.normforge.annotations.Placement;
import dev.normforge.annotations.Stack;

/**
 * One validated norm site: everything the emitter needs, with every default resolved. Immutable; built
 * only by the reader after all checks passed.
 *
 * @param className simple name of the generated class, in the model's package
 * @param siteName the annotated element's name ({@code attentionNorm})
 * @param origin the element it came from, for javadoc and {@code @Generated} ({@code TinyGpt#attentionNorm()})
 * @param placement resolved: never {@code AUTO}
 * @param stack resolved for DEEP sites: {@code ENCODER} or {@code DECODER}; {@code AUTO} otherwise
 * @param alpha residual scale (1 when not given, DeepNet's constant for DEEP)
 * @param beta initialisation gain (1 when not given, DeepNet's constant for DEEP)
 * @param derivedConstants whether alpha/beta came from DeepNet's formulas rather than the annotation
 * @param rowNorm the row norm's recipe (LAYER, RMS, DEEP and their variants); null for BATCH
 */
public record SiteSpec(
    String className,
    String siteName,
    String origin,
    NormType type,
    Placement placement,
    Stack stack,
    int hidden,
    double eps,
    double alpha,
    double beta,
    boolean affine,
    boolean bias,
    double momentum,
    boolean derivedConstants,
    RowNormRecipe rowNorm) {

  /** Whether the norm subtracts the mean (LayerNorm and DeepNorm) rather than only scaling (RMSNorm). */
  public boolean centered() {
    return type != NormType.RMS;
  }

  /** Whether the site is a residual block rather than a standalone norm. */
  public boolean isBlock() {
    return placement != Placement.NONE;
  }
}
