package dev.normforge.processor.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.normforge.processor.testing.Processing;
import java.io.IOException;
import java.io.InputStream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The generated model class, byte for byte: for the model of every site kind ({@link GeneratedSourceTest#TINY},
 * single sites) and for a LLaMA-style decoder with per-layer sites and checkpoint names; and the same
 * bytes on a second compilation. Update as {@link GeneratedSourceTest} says.
 */
class ModelSourceTest {
  static final JavaFileObject LLAMA = JavaFileObjects.forSourceString("dev.example.Llama", """
      package dev.example;

      import dev.normforge.annotations.*;
      import dev.normforge.runtime.*;

      @NormModel(hidden = 4096, decoderLayers = 32)
      public interface Llama extends NormModule {
        @Norm(type = NormType.RMS, eps = 1e-5, name = "model.layers.{layer}.input_layernorm")
        NormLayer attentionNorm(int layer);

        @Norm(type = NormType.RMS, eps = 1e-5, name = "model.layers.{layer}.post_attention_layernorm")
        NormLayer ffnNorm(int layer);

        @Norm(type = NormType.RMS, eps = 1e-5, name = "model.norm")
        NormLayer finalNorm();

        static Llama create() {
          return NormforgeLlama.create();
        }
      }
      """);

  @Test
  void theModelClassOfEverySiteKindMatchesTheExpectedSource() throws IOException {
    GeneratedSourceTest.assertMatchesExpected(Processing.compile(GeneratedSourceTest.TINY.file()),
        "dev.example.NormforgeTinyGpt", "NormforgeTinyGpt.java");
  }

  @Test
  void aPerLayerModelClassMatchesTheExpectedSource() throws IOException {
    GeneratedSourceTest.assertMatchesExpected(Processing.compile(LLAMA), "dev.example.NormforgeLlama",
        "NormforgeLlama.java");
  }

  @Test
  void compilingTwiceGivesTheSameBytes() throws IOException {
    assertArrayEquals(bytes(Processing.compile(LLAMA)), bytes(Processing.compile(LLAMA)));
  }

  private static byte[] bytes(Compilation compilation) throws IOException {
    try (InputStream in = compilation.generatedSourceFile("dev.example.NormforgeLlama").orElseThrow().openInputStream()) {
      return in.readAllBytes();
    }
  }
}
