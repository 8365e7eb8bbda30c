package dev.normforge.processor.modelclass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.normforge.runtime.DeepNet;
import dev.normforge.runtime.NormModule;
import java.io.IOException;
import java.util.List;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * {@code describe()} lists every site with its configuration, alpha and beta with their source, parameter
 * count, bytes per row and class; the processor writes the same text as {@code META-INF/normforge/<model>.md}.
 */
class DescribeTest {
  static final String DECODER = Models.IMPORTS
      + "@NormModel(hidden = 768, decoderLayers = 24)\n"
      + "public interface Decoder {\n"
      + "  @Norm(type = NormType.DEEP) ResidualBlock deep(int layer);\n"
      + "  @Norm(type = NormType.RMS, placement = Placement.PRE, alpha = 0.5) ResidualBlock pre();\n"
      + "  @Norm(type = NormType.LAYER, placement = Placement.POST) AddNormBlock post();\n"
      + "  @Norm(type = NormType.LAYER, name = \"ln_f\") NormLayer finalNorm();\n"
      + "  @Norm(type = NormType.BATCH, hidden = 16, affine = false) BatchNormLayer bn();\n"
      + "}\n";

  @Test
  void describeListsEverySiteWithWhereItsConstantsCameFrom() {
    String text = Models.create(Models.compile("Decoder", DECODER), "NormforgeDecoder").describe();
    List<String> lines = text.lines().toList();
    assertEquals("# Decoder", lines.get(0));
    // 24 × 1,536 + 768 + 1,536 + 1,536 parameters; BatchNorm's 2 × 16 running statistics
    assertEquals("`m.Decoder`, implemented by the generated `m.NormforgeDecoder`: 0 encoder and 24 decoder layers; "
        + "5 sites, 28 site instances; 40,704 parameters (162,816 bytes as float32), 32 buffer values.", lines.get(2));
    double alpha = DeepNet.alpha(DeepNet.Stack.DECODER, 0, 24);
    double beta = DeepNet.beta(DeepNet.Stack.DECODER, 0, 24);
    // LayerNorm rows of 768 floats = 3,072 bytes, mean and rstd 8 per row
    assertEquals("| `deep(int layer)` × 24 (decoderLayers = 24) | `layers.{layer}.deep.weight`, `layers.{layer}.deep.bias` "
        + "| DEEP | POST | 768 | 1.0E-5 | " + alpha + " (DeepNet (2M)^1/4, M = 24) | " + beta
        + " (DeepNet (8M)^-1/4, M = 24) | 36,864 (1,536 per layer) | 6,144 / 6,152 | 6,152 / 6,144 | `DecoderDeep` |",
        lines.get(6));
    assertEquals("| `pre()` | `pre.weight` | RMS | PRE | 768 | 1.0E-5 | 0.5 (given) | 1.0 (default) | 768 "
        + "| 9,216 / 6,148 | 9,220 / 6,144 | `DecoderPre` |", lines.get(7));
    assertEquals("| `finalNorm()` | `ln_f.weight`, `ln_f.bias` | LAYER | NONE | 768 | 1.0E-5 | – | – | 1,536 "
        + "| 3,072 / 3,080 | 6,152 / 3,072 | `DecoderFinalNorm` |", lines.get(9));
    assertEquals("| `bn()` | `bn.running_mean`, `bn.running_var` | BATCH | NONE | 16 | 1.0E-5 | – | – | 0 "
        + "| 128 / 64 | 256 / 64 | `DecoderBn` |", lines.get(10));
    assertTrue(text.contains("- bytes/row: float32 bytes per row"), "the legend explains the bytes");
  }

  /**
   * The processor's names of every kind of site (in describe() and the javadoc) are the runtime's: the
   * tensors column, with {@code {layer}} expanded, lists the state dict's names in its order.
   */
  @Test
  void describeNamesExactlyTheTensorsOfTheStateDict() {
    String text = Models.IMPORTS
        + "@NormModel(hidden = 16, encoderLayers = 2, decoderLayers = 3)\n"
        + "public interface Every {\n"
        + "  @Norm(type = NormType.LAYER) NormLayer layerNorm();\n"
        + "  @Norm(type = NormType.RMS, weightOffset = 1, stack = Stack.DECODER) NormLayer gemma(int layer);\n"
        + "  @Norm(type = NormType.RMS, partial = 0.5, bias = true) NormLayer partial();\n"
        + "  @Norm(type = NormType.LAYER, affine = false) NormLayer biasOnly();\n"
        + "  @Norm(type = NormType.BATCH, stack = Stack.ENCODER) BatchNormLayer bn(int layer);\n"
        + "  @Norm(type = NormType.LAYER, placement = Placement.PRE, name = \"pre.{layer}\", layers = 2) ResidualBlock pre(int i);\n"
        + "  @Norm(type = NormType.RMS, placement = Placement.POST) AddNormBlock post();\n"
        + "  @Norm(type = NormType.LAYER, placement = Placement.SANDWICH) ResidualBlock sandwich();\n"
        + "  @Norm(type = NormType.DEEP, stack = Stack.DECODER) ResidualBlock deep(int layer);\n"
        + "  @Norm(type = NormType.BATCH, placement = Placement.POST, affine = false) BatchNormResidualBlock bnBlock();\n"
        + "}\n";
    NormModule model = Models.create(Models.compile("Every", text), "NormforgeEvery");
    List<String> described = Models.describedNames(model.describe());
    assertEquals(List.copyOf(model.stateDict().names()), described);
    assertTrue(described.contains("decoder.layers.2.deep.bias") && described.contains("sandwich.bias2")
        && described.contains("bn_block.running_var") && described.contains("pre.1.weight")
        && described.contains("encoder.layers.1.bn.running_mean"), described.toString());
  }

  @Test
  void theProcessorWritesTheSameDescriptionAsAResource() throws IOException {
    Compilation compilation = Models.compile("Decoder", DECODER);
    String resource = compilation.generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/normforge/m.Decoder.md")
        .orElseThrow(() -> new AssertionError("no META-INF/normforge/m.Decoder.md"))
        .getCharContent(true).toString();
    NormModule model = Models.create(compilation, "NormforgeDecoder");
    assertEquals(model.describe(), resource);
    assertEquals(resource, Models.compile("Decoder", DECODER)
        .generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/normforge/m.Decoder.md").orElseThrow()
        .getCharContent(true).toString(), "the same text on a second compilation");
  }
}
