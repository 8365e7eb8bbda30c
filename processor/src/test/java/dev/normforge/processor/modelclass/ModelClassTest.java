package dev.normforge.processor.modelclass;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.Processing;
import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.runtime.NamedTensor;
import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.NormModule;
import dev.normforge.runtime.ResidualBlock;
import dev.normforge.runtime.StateDict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The generated model class: reachable through its {@code create()} and the user's own factory, one
 * instance per site per model (per layer for a per-layer site), bounds-checked layers, every tensor named
 * in PyTorch's {@code state_dict} style, {@code zeroGrad()} over all of them.
 */
class ModelClassTest {
  @Test
  void theModelClassImplementsTheModelAndIsReachableTwoWays() throws Throwable {
    Compilation compilation = Models.compile("Llama", Models.LLAMA);
    ClassLoader loader = Processing.loader(compilation);
    Class<?> llama = loader.loadClass("m.Llama");
    Object viaGenerated = loader.loadClass("m.NormforgeLlama").getMethod("create").invoke(null);
    Object viaUser = llama.getMethod("create").invoke(null);
    assertTrue(llama.isInstance(viaGenerated));
    assertTrue(viaGenerated instanceof NormModule);
    assertEquals(viaGenerated.getClass(), viaUser.getClass(), "the user's factory returns the generated class");
    assertNotSame(viaGenerated, viaUser, "each create() is a new model");
    assertNotSame(Models.site(viaGenerated, "finalNorm", null), Models.site(viaUser, "finalNorm", null),
        "two models share no site instance");
  }

  @Test
  void oneInstancePerSiteAndPerLayer() throws Throwable {
    NormModule model = Models.create(Models.compile("Llama", Models.LLAMA), "NormforgeLlama");
    Object finalNorm = Models.site(model, "finalNorm", null);
    assertSame(finalNorm, Models.site(model, "finalNorm", null), "a single site is one instance");
    assertEquals("m.LlamaFinalNorm", finalNorm.getClass().getName());
    List<Object> layers = new ArrayList<>();
    for (int layer = 0; layer < 4; layer++) {
      Object norm = Models.site(model, "attentionNorm", layer);
      assertSame(norm, Models.site(model, "attentionNorm", layer), "layer " + layer + " is one instance");
      assertEquals("m.LlamaAttentionNorm", norm.getClass().getName());
      assertEquals(64, ((NormLayer) norm).hidden());
      assertEquals(1e-6, ((NormLayer) norm).eps());
      for (Object other : layers) {
        assertNotSame(other, norm, "two layers share an instance");
      }
      layers.add(norm);
      assertNotSame(norm, Models.site(model, "ffnNorm", layer));
    }
  }

  @Test
  void aLayerOutOfRangeThrowsWithTheValidRange() throws Throwable {
    NormModule model = Models.create(Models.compile("Llama", Models.LLAMA), "NormforgeLlama");
    for (int layer : new int[] {-1, 4, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
          () -> Models.site(model, "ffnNorm", layer));
      assertEquals("ffnNorm(" + layer + "): layer " + layer + " is out of range: this site has 4 layers, 0 to 3",
          e.getMessage());
    }
  }

  @Test
  void tensorNamesFollowTheGivenNamesInSiteAndLayerOrder() {
    StateDict state = Models.create(Models.compile("Llama", Models.LLAMA), "NormforgeLlama").stateDict();
    List<String> expected = new ArrayList<>();
    for (int layer = 0; layer < 4; layer++) {
      expected.add("model.layers." + layer + ".input_layernorm.weight");
    }
    for (int layer = 0; layer < 4; layer++) {
      expected.add("model.layers." + layer + ".post_attention_layernorm.weight");
    }
    expected.add("model.norm.weight");
    assertEquals(expected, List.copyOf(state.names()));
    for (NamedTensor t : state) {
      assertEquals(NamedTensor.Kind.PARAMETER, t.kind());
      assertTrue(Arrays.equals(new int[] {64}, t.shape()), t.name());
      assertEquals(64, t.grad().length);
    }
    assertEquals(Set.of(), state.ignored());
  }

  @Test
  void tensorsAreTheSitesLiveArrays() throws Throwable {
    NormModule model = Models.create(Models.compile("Llama", Models.LLAMA), "NormforgeLlama");
    NormLayer layer2 = (NormLayer) Models.site(model, "ffnNorm", 2);
    NamedTensor t = model.stateDict().get("model.layers.2.post_attention_layernorm.weight");
    assertSame(layer2.weight().value(), t.value());
    assertSame(layer2.weight().grad(), t.grad());
    assertSame(layer2.weight(), t.parameter());
  }

  /** Default names: snake_case, {@code layers.{i}.} for per-layer sites, the stack first in an encoder-decoder model. */
  @Test
  void defaultNamesAreSnakeCaseWithLayersAndStacks() {
    String text = Models.IMPORTS
        + "@NormModel(hidden = 16, encoderLayers = 2, decoderLayers = 3)\n"
        + "public interface Seq2Seq {\n"
        + "  @Norm(type = NormType.LAYER, stack = Stack.ENCODER) NormLayer selfAttnLayerNorm(int layer);\n"
        + "  @Norm(type = NormType.RMS, placement = Placement.SANDWICH, stack = Stack.DECODER) ResidualBlock ffnBlock(int i);\n"
        + "  @Norm(type = NormType.BATCH, layers = 2) BatchNormLayer bn(int layer);\n"
        + "  @Norm(type = NormType.LAYER, affine = false, bias = false) NormLayer plainNorm();\n"
        + "  @Norm(type = NormType.BATCH, placement = Placement.POST) ResidualBlock finalBNBlock();\n"
        + "}\n";
    NormModule model = Models.create(Models.compile("Seq2Seq", text), "NormforgeSeq2Seq");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      expected.addAll(List.of("encoder.layers." + i + ".self_attn_layer_norm.weight",
          "encoder.layers." + i + ".self_attn_layer_norm.bias"));
    }
    for (int i = 0; i < 3; i++) {
      expected.addAll(List.of("decoder.layers." + i + ".ffn_block.weight", "decoder.layers." + i + ".ffn_block.weight2"));
    }
    for (int i = 0; i < 2; i++) {
      expected.addAll(List.of("layers." + i + ".bn.weight", "layers." + i + ".bn.bias",
          "layers." + i + ".bn.running_mean", "layers." + i + ".bn.running_var"));
    }
    expected.addAll(List.of("final_bn_block.weight", "final_bn_block.bias", "final_bn_block.running_mean",
        "final_bn_block.running_var"));
    assertEquals(expected, List.copyOf(model.stateDict().names()));
    assertEquals(Set.of("layers.0.bn.num_batches_tracked", "layers.1.bn.num_batches_tracked",
        "final_bn_block.num_batches_tracked"), model.stateDict().ignored());
    NamedTensor runningVar = model.stateDict().get("layers.1.bn.running_var");
    assertEquals(NamedTensor.Kind.BUFFER, runningVar.kind());
    assertNull(runningVar.grad());
    assertEquals(1f, runningVar.value()[0], "running variance starts at 1");
    assertEquals(2 * 2 + 3 * 2 + 2 * 2 + 2, model.parameters().size());
    assertEquals(2 * 2 + 2, model.buffers().size());
  }

  @Test
  void siteInstancesOfEveryKindAreReturnedAsDeclared() throws Throwable {
    String text = Models.IMPORTS
        + "@NormModel(hidden = 8, decoderLayers = 2)\n"
        + "public interface Kinds {\n"
        + "  @Norm(type = NormType.DEEP) AddNormBlock deep(int layer);\n"
        + "  @Norm(type = NormType.LAYER, placement = Placement.PRE) ResidualBlock pre();\n"
        + "  @Norm(type = NormType.BATCH) BatchNormLayer bn();\n"
        + "}\n";
    NormModule model = Models.create(Models.compile("Kinds", text), "NormforgeKinds");
    assertTrue(Models.site(model, "deep", 1) instanceof dev.normforge.runtime.AddNormBlock);
    assertEquals(Math.pow(4, 0.25), ((ResidualBlock) Models.site(model, "deep", 0)).alpha(), 1e-15,
        "DeepNet's alpha for M = 2");
    assertTrue(((ResidualBlock) Models.site(model, "pre", null)).preNorm());
    assertEquals(8, ((BatchNormLayer) Models.site(model, "bn", null)).hidden());
    assertEquals(model.getClass().getMethod("deep", int.class).getReturnType(), dev.normforge.runtime.AddNormBlock.class);
  }

  @Test
  void zeroGradClearsEveryGradient() {
    NormModule model = Models.create(Models.compile("Llama", Models.LLAMA), "NormforgeLlama");
    for (NamedTensor t : model.parameters()) {
      Arrays.fill(t.grad(), 3f);
    }
    model.zeroGrad();
    for (NamedTensor t : model.parameters()) {
      for (float g : t.grad()) {
        assertEquals(0f, g, t.name());
      }
    }
  }

  /** An abstract class model: the generated class extends it, overrides its site methods and sets its site fields. */
  @Test
  void anAbstractClassModelIsExtended() throws Throwable {
    String text = Models.IMPORTS
        + "@NormModel(hidden = 8, decoderLayers = 3)\n"
        + "public abstract class Net {\n"
        + "  @Norm(type = NormType.RMS) protected NormLayer inputNorm;\n"
        + "  @Norm(type = NormType.LAYER) abstract NormLayer blockNorm(int layer);\n"
        + "  @Norm(type = NormType.LAYER) public abstract NormLayer outNorm();\n"
        + "  public NormLayer input() { return inputNorm; }\n"
        + "}\n";
    Compilation compilation = Models.compile("Net", text);
    NormModule model = Models.create(compilation, "NormforgeNet");
    assertEquals("m.Net", model.getClass().getSuperclass().getName());
    Object input = model.getClass().getMethod("input").invoke(model);
    assertEquals("m.NetInputNorm", input.getClass().getName());
    assertEquals(List.of("input_norm.weight", "layers.0.block_norm.weight", "layers.0.block_norm.bias",
        "layers.1.block_norm.weight", "layers.1.block_norm.bias", "layers.2.block_norm.weight",
        "layers.2.block_norm.bias", "out_norm.weight", "out_norm.bias"), List.copyOf(model.stateDict().names()));
    assertSame(((NormLayer) input).weight(), model.stateDict().get("input_norm.weight").parameter());
  }

  /** Nested models and models in the unnamed package get a model class that compiles and works too. */
  @Test
  void nestedAndUnnamedPackageModels() throws Throwable {
    Compilation nested = Processing.compile(Models.source("m.Outer", Models.IMPORTS
        + "public class Outer {\n  @NormModel(hidden = 8, encoderLayers = 2)\n  public interface Inner {\n"
        + "    @Norm NormLayer norm(int layer);\n  }\n}\n"));
    assertThat(nested).succeeded();
    Object model = Processing.loader(nested).loadClass("m.NormforgeOuterInner").getMethod("create").invoke(null);
    assertEquals("m.OuterInnerNorm", Models.site(model, "norm", 1).getClass().getName());

    Compilation unnamed = Processing.compile(Models.source("Bare", "import dev.normforge.annotations.*;\n"
        + "import dev.normforge.runtime.*;\n@NormModel(hidden = 8)\npublic interface Bare {\n  @Norm NormLayer norm();\n}\n"));
    assertThat(unnamed).succeeded();
    NormModule bare = (NormModule) Processing.loader(unnamed).loadClass("NormforgeBare").getMethod("create").invoke(null);
    assertEquals(List.of("norm.weight", "norm.bias"), List.copyOf(bare.stateDict().names()));
    assertTrue(bare.describe().contains("`Bare`, implemented by the generated `NormforgeBare`"), bare.describe());
  }

  /** A model the generated class cannot implement gets a warning saying why, and its site classes as before. */
  @Test
  void aModelThatCannotBeImplementedIsAWarning() {
    String text = Models.IMPORTS
        + "@NormModel(hidden = 8)\n"
        + "public interface Other {\n"
        + "  @Norm NormLayer norm();\n"
        + "  String label();\n"
        + "}\n";
    Compilation compilation = Processing.compile(Models.source("m.Other", text));
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningContaining("[normforge.model.class] no model class NormforgeOther is generated: "
        + "it declares the abstract method label(), which is not a @Norm site");
    assertThat(compilation).generatedSourceFile("m.OtherNorm");
    assertFalse(compilation.generatedSourceFile("m.NormforgeOther").isPresent());
  }

  @Test
  void objectMethodsAndNormModuleMethodsNeedNoSite() {
    String text = Models.IMPORTS
        + "@NormModel(hidden = 8)\n"
        + "public interface Fine extends NormModule {\n"
        + "  @Norm NormLayer norm();\n"
        + "  String toString();\n"
        + "  StateDict stateDict();\n"
        + "  default String label() { return \"fine\"; }\n"
        + "}\n";
    Compilation compilation = Models.compile("Fine", text);
    assertThat(compilation).generatedSourceFile("m.NormforgeFine");
  }
}
