package dev.normforge.processor.hygiene;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.normforge.processor.testing.Processing;
import dev.normforge.runtime.NormLayer;
import java.util.Set;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Models and sites at the edges of what javac hands a processor, each a precise diagnostic or a working
 * class, never silence or {@code normforge.internal}: class names taken across models, annotation values
 * naming constants of classes generated in the same build (retried round after round), names too long for
 * a file system, record components, and sites in local and anonymous classes.
 */
class ModelElementsTest {
  static final String IMPORTS = "import dev.normforge.annotations.*;\nimport dev.normforge.runtime.*;\n\n";

  static JavaFileObject source(String qualified, String body) {
    String pkg = qualified.substring(0, qualified.lastIndexOf('.'));
    return JavaFileObjects.forSourceString(qualified, "package " + pkg + ";\n\n" + IMPORTS + body);
  }

  static void assertNoInternalError(Compilation compilation) {
    for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
      assertTrue(!d.getMessage(null).contains("normforge.internal"), d.getMessage(null));
    }
  }

  @Test
  void twoModelsThatWouldGenerateOneClassAreErrorsAtBothSites() {
    JavaFileObject a = source("p.A", "@NormModel(hidden = 8)\npublic interface A {\n  @Norm NormLayer BC();\n}\n");
    JavaFileObject ab = source("p.AB", "@NormModel(hidden = 8)\npublic interface AB {\n  @Norm NormLayer c();\n}\n");
    Compilation compilation = Processing.compile(a, ab);
    assertThat(compilation).failed();
    assertNoInternalError(compilation);
    assertThat(compilation).hadErrorContaining("[normforge.name.taken] the generated class p.ABC is also the class "
        + "generated for p.A#BC() (another model of this build)").inFile(ab).onLineContaining("NormLayer c();");
    assertThat(compilation).hadErrorContaining("[normforge.name.taken] the generated class p.ABC is also the class "
        + "generated for p.AB#c()").inFile(a).onLineContaining("NormLayer BC();");
    assertEquals(2, compilation.errors().size(), compilation.errors().toString());
  }

  @Test
  void aNestedModelAndATopLevelOneWithOnePrefix() {
    JavaFileObject outer = source("p.Outer",
        "public class Outer {\n  @NormModel(hidden = 8)\n  public interface Inner {\n    @Norm NormLayer site();\n  }\n}\n");
    JavaFileObject top = source("p.OuterInner",
        "@NormModel(hidden = 8)\npublic interface OuterInner {\n  @Norm(type = NormType.RMS) NormLayer site();\n}\n");
    Compilation compilation = Processing.compile(outer, top);
    assertNoInternalError(compilation);
    assertThat(compilation).hadErrorContaining("[normforge.name.taken] the generated class p.OuterInnerSite")
        .inFile(top).onLineContaining("NormLayer site();");
    assertThat(compilation).hadErrorContaining("[normforge.name.taken] the generated class p.OuterInnerSite")
        .inFile(outer).onLineContaining("NormLayer site();");
  }

  /** A site's hidden size, a model's hidden size and an eps from constants of classes generated in this build. */
  @Test
  void constantsOfClassesGeneratedInTheSameBuildAreRetriedUntilTheyResolve() throws ReflectiveOperationException {
    JavaFileObject a = source("p.A", "@NormModel(hidden = 24)\npublic interface A {\n"
        + "  @Norm(eps = 1e-3) NormLayer c();\n}\n");
    JavaFileObject b = source("p.B", "@NormModel(hidden = 8)\npublic interface B {\n"
        + "  @Norm(hidden = AC.HIDDEN, eps = AC.EPS) NormLayer d();\n}\n");
    JavaFileObject m = source("p.M", "@NormModel(hidden = AC.HIDDEN)\npublic interface M {\n  @Norm NormLayer e();\n}\n");
    // two rounds of deferral: N needs BD, which needs AC
    JavaFileObject n = source("p.N", "@NormModel(hidden = BD.HIDDEN + 1)\npublic interface N {\n  @Norm NormLayer f();\n}\n");
    Compilation compilation = Processing.compile(n, m, b, a);
    assertThat(compilation).succeeded();
    ClassLoader loader = Processing.loader(compilation);
    assertEquals(24, Processing.instantiate(loader, "p.BD", NormLayer.class).hidden());
    assertEquals(1e-3, Processing.instantiate(loader, "p.BD", NormLayer.class).eps());
    assertEquals(24, Processing.instantiate(loader, "p.ME", NormLayer.class).hidden());
    assertEquals(25, Processing.instantiate(loader, "p.NF", NormLayer.class).hidden());
  }

  @Test
  void aConstantThatNeverResolvesIsAnErrorAtItsModel() {
    JavaFileObject b = source("p.B", "@NormModel(hidden = 8)\npublic interface B {\n"
        + "  @Norm(hidden = Nope.HIDDEN) NormLayer d();\n}\n");
    JavaFileObject self = source("p.S", "@NormModel(hidden = SE.HIDDEN)\npublic interface S {\n  @Norm NormLayer e();\n}\n");
    Compilation compilation = Processing.compile(b, self);
    assertThat(compilation).failed();
    assertNoInternalError(compilation);
    assertThat(compilation).hadErrorContaining("[normforge.unresolved] an annotation value of p.B could not be resolved")
        .inFile(b).onLineContaining("public interface B");
    assertThat(compilation).hadErrorContaining("[normforge.unresolved] an annotation value of p.S could not be resolved")
        .inFile(self).onLineContaining("public interface S");
    assertEquals(Set.of(), Processing.writtenSources(b, self));
  }

  @Test
  void aGeneratedNameTooLongForAFileSystem() {
    String longSite = "a".repeat(199); // B + A... = 200 bytes: the longest accepted
    String tooLong = "a".repeat(200);
    String accented = "é".repeat(100); // 200 bytes in UTF-8, 100 characters: 201 with the prefix
    JavaFileObject fine = source("p.B", "@NormModel(hidden = 8)\npublic interface B {\n  @Norm NormLayer " + longSite
        + "();\n}\n");
    assertThat(Processing.compile(fine)).succeeded();
    JavaFileObject broken = source("p.C", "@NormModel(hidden = 8)\npublic interface C {\n  @Norm NormLayer " + tooLong
        + "();\n  @Norm NormLayer " + accented + "();\n}\n");
    Compilation compilation = Processing.compile(broken);
    assertThat(compilation).failed();
    assertNoInternalError(compilation);
    assertThat(compilation).hadErrorContaining("is 201 bytes long in UTF-8, more than the 200")
        .inFile(broken).onLineContaining("NormLayer " + tooLong + "();");
    assertThat(compilation).hadErrorContaining("[normforge.name.long] the generated class name CÉ")
        .inFile(broken).onLineContaining("NormLayer " + accented + "();");
    assertEquals(2, compilation.errors().size(), compilation.errors().toString());
    assertEquals(Set.of(), Processing.writtenSources(broken));
  }

  @Test
  void aRecordComponentIsNotASite() throws ReflectiveOperationException {
    JavaFileObject record = source("p.R", "@NormModel(hidden = 8)\npublic record R(@Norm NormLayer a) {\n}\n");
    Compilation compilation = Processing.compile(record);
    assertThat(compilation).failed();
    assertNoInternalError(compilation);
    assertThat(compilation).hadErrorContaining("[normforge.element] @Norm belongs on a method (without parameters, "
        + "or with one int parameter for a per-layer site) or a field of a @NormModel type, not on the record component a (it would make both its field and its "
        + "accessor a site)").inFile(record).onLineContaining("public record R");
    assertEquals(1, compilation.errors().size(), compilation.errors().toString());

    // a method of a record is a site like any other
    JavaFileObject methods = source("p.Q", "@NormModel(hidden = 8)\npublic record Q(int unused) {\n"
        + "  @Norm public NormLayer norm() {\n    return new QNorm();\n  }\n}\n");
    Compilation ok = Processing.compile(methods);
    assertThat(ok).succeeded();
    assertEquals(8, Processing.instantiate(Processing.loader(ok), "p.QNorm", NormLayer.class).hidden());
  }

  @Test
  void sitesInLocalAndAnonymousClassesAreErrors() {
    JavaFileObject source = source("p.L", "@NormModel(hidden = 8)\npublic class L {\n"
        + "  Object field = new Object() {\n    @Norm(hidden = 4) NormLayer inAnonymous;\n  };\n"
        + "  Runnable lambda = () -> {\n    class Local {\n      @Norm(hidden = 4) NormLayer inLambda() { return null; }\n    }\n  };\n"
        + "  void method() {\n    class Local {\n      @Norm(hidden = 4) NormLayer inMethod;\n    }\n"
        + "    new Object() {\n      class Member {\n        @Norm(type = NormType.RMS) NormLayer inMember;\n      }\n    };\n  }\n"
        + "  @Norm NormLayer fine;\n}\n");
    Compilation compilation = Processing.compile(source);
    assertThat(compilation).failed();
    assertNoInternalError(compilation);
    for (String line : new String[] {"NormLayer inAnonymous;", "NormLayer inLambda()", "NormLayer inMethod;",
        "NormLayer inMember;"}) {
      assertThat(compilation).hadErrorContaining("[normforge.site.local] @Norm on a member of a local or anonymous "
          + "class is never seen by annotation processing").inFile(source).onLineContaining(line);
    }
    assertEquals(4, compilation.errors().size(), compilation.errors().toString());
  }
}
