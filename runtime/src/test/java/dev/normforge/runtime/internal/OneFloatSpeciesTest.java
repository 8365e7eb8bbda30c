package dev.normforge.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime's vector code uses one float species, the generated kernels' ({@code SPECIES_PREFERRED}).
 * Why it matters: every {@code FloatVector} class shares the Vector API's template methods, so a second
 * float species running in the same JVM leaves class-check traps in their profiles; C2 then compiles later
 * kernels with hot throws at those casts and keeps their vectors boxed, an allocation per row for the life of
 * the JVM. A half-width float species in BatchNorm's moment update did exactly that: the processor tests'
 * {@code BlockContractTest.noAllocationAfterTheFirstCall} failed in most runs (LayerNorm blocks allocating
 * 640 bytes per call), and passed once it was gone.
 */
class OneFloatSpeciesTest {
  /**
   * Anything that names a float or double species other than the preferred one (a narrower double species
   * converts to a narrower float one), or builds a species from a shape or a lane count.
   */
  private static final Pattern OTHER_SPECIES = Pattern.compile(
      "(Float|Double)Vector\\.SPECIES_(?!PREFERRED\\b)\\w+|VectorSpecies\\.of\\(|VectorShape\\b"
          + "|ofLargestShape|withShape|withLanes");

  @Test
  void runtimeSourcesNameOnlyThePreferredFloatSpecies() throws IOException {
    Path sources = Path.of("src/main/java");
    assertTrue(Files.isDirectory(sources), "expected the runtime's sources under " + sources.toAbsolutePath());
    List<String> found = new ArrayList<>();
    int files;
    try (Stream<Path> walk = Files.walk(sources)) {
      List<Path> javaFiles = walk.filter(p -> p.toString().endsWith(".java")).toList();
      files = javaFiles.size();
      for (Path file : javaFiles) {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = OTHER_SPECIES.matcher(lines.get(i));
          if (m.find() && !lines.get(i).trim().startsWith("*")) {
            found.add(sources.relativize(file) + ":" + (i + 1) + ": " + m.group());
          }
        }
      }
    }
    assertFalse(files < 10, "expected the runtime's sources under " + sources.toAbsolutePath());
    assertEquals(List.of(), found, "float species other than FloatVector.SPECIES_PREFERRED");
  }

  @Test
  void thePatternFindsOtherSpecies() {
    for (String line : new String[] {
        "VectorSpecies.of(float.class, VectorShape.forBitSize(256))", "FloatVector.SPECIES_256",
        "FloatVector.SPECIES_MAX", "import jdk.incubator.vector.VectorShape;", "DoubleVector.SPECIES_256",
        "VectorSpecies.ofLargestShape(float.class)", "DOUBLES.withLanes(float.class)", "VectorSpecies.of("}) {
      assertTrue(OTHER_SPECIES.matcher(line).find(), line);
    }
    assertFalse(OTHER_SPECIES.matcher("FloatVector.SPECIES_PREFERRED").find());
    assertFalse(OTHER_SPECIES.matcher("DoubleVector.SPECIES_PREFERRED").find());
  }
}
