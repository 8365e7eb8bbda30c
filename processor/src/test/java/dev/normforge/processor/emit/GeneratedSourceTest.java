package dev.normforge.processor.emit;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the processor writes for every kind of site, byte for byte (one expected file per kind: LayerNorm,
 * RMSNorm, its zero-centred and partial variants, BatchNorm, and Pre-, Post-, Sandwich-, DeepNorm and
 * BatchNorm blocks), and that writing it again gives the same bytes. To accept an intended change of the
 * generated code, run with {@code -Dnormforge.updateExpected=true} and review the diff of
 * {@code src/test/resources/expected}.
 */
class GeneratedSourceTest {
  static final ModelSource TINY = ModelSource.model("dev.example", "TinyGpt", "hidden = 100, decoderLayers = 12")
      .site("NormLayer", "attentionNorm", "type = NormType.RMS, eps = 1e-6")
      .site("NormLayer", "finalNorm", "type = NormType.LAYER")
      .site("NormLayer", "gemmaNorm", "type = NormType.RMS, eps = 1e-6, weightOffset = 1")
      .site("NormLayer", "partialNorm", "type = NormType.RMS, partial = 0.0625")
      .site("BatchNormLayer", "batchNorm", "type = NormType.BATCH")
      .site("ResidualBlock", "preBlock", "type = NormType.LAYER, placement = Placement.PRE")
      .site("ResidualBlock", "postBlock", "type = NormType.RMS, placement = Placement.POST")
      .site("ResidualBlock", "sandwichBlock", "type = NormType.LAYER, placement = Placement.SANDWICH")
      .site("ResidualBlock", "deepBlock", "type = NormType.DEEP")
      .site("ResidualBlock", "batchBlock", "type = NormType.BATCH, placement = Placement.POST");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"AttentionNorm", "FinalNorm", "GemmaNorm", "PartialNorm", "BatchNorm", "PreBlock",
      "PostBlock", "SandwichBlock", "DeepBlock", "BatchBlock"})
  void generatedSourceMatchesTheExpectedSource(String site) throws IOException {
    assertMatchesExpected("dev.example.TinyGpt" + site, "TinyGpt" + site + ".java");
  }

  @Test
  void compilingTwiceGivesTheSameBytes() throws IOException {
    Compilation first = Processing.compile(TINY.file());
    Compilation second = Processing.compile(TINY.file());
    assertThat(first).succeeded();
    assertThat(second).succeeded();
    for (String name : new String[] {"dev.example.TinyGptFinalNorm", "dev.example.TinyGptAttentionNorm",
        "dev.example.TinyGptSandwichBlock", "dev.example.TinyGptBatchNorm"}) {
      assertArrayEquals(bytes(first, name), bytes(second, name), name + " differs between two compilations");
    }
  }

  @Test
  void generatedClassesCarryGeneratedAndTheirOrigin() {
    Compilation compilation = Processing.compile(TINY.file());
    String source = Processing.generatedSource(compilation, "dev.example.TinyGptAttentionNorm");
    assertTrue(source.contains("@Generated("), "no @Generated");
    assertTrue(source.contains("value = \"dev.normforge.processor.NormProcessor\""), "no generator name");
    assertTrue(source.contains("from dev.example.TinyGpt#attentionNorm()"), "no origin");
    assertTrue(source.contains("rstd = 1/sqrt(mean(x²) + eps)"), "javadoc lacks the formula");
    assertTrue(source.contains("hidden 100, eps 1.0E-6"), "javadoc lacks the configuration");
    assertTrue(!source.matches("(?s).*\\b20\\d\\d-\\d\\d-\\d\\d.*"), "generated source holds a date");
  }

  private static void assertMatchesExpected(String qualifiedName, String expectedFile) throws IOException {
    Compilation compilation = Processing.compile(TINY.file());
    assertThat(compilation).succeeded();
    String actual = Processing.generatedSource(compilation, qualifiedName);
    if (Boolean.getBoolean("normforge.updateExpected")) {
      Files.writeString(Path.of("src/test/resources/expected", expectedFile), actual);
    }
    try (InputStream in = GeneratedSourceTest.class.getResourceAsStream("/expected/" + expectedFile)) {
      String expected = in == null ? "(missing src/test/resources/expected/" + expectedFile + ")"
          : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(expected, actual, qualifiedName + " differs from src/test/resources/expected/" + expectedFile);
    }
  }

  private static byte[] bytes(Compilation compilation, String qualifiedName) throws IOException {
    JavaFileObject file = compilation.generatedSourceFile(qualifiedName).orElseThrow();
    try (InputStream in = file.openInputStream()) {
      return in.readAllBytes();
    }
  }
}
