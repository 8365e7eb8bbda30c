package dev.normforge.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.normforge.processor.model.SiteSpec;

/** The javadoc of generated classes: formula, configuration, and the model element they came from. */
final class Javadocs {
  private Javadocs() {}

  static CodeBlock rowNorm(SiteSpec site) {
    return CodeBlock.builder()
        .add("$L over rows of $L features, specialized for that size (Vector API).\n\n", site.rowNorm().name(),
            site.hidden())
        .add(site.rowNorm().javadoc())
        .add("\n")
        .add(configuration(site))
        .build();
  }

  static CodeBlock configuration(SiteSpec site) {
    return CodeBlock.builder()
        .add("<p>Configuration: type $L, placement $L, hidden $L, eps $L, $L", site.type(),
            site.placement(), site.hidden(), site.eps(),
            site.rowNorm() != null ? site.rowNorm().configuration() : "weight " + site.affine() + ", bias " + site.bias())
        .add(site.isBlock() ? ", alpha " + site.alpha() + ", beta " + site.beta()
            + (site.derivedConstants() ? " (DeepNet, " + site.stack().name().toLowerCase() + " stack)" : "") : "")
        .add(site.type() == dev.normforge.annotations.NormType.BATCH ? ", momentum " + site.momentum() : "")
        .add(".\n")
        .add("Generated from {@code $L}.\n", site.origin())
        .build();
  }
}
