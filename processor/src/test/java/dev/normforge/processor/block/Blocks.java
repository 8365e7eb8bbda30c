package dev.normforge.processor.block;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.runtime.ResidualBlock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The five block kinds, and compiling a model with one site per (kind, hidden). */
final class Blocks {
  private Blocks() {}

  /** A block kind: its {@code @Norm} attributes and what the reference needs to know. */
  record Kind(String name, String attributes, boolean pre, boolean centered, boolean bias, boolean sandwich) {
    Kind(String name, String attributes, boolean pre, boolean centered, boolean bias) {
      this(name, attributes, pre, centered, bias, false);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** alpha is not 1 everywhere, so the residual scale is exercised in every kind. */
  static final List<Kind> KINDS = List.of(
      new Kind("preLayer", "type = NormType.LAYER, placement = Placement.PRE, alpha = 1.3", true, true, true),
      new Kind("preRms", "type = NormType.RMS, placement = Placement.PRE, alpha = 0.7, bias = true", true, false, true),
      new Kind("postLayer", "type = NormType.LAYER, placement = Placement.POST, alpha = 1.0", false, true, true),
      new Kind("postRms", "type = NormType.RMS, placement = Placement.POST, alpha = 1.5", false, false, false),
      new Kind("deep", "type = NormType.DEEP", false, true, true),
      new Kind("sandwichLayer", "type = NormType.LAYER, placement = Placement.SANDWICH, alpha = 1.2", true, true, true,
          true),
      new Kind("sandwichRms", "type = NormType.RMS, placement = Placement.SANDWICH, alpha = 0.9, weightOffset = 1", true,
          false, false, true));

  /** Compiles one encoder-only (N = 6) model with a site per kind and hidden size; returns them by "kind/hidden". */
  static Map<String, ResidualBlock> compile(String model, int... hiddens) {
    ModelSource source = ModelSource.model("blocks", model, "encoderLayers = 6");
    for (int h : hiddens) {
      for (Kind k : KINDS) {
        source.site("ResidualBlock", k.name() + h, k.attributes() + ", hidden = " + h);
      }
    }
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    ClassLoader loader = Processing.loader(compilation);
    Map<String, ResidualBlock> blocks = new LinkedHashMap<>();
    for (int h : hiddens) {
      for (Kind k : KINDS) {
        blocks.put(k.name() + "/" + h,
            Processing.instantiate(loader, source.generated(k.name() + h), ResidualBlock.class));
      }
    }
    return blocks;
  }

  /**
   * Sets every weight of the block's norms ({@code weight}, a Sandwich block's {@code weight2}) to its
   * initial value + 0.2·N(0,1), and every bias to 0.1·N(0,1), so none is trivial.
   */
  static void randomizeNorm(ResidualBlock block, Random random) {
    float initial = freshWeight(block);
    for (dev.normforge.runtime.Parameter p : block.parameters()) {
      float[] v = p.value();
      boolean weight = p.name().startsWith("weight");
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (weight ? initial + 0.2 * random.nextGaussian() : 0.1 * random.nextGaussian());
      }
    }
  }

  /** The initial weight of a new block of {@code block}'s class: 1, or 0 for a zero-centred weight. */
  static float freshWeight(ResidualBlock block) {
    try {
      ResidualBlock fresh = (ResidualBlock) block.getClass().getConstructor().newInstance();
      return fresh.weight() == null ? 1f : fresh.weight().value()[0];
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  static float[] gaussian(int n, Random random) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) random.nextGaussian();
    }
    return a;
  }
}
