package dev.normforge.processor.read;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.normforge.processor.testing.DiagnosticAssertions;
import dev.normforge.processor.testing.Processing;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every diagnostic of the catalogue, triggered by a model description a user could write: its id and
 * message, the file and the line (the annotation value itself where there is one), and nothing generated
 * for the broken model.
 */
class DiagnosticsTest {
  static final String IMPORTS = "package m;\n\nimport dev.normforge.annotations.*;\nimport dev.normforge.runtime.*;\n\n";

  static JavaFileObject model(String body) {
    return JavaFileObjects.forSourceString("m.M", IMPORTS + body);
  }

  static JavaFileObject site(String norm, String returnType) {
    return model("@NormModel(hidden = 64, encoderLayers = 6)\npublic interface M {\n"
        + "  @Norm(" + norm + ")\n  " + returnType + " site();\n}\n");
  }

  /** The error's id, message fragment, and the text of the line it must point at. */
  @ParameterizedTest(name = "[{0}] {1}")
  @CsvSource(delimiter = '|', value = {
      "normforge.eps | eps = -1.0 is invalid | type = NormType.LAYER, eps = -1 | NormLayer | eps = -1",
      "normforge.eps | eps = NaN is invalid | eps = Double.NaN | NormLayer | eps = Double.NaN",
      "normforge.eps | eps = Infinity is invalid | eps = 1.0 / 0 | NormLayer | eps = 1.0 / 0",
      "normforge.alpha | alpha = 0.0 is invalid | alpha = 0, placement = Placement.PRE | ResidualBlock | alpha = 0",
      "normforge.alpha | alpha = -2.0 is invalid | alpha = -2, placement = Placement.POST | ResidualBlock | alpha = -2",
      "normforge.alpha | alpha = Infinity is invalid | alpha = Double.POSITIVE_INFINITY, placement = Placement.POST | ResidualBlock | alpha = Double",
      "normforge.beta | beta = 0.0 is invalid | type = NormType.DEEP, beta = 0 | ResidualBlock | beta = 0",
      "normforge.beta.block | applies only to residual blocks | beta = 0.5 | NormLayer | beta = 0.5",
      "normforge.hidden | hidden = 0 is out of range | hidden = 0 | NormLayer | hidden = 0",
      "normforge.hidden | hidden = 100000000 is out of range | hidden = 100000000 | NormLayer | hidden = 100000000",
      "normforge.momentum | momentum = 0.0 is invalid | type = NormType.BATCH, momentum = 0 | BatchNormLayer | momentum = 0",
      "normforge.momentum | momentum = 1.5 is invalid | type = NormType.BATCH, momentum = 1.5 | BatchNormLayer | momentum = 1.5",
      "normforge.batch.only | momentum applies only to type = BATCH | type = NormType.LAYER, momentum = 0.2 | NormLayer | momentum = 0.2",
      "normforge.deep.only | stack applies only to type = DEEP | stack = Stack.ENCODER | NormLayer | stack = Stack.ENCODER",
      "normforge.deep.pre | placement = PRE is not allowed | type = NormType.DEEP, placement = Placement.PRE | ResidualBlock | placement = Placement.PRE",
      "normforge.range | weightOffset = Infinity is invalid: it must be a finite float | type = NormType.RMS, weightOffset = 1e39 * 1e300 | NormLayer | weightOffset = 1e39 * 1e300",
      "normforge.float | weightOffset = 1.0E39 does not fit a float | type = NormType.RMS, weightOffset = 1e39 | NormLayer | weightOffset = 1e39",
      "normforge.only | weightOffset applies only to a norm with a weight, but this site has affine = false | type = NormType.LAYER, affine = false, weightOffset = 1 | NormLayer | weightOffset = 1",
      "normforge.only | weightOffset applies only to row norms (LAYER, RMS, DEEP), but this site has type = BATCH | type = NormType.BATCH, weightOffset = 1 | BatchNormLayer | weightOffset = 1",
      "normforge.range | partial = 0.0 is invalid: it must be in (0, 1] | type = NormType.RMS, partial = 0 | NormLayer | partial = 0",
      "normforge.range | partial = 1.5 is invalid: it must be in (0, 1] | type = NormType.RMS, partial = 1.5 | NormLayer | partial = 1.5",
      "normforge.range | partial = NaN is invalid | type = NormType.RMS, partial = Double.NaN | NormLayer | partial = Double.NaN",
      "normforge.only | partial applies only to type = RMS, but this site has type = LAYER | type = NormType.LAYER, partial = 0.5 | NormLayer | partial = 0.5",
      "normforge.deep.pre | placement = SANDWICH is not allowed | type = NormType.DEEP, placement = Placement.SANDWICH | ResidualBlock | placement = Placement.SANDWICH",
      "normforge.only | placement = SANDWICH applies only to row norms (LAYER, RMS), but this site has type = BATCH | type = NormType.BATCH, placement = Placement.SANDWICH | ResidualBlock | placement = Placement.SANDWICH",
      "normforge.deep.none | placement = NONE is not allowed | type = NormType.DEEP, placement = Placement.NONE | NormLayer | placement = Placement.NONE",
      "normforge.deep.stack.empty | stack = DECODER, but the model has no decoder layers | type = NormType.DEEP, stack = Stack.DECODER | ResidualBlock | stack = Stack.DECODER",
      "normforge.type | site() must return NormLayer for a standalone LAYER norm, but it is m.M.Other | type = NormType.LAYER | Other | Other site()",
      "normforge.type | site() must return ResidualBlock for a PRE RMS block, but it is dev.normforge.runtime.NormLayer | type = NormType.RMS, placement = Placement.PRE | NormLayer | NormLayer site()",
      "normforge.type | site() must return BatchNormLayer for a standalone BATCH norm | type = NormType.BATCH | NormLayer | NormLayer site()",
      "normforge.type | site() must return ResidualBlock for a PRE LAYER block, but it is dev.normforge.runtime.AddNormBlock | type = NormType.LAYER, placement = Placement.PRE | AddNormBlock | AddNormBlock site()",
  })
  void reportsTheErrorAtTheValue(String id, String message, String norm, String returnType, String line) {
    String type = returnType.equals("Other") ? "Other" : returnType;
    JavaFileObject source = model("@NormModel(hidden = 64, encoderLayers = 6)\npublic interface M {\n"
        + "  interface Other {}\n"
        + "  @Norm(" + norm + ")\n  " + type + " site();\n}\n");
    DiagnosticAssertions.assertErrorAt(source, id, message, line);
  }

  @Test
  void theColumnIsTheValueItself() {
    JavaFileObject source = site("type = NormType.LAYER, eps = -1", "NormLayer");
    Compilation compilation = Processing.compile(source);
    String line = "  @Norm(type = NormType.LAYER, eps = -1)";
    assertThat(compilation).hadErrorContaining("[normforge.eps]").inFile(source)
        .onLine(8).atColumn(line.indexOf("-1") + 1);
  }

  /** A block's own interface is a valid declared type: AddNormBlock (Post-Norm; AUTO means POST), BatchNormResidualBlock. */
  @Test
  void aBlockMayBeDeclaredAsItsOwnInterface() throws ReflectiveOperationException {
    JavaFileObject source = model("@NormModel(hidden = 64, encoderLayers = 6)\npublic interface M {\n"
        + "  @Norm(type = NormType.DEEP) AddNormBlock deep();\n"
        + "  @Norm(type = NormType.RMS) AddNormBlock post();\n"
        + "  @Norm(type = NormType.BATCH, placement = Placement.POST) BatchNormResidualBlock batch();\n}\n");
    Compilation compilation = Processing.compile(source);
    assertThat(compilation).succeeded();
    ClassLoader loader = Processing.loader(compilation);
    assertTrue(Processing.instantiate(loader, "m.MPost", Object.class) instanceof dev.normforge.runtime.AddNormBlock);
    assertEquals(false, Processing.instantiate(loader, "m.MPost", dev.normforge.runtime.ResidualBlock.class).preNorm(),
        "an AddNormBlock site without placement is POST");
    assertTrue(Processing.instantiate(loader, "m.MBatch", Object.class)
        instanceof dev.normforge.runtime.BatchNormResidualBlock);
  }

  @Test
  void epsZeroIsAWarningNotAnError() {
    JavaFileObject source = site("eps = 0", "NormLayer");
    Compilation compilation = Processing.compile(source);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningContaining("[normforge.eps.zero]").inFile(source).onLineContaining("eps = 0");
    assertThat(compilation).generatedSourceFile("m.MSite");
  }

  @Test
  void deepWithoutLayerCountsOrConstants() {
    JavaFileObject source = model("@NormModel(hidden = 64)\npublic interface M {\n"
        + "  @Norm(type = NormType.DEEP)\n  ResidualBlock site();\n}\n");
    Compilation compilation = Processing.compile(source);
    assertThat(compilation).hadErrorContaining("[normforge.deep.layers] DEEP needs alpha and beta")
        .inFile(source).onLineContaining("@Norm(type = NormType.DEEP)");
  }

  @Test
  void deepInAnEncoderDecoderNeedsItsStack() {
    JavaFileObject source = model("@NormModel(hidden = 64, encoderLayers = 6, decoderLayers = 6)\npublic interface M {\n"
        + "  @Norm(type = NormType.DEEP)\n  ResidualBlock site();\n}\n");
    Compilation compilation = Processing.compile(source);
    assertThat(compilation).hadErrorContaining("[normforge.deep.stack] ").inFile(source)
        .onLineContaining("@Norm(type = NormType.DEEP)");
  }

  @Test
  void layerCountsOutOfRange() {
    JavaFileObject source = model("@NormModel(hidden = 64, decoderLayers = -3)\npublic interface M {\n"
        + "  @Norm NormLayer site();\n}\n");
    Compilation compilation = Processing.compile(source);
    assertThat(compilation).hadErrorContaining("[normforge.layers] decoderLayers = -3 is invalid")
        .inFile(source).onLineContaining("decoderLayers = -3");
  }

  @Test
  void noHiddenSizeAnywhere() {
    JavaFileObject source = model("@NormModel\npublic interface M {\n  @Norm NormLayer site();\n}\n");
    Compilation compilation = Processing.compile(source);
    assertThat(compilation).hadErrorContaining("[normforge.hidden.missing] site() has no hidden size")
        .inFile(source).onLineContaining("@Norm NormLayer site();");
  }

  @Test
  void normOutsideAModelNeedsItsOwnHiddenSize() {
    JavaFileObject source = model("public interface M {\n  @Norm NormLayer site();\n}\n");
    Compilation compilation = Processing.compile(source);
    assertThat(compilation).hadErrorContaining("[normforge.model.missing] @Norm on site() outside a @NormModel")
        .inFile(source).onLineContaining("@Norm NormLayer site();");
  }

  @Test
  void normOutsideAModelWithAHiddenSizeWorks() {
    JavaFileObject source = model("public interface M {\n  @Norm(hidden = 8) NormLayer site();\n}\n");
    Compilation compilation = Processing.compile(source);
    assertThat(compilation).succeeded();
    assertThat(compilation).generatedSourceFile("m.MSite");
  }

  /** A method with parameters is a per-layer site (one int): the model class's tests cover what it must be. */
  @Test
  void aMethodWithParametersIsAPerLayerSite() {
    JavaFileObject source = model("@NormModel(hidden = 8)\npublic interface M {\n  @Norm NormLayer site(String s);\n}\n");
    Compilation compilation = Processing.compile(source);
    assertThat(compilation).hadErrorContaining("[normforge.layer.parameter] a per-layer site takes exactly one int "
        + "parameter, the layer index, but the parameter s of site(java.lang.String) is a java.lang.String")
        .inFile(source).onLineContaining("site(String s)");
  }

  @Test
  void twoSitesWithOneGeneratedName() {
    JavaFileObject source = model("@NormModel(hidden = 8)\npublic abstract class M {\n"
        + "  @Norm NormLayer site;\n  @Norm abstract NormLayer site();\n}\n");
    Compilation compilation = Processing.compile(source);
    assertThat(compilation).hadErrorContaining("[normforge.name.clash] the generated class m.MSite would clash")
        .inFile(source).onLineContaining("abstract NormLayer site();");
  }

  @Test
  void aGeneratedNameThatExistsAlready() {
    JavaFileObject existing = JavaFileObjects.forSourceString("m.MSite", "package m;\npublic class MSite {}\n");
    JavaFileObject source = site("", "NormLayer");
    Compilation compilation = Processing.compile(source, existing);
    assertThat(compilation).hadErrorContaining("[normforge.name.exists] the generated class MSite would replace the existing type m.MSite")
        .inFile(source).onLineContaining("site();");
  }

  @Test
  void privateLocalAndGenericModels() {
    JavaFileObject priv = JavaFileObjects.forSourceString("m.Outer", IMPORTS
        + "public class Outer {\n  @NormModel(hidden = 8)\n  private interface Inner {\n    @Norm NormLayer site();\n  }\n}\n");
    assertThat(Processing.compile(priv)).hadErrorContaining("[normforge.model.private]").inFile(priv)
        .onLineContaining("@NormModel(hidden = 8)");

    JavaFileObject local = JavaFileObjects.forSourceString("m.Local", IMPORTS
        + "public class Local {\n  void f() {\n    @NormModel(hidden = 8)\n    class Inner {\n      @Norm NormLayer site;\n    }\n  }\n}\n");
    assertThat(Processing.compile(local)).hadErrorContaining("[normforge.model.local]").inFile(local)
        .onLineContaining("@NormModel(hidden = 8)");

    JavaFileObject generic = JavaFileObjects.forSourceString("m.G", IMPORTS
        + "@NormModel(hidden = 8)\npublic interface G<T> {\n  @Norm NormLayer site();\n}\n");
    assertThat(Processing.compile(generic)).hadErrorContaining("[normforge.model.generic] a @NormModel type must not be generic: G has type parameters T")
        .inFile(generic).onLineContaining("@NormModel(hidden = 8)");
  }

  @Test
  void aModelThatIsAnAnnotationType() {
    JavaFileObject source = JavaFileObjects.forSourceString("m.A", IMPORTS
        + "@NormModel(hidden = 8)\npublic @interface A {\n}\n");
    assertThat(Processing.compile(source)).hadErrorContaining("[normforge.model.kind] @NormModel belongs on a class or interface, not on an annotation type")
        .inFile(source).onLineContaining("@NormModel(hidden = 8)");
  }

  @Test
  void aNestedModelIsNamedAfterItsEnclosingTypes() {
    JavaFileObject nested = JavaFileObjects.forSourceString("m.Outer", IMPORTS
        + "public class Outer {\n  @NormModel(hidden = 8)\n  public interface Inner {\n    @Norm NormLayer site();\n  }\n}\n");
    Compilation compilation = Processing.compile(nested);
    assertThat(compilation).succeeded();
    assertThat(compilation).generatedSourceFile("m.OuterInnerSite");
  }

  @Test
  void allErrorsOfOneBuildAreReportedAndTheOtherModelsStillGenerate() {
    JavaFileObject broken = model("@NormModel(hidden = 64)\npublic interface M {\n"
        + "  @Norm(eps = -1) NormLayer a();\n"
        + "  @Norm(type = NormType.RMS, hidden = -5) NormLayer b();\n"
        + "  @Norm(type = NormType.DEEP, placement = Placement.PRE) ResidualBlock c();\n}\n");
    JavaFileObject fine = JavaFileObjects.forSourceString("m.Fine", IMPORTS
        + "@NormModel(hidden = 16)\npublic interface Fine {\n  @Norm NormLayer ok();\n}\n");
    Compilation compilation = Processing.compile(broken, fine);
    assertThat(compilation).failed();
    Set<String> ids = compilation.errors().stream()
        .map(d -> d.getMessage(null).replaceAll("^\\[([^\\]]+)\\].*", "$1"))
        .collect(Collectors.toSet());
    assertEquals(Set.of("normforge.eps", "normforge.hidden", "normforge.deep.pre"), ids, "errors: " + ids);
    assertEquals(3, compilation.errors().size());
    assertEquals(Set.of("m.FineOk", "m.NormforgeFine"), Processing.writtenSources(broken, fine),
        "only the model without errors gets generated files");
  }

  @Test
  void everyDiagnosticHasAUniqueStableId() {
    Set<String> ids = Arrays.stream(Diagnostic.values()).map(Diagnostic::id).collect(Collectors.toSet());
    assertEquals(Diagnostic.values().length, ids.size(), "duplicate diagnostic ids");
    for (Diagnostic d : Diagnostic.values()) {
      assertTrue(d.id().matches("normforge\\.[a-z.]+"), d.id());
    }
  }
}
