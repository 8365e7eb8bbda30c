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

  static CodeBlock block(SiteSpec site) {
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
    return b.add(configuration(site)).build();
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
