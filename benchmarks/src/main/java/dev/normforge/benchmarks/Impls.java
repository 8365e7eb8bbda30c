package dev.normforge.benchmarks;

import dev.normforge.runtime.NormLayer;

/**
 * The implementations a row-norm benchmark compares, by the name used in its {@code impl} parameter and
 * in the reports: {@code normforge} (the class the processor generated for the size), {@code vector-dynamic}
 * (the same Vector API algorithm, size known only at run time) and {@code scalar} (plain float loops).
 * All three extend {@code RowNormLayer}, so all run on the same executor with the same chunking.
 */
final class Impls {
  private Impls() {}

  static NormLayer rowNorm(String impl, boolean centered, int hidden) {
    return switch (impl) {
      case "normforge" -> generated(centered, hidden);
      case "vector-dynamic" -> centered ? new DynamicLayerNorm(hidden) : new DynamicRmsNorm(hidden);
      case "scalar" -> new ScalarRowNorm(hidden, centered);
      default -> throw new IllegalArgumentException("unknown impl " + impl);
    };
  }

  private static NormLayer generated(boolean centered, int hidden) {
    return switch (hidden) {
      case 768 -> centered ? new BenchModelLayer768() : new BenchModelRms768();
      case 4096 -> centered ? new BenchModelLayer4096() : new BenchModelRms4096();
      default -> throw new IllegalArgumentException("no generated site for hidden " + hidden + " in BenchModel");
    };
  }
}
