package dev.normforge.experiments;

import dev.normforge.experiments.study.Plots;
import dev.normforge.experiments.study.Report;
import dev.normforge.experiments.study.Study;
import dev.normforge.experiments.study.StudyConfig;
import dev.normforge.experiments.study.StudyResults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * Runs the study and writes its results: {@code full} (the README's, into {@code results/}) or
 * {@code quick} (a small instance, into {@code target/study-quick/}); an output directory may follow.
 * Writes the figures (PNG), {@code summary.md} (the tables), the raw data (CSV) and {@code run.md} (date,
 * command, CPU, JVM, wall time, machine load).
 *
 * <pre>mvn -q -pl experiments -am compile exec:exec@study                      (full)
 * mvn -q -pl experiments -am compile exec:exec@study -Dstudy.args=quick    (quick)</pre>
 */
public final class StudyMain {
  private StudyMain() {}

  public static void main(String[] args) throws IOException {
    Locale.setDefault(Locale.ROOT);
    System.setProperty("java.awt.headless", "true");
    String mode = args.length > 0 ? args[0] : "full";
    StudyConfig config = switch (mode) {
      case "full" -> StudyConfig.full();
      case "quick" -> StudyConfig.quick();
      default -> throw new IllegalArgumentException("usage: StudyMain [full|quick] [output directory]");
    };
    Path out = Path.of(args.length > 1 ? args[1] : mode.equals("full") ? "results" : "target/study-quick");
    Files.createDirectories(out);
    run(config, out, String.join(" ", "StudyMain", mode));
  }

  /** Runs {@code config} and writes everything into {@code out}; returns the results. */
  public static StudyResults run(StudyConfig config, Path out, String command) throws IOException {
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String loadBefore = Machine.loadAverage();
    long t0 = System.nanoTime();
    StudyResults results = Study.run(config, System.out);
    Report.write(results, out);
    List<String> figures = Plots.write(results, out);
    double minutes = (System.nanoTime() - t0) / 60e9;
    Files.writeString(out.resolve("run.md"), String.format(Locale.ROOT, """
        # Run

        - command: `%s` (config `%s`)
        - started: %s (UTC)
        - wall time: %.1f min
        - CPU: %s
        - JVM: %s; normforge threads: %s
        - load average (1, 5, 15 min) before: %s; after: %s (the machine is shared: CPU times are per thread)
        - figures: %s
        """, command, config.name(), start, minutes, Machine.cpu(), Machine.jvm(),
        System.getProperty("normforge.threads", "default"), loadBefore, Machine.loadAverage(),
        String.join(", ", figures)));
    System.out.printf("wrote %s: summary.md, run.md, CSVs, %s (%.1f min)%n", out, String.join(", ", figures),
        minutes);
    return results;
  }
}
