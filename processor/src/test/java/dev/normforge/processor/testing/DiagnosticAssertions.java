package dev.normforge.processor.testing;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.util.Set;
import javax.tools.JavaFileObject;

/** The check every diagnostic test makes of a broken model. */
public final class DiagnosticAssertions {
  private DiagnosticAssertions() {}

  /**
   * Compiling {@code source} fails with the error {@code [id]} on the line containing {@code line}, a message
   * containing {@code message}, and nothing generated.
   */
  public static void assertErrorAt(JavaFileObject source, String id, String message, String line) {
    Compilation compilation = Processing.compile(source);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("[" + id + "] ").inFile(source).onLineContaining(line);
    assertThat(compilation).hadErrorContaining(message);
    assertEquals(Set.of(), Processing.writtenSources(source), "something was generated for a broken model");
  }
}
