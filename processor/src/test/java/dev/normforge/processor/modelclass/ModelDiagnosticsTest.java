package dev.normforge.processor.modelclass;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.normforge.processor.testing.DiagnosticAssertions;
import dev.normforge.processor.testing.Processing;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The diagnostics of per-layer sites, tensor names and the model class: each at the exact element or
 * attribute, and nothing generated for a model with an error.
 */
class ModelDiagnosticsTest {
  static JavaFileObject model(String modelAttributes, String body) {
    return JavaFileObjects.forSourceString("m.M", Models.IMPORTS + "@NormModel(" + modelAttributes + ")\n"
        + "public interface M {\n" + body + "}\n");
  }

  /** The error's id, a message fragment, the model's attributes, the body, and the line the error points at. */
  @ParameterizedTest(name = "[{0}] {1}")
  @CsvSource(delimiter = '|', value = {
      "normforge.layers.missing | site(int) is a per-layer site (one instance per layer), but the model has no layer count"
          + " | hidden = 8 | @Norm NormLayer site(int i); | @Norm NormLayer site(int i);",
      "normforge.layers.stack | site(int) is a per-layer site of a model with encoder and decoder layers (encoderLayers = 2, decoderLayers = 3)"
          + " | hidden = 8, encoderLayers = 2, decoderLayers = 3 | @Norm NormLayer site(int i); | @Norm NormLayer site(int i);",
      "normforge.layers.stack | site(int) is a per-layer site of a model with encoder and decoder layers"
          + " | hidden = 8, encoderLayers = 2, decoderLayers = 3 | @Norm(type = NormType.DEEP, alpha = 2, beta = 0.5) ResidualBlock site(int i); | ResidualBlock site(int i);",
      "normforge.deep.stack.empty | stack = DECODER, but the model has no decoder layers (decoderLayers = 0)"
          + " | hidden = 8, encoderLayers = 2 | @Norm(stack = Stack.DECODER) NormLayer site(int i); | stack = Stack.DECODER",
      "normforge.layer.parameter | but the parameter i of site(long) is a long"
          + " | hidden = 8, decoderLayers = 2 | @Norm NormLayer site(long i); | site(long i)",
      "normforge.layer.parameter | but site(int, int) has 2 parameters"
          + " | hidden = 8, decoderLayers = 2 | @Norm NormLayer site(int layer,\\n int head); | int head",
      "normforge.range | layers = 0 is invalid: it must be between 1 and 100000"
          + " | hidden = 8 | @Norm(layers = 0) NormLayer site(int i); | layers = 0",
      "normforge.range | layers = 100001 is invalid"
          + " | hidden = 8 | @Norm(layers = 100001) NormLayer site(int i); | layers = 100001",
      "normforge.only | layers applies only to per-layer sites (a method with one int parameter, the layer index), but this site has no parameter"
          + " | hidden = 8, decoderLayers = 2 | @Norm(layers = 2) NormLayer site(); | layers = 2",
      "normforge.deep.only | stack applies only to type = DEEP"
          + " | hidden = 8, decoderLayers = 2 | @Norm(stack = Stack.DECODER) NormLayer site(); | stack = Stack.DECODER",
      "normforge.name.layer | name = \"model.norm\" has no {layer}, but site(int) is a per-layer site"
          + " | hidden = 8, decoderLayers = 2 | @Norm(name = \"model.norm\") NormLayer site(int i); | name = \"model.norm\"",
      "normforge.name.layer | name = \"a.{layer}.b.{layer}\" has {layer} 2 times"
          + " | hidden = 8, decoderLayers = 2 | @Norm(name = \"a.{layer}.b.{layer}\") NormLayer site(int i); | name = \"a.{layer}",
      "normforge.name.layer | name = \"h.{layer}\" has {layer}, but site() is a single site"
          + " | hidden = 8, decoderLayers = 2 | @Norm(name = \"h.{layer}\") NormLayer site(); | name = \"h.{layer}\"",
      "normforge.name.invalid | name = \"\" is not a valid tensor name: it is empty"
          + " | hidden = 8 | @Norm(name = \"\") NormLayer site(); | name = \"\"",
      "normforge.name.invalid | name = \"a..b\" is not a valid tensor name: it has an empty part"
          + " | hidden = 8 | @Norm(name = \"a..b\") NormLayer site(); | name = \"a..b\"",
      "normforge.name.invalid | name = \".a\" is not a valid tensor name: it has an empty part"
          + " | hidden = 8 | @Norm(name = \".a\") NormLayer site(); | name = \".a\"",
      "normforge.name.invalid | name = \"a b\" is not a valid tensor name: it holds whitespace"
          + " | hidden = 8 | @Norm(name = \"a b\") NormLayer site(); | name = \"a b\"",
      "normforge.name.invalid | name = \"l.{i}\" is not a valid tensor name: the only placeholder is {layer}"
          + " | hidden = 8, decoderLayers = 2 | @Norm(name = \"l.{i}\") NormLayer site(int i); | name = \"l.{i}\"",
      "normforge.name.duplicate | the tensor norm.weight of b() is also a tensor of a()"
          + " | hidden = 8 | @Norm(name = \"norm\") NormLayer a();\\n@Norm(name = \"norm\") NormLayer b(); | NormLayer b()",
      "normforge.name.duplicate | the tensor layers.1.x.weight of b() is also a tensor of a(int)"
          + " | hidden = 8, decoderLayers = 2 | @Norm(name = \"layers.{layer}.x\") NormLayer a(int i);\\n@Norm(name = \"layers.1.x\") NormLayer b(); | NormLayer b()",
      "normforge.name.duplicate | the tensor layers.0.a.weight of b(int) is also a tensor of a(int)"
          + " | hidden = 8, decoderLayers = 2 | @Norm(type = NormType.RMS) NormLayer a(int i);\\n@Norm(type = NormType.RMS, name = \"layers.{layer}.a\") NormLayer b(int i); | NormLayer b(int i)",
  })
  void reportsTheErrorWhereItIs(String id, String message, String modelAttributes, String body, String line) {
    JavaFileObject source = model(modelAttributes, "  " + body.replace("\\n", "\n  ") + "\n");
    DiagnosticAssertions.assertErrorAt(source, id, message, line);
  }

  @Test
  void aPerLayerSiteOutsideAModel() {
    JavaFileObject source = JavaFileObjects.forSourceString("m.M", Models.IMPORTS
        + "public interface M {\n  @Norm(hidden = 8, layers = 2) NormLayer site(int i);\n}\n");
    assertThat(Processing.compile(source)).hadErrorContaining("[normforge.layers.missing] site(int) is a per-layer site"
        + " (one instance per layer), but only the model class of a @NormModel type serves per-layer sites: annotate M"
        + " with @NormModel").inFile(source).onLineContaining("site(int i)");
  }

  /** A DEEP per-layer site in an encoder-decoder model without a stack: one error (DeepNet's), not two. */
  @Test
  void aDeepPerLayerSiteWithoutItsStackIsOneError() {
    JavaFileObject source = model("hidden = 8, encoderLayers = 2, decoderLayers = 2",
        "  @Norm(type = NormType.DEEP) ResidualBlock site(int i);\n");
    Compilation compilation = Processing.compile(source);
    assertThat(compilation).hadErrorContaining("[normforge.deep.stack]");
    assertEquals(1, compilation.errors().size(), compilation.errors().toString());
  }

  @Test
  void theModelClassWouldReplaceAnExistingType() {
    JavaFileObject existing = JavaFileObjects.forSourceString("m.NormforgeM", "package m;\npublic class NormforgeM {}\n");
    JavaFileObject source = model("hidden = 8", "  @Norm NormLayer site();\n");
    assertThat(Processing.compile(source, existing)).hadErrorContaining("[normforge.name.exists] the generated class "
        + "NormforgeM would replace the existing type m.NormforgeM").inFile(source).onLineContaining("@NormModel");
  }

  /** What the model class cannot implement: a warning at the model, the site classes still generated. */
  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "public final class M { @Norm NormLayer site() { return null; } } | M is final",
      "public abstract class M { M(int x) {} @Norm abstract NormLayer site(); } | M has no constructor without parameters",
      "public abstract class M { @Norm private NormLayer site; } | the site field site is static, final or private",
      "public abstract class M { @Norm final NormLayer site() { return null; } } | the site site() is static, final, private or generic",
      "public interface M { @Norm NormLayer site(); int parameters(); } | its method parameters() would clash with NormModule's",
      "public interface M { @Norm NormLayer create(); } | the site create() has the name of a member of the model class",
      "public enum M { A; @Norm NormLayer site() { return null; } } | M is an enum, which a class cannot extend",
  })
  void aModelTheClassCannotImplementIsAWarning(String body, String reason) {
    JavaFileObject source = JavaFileObjects.forSourceString("m.M", Models.IMPORTS + "@NormModel(hidden = 8)\n" + body + "\n");
    Compilation compilation = Processing.compile(source);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningContaining("[normforge.model.class] no model class NormforgeM is generated: " + reason)
        .inFile(source).onLineContaining("@NormModel");
    assertThat(compilation).generatedSourceFile(body.contains("create") ? "m.MCreate" : "m.MSite");
  }
}
