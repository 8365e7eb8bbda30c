package dev.normforge.processor.read;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's diagnostics table lists every diagnostic of the catalogue. */
class ReadmeCatalogueTest {
  @Test
  void everyDiagnosticIsInTheReadme() throws IOException {
    Path readme = Path.of(System.getProperty("normforge.root", ".."), "README.md");
    String text = Files.readString(readme);
    for (Diagnostic d : Diagnostic.values()) {
      assertTrue(text.contains("| `" + d.id() + "` |"), d.id() + " is missing from the README's diagnostics table");
    }
  }
}
