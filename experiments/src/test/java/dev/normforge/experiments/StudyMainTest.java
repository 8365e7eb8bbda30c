package dev.normforge.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normforge.experiments.study.RunResult;
import dev.normforge.experiments.study.StudyConfig;
import dev.normforge.experiments.study.StudyResults;
import dev.normforge.experiments.study.Variant;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick mode end to end: every run, every table, every figure (what CI runs of the study). */
class StudyMainTest {
  @TempDir
  Path out;

  @Test
  void quickModeWritesEverything() throws IOException {
    StudyConfig config = StudyConfig.quick();
    StudyResults results = StudyMain.run(config, out, "StudyMainTest");

    assertEquals(config.runs().size(), results.runs().size());
    for (RunResult r : results.runs()) {
      assertTrue(Double.isFinite(r.startLoss()) && r.loss().length == config.steps(), r.spec().toString());
    }

    // figures: panels of 560 × 420, in the grid each file is drawn with
    Map<String, int[]> grids = Map.of("gradient-norms.png", new int[] {1, config.gradientDepths().size()},
        "loss-curves.png", new int[] {2, config.depths().size()}, "model-update.png", new int[] {1, config.depths().size()},
        "final-loss.png", new int[] {1, 2}, "norm-cost.png", new int[] {1, 2});
    for (var e : grids.entrySet()) {
      BufferedImage image = ImageIO.read(out.resolve(e.getKey()).toFile());
      assertNotNull(image, e.getKey());
      assertEquals(560 * e.getValue()[1], image.getWidth(), e.getKey());
      assertEquals(420 * e.getValue()[0], image.getHeight(), e.getKey());
    }

    // the tables: a row per variant and warm-up, a cell per depth
    String summary = Files.readString(out.resolve("summary.md"));
    for (Variant v : Variant.values()) {
      for (String warmup : List.of(", no warm-up |", ", warm-up |")) {
        String row = summary.lines().filter(l -> l.startsWith("| " + v.label() + warmup)).findFirst().orElseThrow(
            () -> new AssertionError("no row for " + v.label() + warmup + " in\n" + summary));
        assertEquals(config.depths().size() + 2, row.split("\\|", -1).length - 1, row);
      }
    }
    assertTrue(summary.contains("RMS / LN"), summary);

    // the raw data: a line per step of every run, a line per block of every run without warm-up
    assertEquals(1 + config.runs().size() * config.steps(), Files.readAllLines(out.resolve("losses.csv")).size());
    int blocks = config.runs().stream().filter(s -> !s.warmsUp()).mapToInt(s -> s.depth()).sum();
    assertEquals(1 + blocks, Files.readAllLines(out.resolve("gradients.csv")).size());
    String run = Files.readString(out.resolve("run.md"));
    assertTrue(run.contains("CPU: ") && run.contains("wall time"), run);
  }
}
