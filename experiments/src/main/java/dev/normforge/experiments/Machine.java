package dev.normforge.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the run records about the machine: the CPU as {@code lscpu} names it, the JVM, the load. */
final class Machine {
  private Machine() {}

  /** {@code model name, family F, model M} from {@code /proc/cpuinfo} (what lscpu shows), or "unknown". */
  static String cpu() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      return field(lines, "model name") + ", family " + field(lines, "cpu family") + ", model " + field(lines, "model")
          + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  static String jvm() {
    return System.getProperty("java.vm.name") + " " + Runtime.version();
  }

  /** The first three fields of {@code /proc/loadavg}, or "unknown". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + ", " + f[1] + ", " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String field(List<String> lines, String name) {
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return "?";
  }
}
