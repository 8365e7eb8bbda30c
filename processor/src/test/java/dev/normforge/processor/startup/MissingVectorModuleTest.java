package dev.normforge.processor.startup;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.runtime.internal.VectorApi;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A user's program started without {@code --add-modules=jdk.incubator.vector}: its first {@code new} of a
 * generated class (of every kind) throws the runtime's one error naming the flag and {@code JDK_JAVA_OPTIONS},
 * before the program goes on, instead of the JVM's bare {@code NoClassDefFoundError}. Each run is a child
 * JVM (this JDK) over the compiled model and a small main; the same program with the flag runs through.
 */
class MissingVectorModuleTest {
  private static final ModelSource MODEL = ModelSource.model("app", "M", "hidden = 16, decoderLayers = 2")
      .site("NormLayer", "layer", "type = NormType.LAYER")
      .site("ResidualBlock", "pre", "type = NormType.RMS, placement = Placement.PRE")
      .site("ResidualBlock", "post", "type = NormType.LAYER, placement = Placement.POST")
      .site("ResidualBlock", "deep", "type = NormType.DEEP")
      .site("ResidualBlock", "sandwich", "type = NormType.LAYER, placement = Placement.SANDWICH")
      .site("BatchNormLayer", "batch", "type = NormType.BATCH")
      .site("ResidualBlock", "batchBlock", "type = NormType.BATCH, placement = Placement.PRE");

  /** Prints a line, creates the site named by its argument with a plain {@code new}, prints another. */
  private static final String MAIN = """
      package app;

      public final class Main {
        public static void main(String[] args) {
          System.out.println("before");
          Object site = switch (args[0]) {
            case "layer" -> new MLayer();
            case "pre" -> new MPre();
            case "post" -> new MPost();
            case "deep" -> new MDeep();
            case "sandwich" -> new MSandwich();
            case "batch" -> new MBatch();
            case "batchBlock" -> new MBatchBlock();
            default -> throw new IllegalArgumentException(args[0]);
          };
          System.out.println("after: " + site.getClass().getSimpleName());
        }
      }
      """;

  private static Path classes;

  @BeforeAll
  static void compileTheProgram() throws IOException {
    Compilation compilation = Processing.compile(MODEL.file(), JavaFileObjects.forSourceString("app.Main", MAIN));
    assertThat(compilation).succeeded();
    classes = Files.createTempDirectory("normforge-startup");
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() == JavaFileObject.Kind.CLASS) {
        String path = file.toUri().getPath();
        Path out = classes.resolve(path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length()));
        Files.createDirectories(out.getParent());
        try (InputStream in = file.openInputStream()) {
          Files.write(out, in.readAllBytes());
        }
      }
    }
  }

  @AfterAll
  static void deleteTheProgram() throws IOException {
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"layer", "pre", "post", "deep", "sandwich", "batch", "batchBlock"})
  void withoutTheFlagTheFirstNewThrowsTheErrorThatNamesIt(String site) throws Exception {
    Run run = run(site, false);
    assertEquals(1, run.exit, run.toString());
    assertEquals("before", run.out.strip(), "nothing after the failing new may run: " + run);
    List<String> lines = run.err.lines().toList();
    assertEquals("Exception in thread \"main\" java.lang.IllegalStateException: " + VectorApi.MISSING, lines.get(0),
        run.toString());
    assertTrue(VectorApi.MISSING.contains("--add-modules=jdk.incubator.vector")
        && VectorApi.MISSING.contains("JDK_JAVA_OPTIONS=--add-modules=jdk.incubator.vector"), VectorApi.MISSING);
    assertTrue(lines.get(1).strip().startsWith("at dev.normforge.runtime.internal.VectorApi.require("), run.toString());
    assertTrue(lines.stream().anyMatch(l -> l.strip().startsWith("at app.Main.main(")), run.toString());
    assertFalse(run.err.contains("NoClassDefFoundError"), run.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"layer", "pre", "post", "deep", "sandwich", "batch", "batchBlock"})
  void withTheFlagTheSameProgramRuns(String site) throws Exception {
    Run run = run(site, true);
    assertEquals(0, run.exit, run.toString());
    assertTrue(run.out.contains("after: M" + Character.toUpperCase(site.charAt(0)) + site.substring(1)), run.toString());
  }

  private record Run(int exit, String out, String err) {}

  /** {@code java [flag] -cp <program>:<runtime> app.Main site}, with no java options from the environment. */
  private static Run run(String site, boolean flag) throws IOException, InterruptedException, URISyntaxException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path runtime = Path.of(VectorApi.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command = new ArrayList<>(List.of(java.toString()));
    if (flag) {
      command.add(VectorApi.FLAG);
    }
    command.addAll(List.of("-cp", classes + File.pathSeparator + runtime, "app.Main", site));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("JDK_JAVA_OPTIONS");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    Path out = Files.createTempFile(classes, "out", ".txt");
    Path err = Files.createTempFile(classes, "err", ".txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the child JVM did not finish in 60 s: " + command);
    }
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
