package dev.normforge.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The processor claims what is its own and nothing else: a build with {@code -Xlint:all -Werror} passes
 * (no "No processor claimed any of these annotations"), a processor that runs after it never sees
 * {@code @NormModel}, {@code @Norm} or the {@code @Generated} of the classes it wrote, but still sees another
 * generator's {@code @Generated}; and local models are reported once whichever processor javac runs first.
 */
class ClaimsTest {
  private static final ModelSource MODEL = ModelSource.model("m", "M", "hidden = 32, decoderLayers = 2")
      .site("NormLayer", "ln", "type = NormType.LAYER")
      .site("ResidualBlock", "deep", "type = NormType.DEEP")
      .site("BatchNormLayer", "bn", "type = NormType.BATCH");

  private static final String NORMFORGE = "dev.normforge.annotations.";
  private static final String GENERATED = "javax.annotation.processing.Generated";

  @Test
  void aModelCompilesWithEveryLintWarningAnError() {
    // -incubating: javac 22+ warns about any use of an incubator module; the Vector API is one
    Compilation compilation = Processing.compileWith(List.of("-Xlint:all,-incubating", "-Werror"), MODEL.file());
    assertThat(compilation).succeededWithoutWarnings();
    assertTrue(compilation.generatedSourceFile(MODEL.generated("deep")).isPresent());
  }

  @Test
  void withoutClaimsTheSameBuildWouldFail() {
    // the check above can fail: a processor that claims nothing leaves the same sources with the warning
    Compilation compilation = javac().withProcessors(new Recorder())
        .withOptions("--add-modules", "jdk.incubator.vector", "-Xlint:all,-incubating", "-Werror")
        .compile(MODEL.file());
    assertThat(compilation).hadWarningContaining("No processor claimed any of these annotations");
  }

  @Test
  void aLaterProcessorSeesNoneOfOurAnnotations() {
    Recorder later = new Recorder();
    assertThat(compile(later, MODEL.file())).succeeded();
    assertTrue(later.rounds > 1, "the recorder ran in the generated classes' round too");
    assertTrue(later.seen.stream().noneMatch(a -> a.startsWith(NORMFORGE) || a.equals(GENERATED)), later.seen.toString());
  }

  @Test
  void anotherGeneratorsGeneratedIsLeftToOthers() {
    JavaFileObject other = JavaFileObjects.forSourceString("o.Other",
        "package o;\n\n@javax.annotation.processing.Generated(\"some.OtherGenerator\")\npublic class Other {}\n");
    Recorder later = new Recorder();
    assertThat(compile(later, MODEL.file(), other)).succeeded();
    assertTrue(later.seen.contains(GENERATED), later.seen.toString());
  }

  @Test
  void aLocalModelIsReportedOnceWhicheverProcessorRunsFirst() {
    JavaFileObject local = JavaFileObjects.forSourceString("m.Local", "package m;\n\n"
        + "import dev.normforge.annotations.*;\nimport dev.normforge.runtime.*;\n\n"
        + "public class Local {\n  void f() {\n    @NormModel(hidden = 8)\n    class Inner {\n"
        + "      @Norm NormLayer site;\n    }\n  }\n}\n");
    for (List<Processor> order : List.of(List.<Processor>of(new NormProcessor(), new LocalModelCheck()),
        List.<Processor>of(new LocalModelCheck(), new NormProcessor()))) {
      Compilation compilation = javac().withProcessors(order).withOptions("--add-modules", "jdk.incubator.vector")
          .compile(MODEL.file(), local);
      long reports = compilation.errors().stream()
          .filter(d -> d.getMessage(null).contains("[normforge.model.local]")).count();
      assertEquals(1, reports, order + ": " + compilation.diagnostics());
    }
  }

  private static Compilation compile(Processor later, JavaFileObject... sources) {
    List<Processor> processors = new ArrayList<>(Processing.processors());
    processors.add(later);
    return javac().withProcessors(processors).withOptions("--add-modules", "jdk.incubator.vector").compile(sources);
  }

  /** Supports every annotation, records those javac hands it, claims none. */
  private static final class Recorder extends AbstractProcessor {
    final Set<String> seen = new TreeSet<>();
    int rounds;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      rounds++;
      annotations.forEach(a -> seen.add(a.getQualifiedName().toString()));
      return false;
    }
  }
}
