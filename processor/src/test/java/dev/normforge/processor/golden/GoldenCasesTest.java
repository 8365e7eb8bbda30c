package dev.normforge.processor.golden;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The golden runner: one test per {@code *.json} case in {@link GoldenCase#directory()} and its subfolders
 * (such as {@code variants/}): the repository's own copy of the cases by default, or the directory named by
 * {@code -Dnormforge.golden=DIR}. Any new case of a known op, of any size or configuration, runs with no
 * code change.
 */
class GoldenCasesTest {
  static List<GoldenCase> cases() throws IOException {
    Path dir = GoldenCase.directory();
    assertTrue(Files.isDirectory(dir), "golden case directory not found: " + dir);
    try (Stream<Path> files = Files.walk(dir)) {
      List<GoldenCase> cases = files.filter(f -> f.toString().endsWith(".json")).sorted()
          .map(GoldenCase::read).filter(GoldenCase::isCase).toList();
      assertFalse(cases.isEmpty(), "no golden cases in " + dir);
      return cases;
    }
  }

  @TestFactory
  Stream<DynamicTest> goldenCases() throws IOException {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.name() + " (" + c.op() + ")", () -> {
      GoldenCheck check = GoldenCheck.forOp(c.op());
      assertNotNull(check, c.name() + ": the golden runner has no check for op '" + c.op() + "'");
      check.check(c);
    }));
  }
}
