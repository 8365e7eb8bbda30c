package dev.normforge.benchmarks;

import dev.normforge.runtime.AddNormBlock;
import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.runtime.NormLayer;

/**
 * The implementations a row-norm benchmark compares, by the name used in its {@code impl} parameter and
 * in the reports: {@code normforge} (the class the processor generated for the size), {@code vector-dynamic}
 * (the same kernels rendered by the processor from the same recipe, with the size known only at run time) and {@code scalar} (plain float loops).
 * All three extend {@code RowNormLayer}, so all run on the same executor with the same chunking.
 * BatchNorm and the fused add+LayerNorm have {@code normforge} and {@code scalar} only; their scalar
 * baselines extend the same runtime base classes ({@code BatchNormBase}, {@code PostNormBlock}).
 */
final class Impls {
  private Impls() {}

  static NormLayer rowNorm(String impl, boolean centered, int hidden) {
    return switch (impl) {
      case "normforge" -> generated(centered, hidden);
      // the processor's run-time-sized form of the 768 sites (-Anormforge.runtimeSized): the same recipe and
      // eps, the row length a constructor argument, so it serves every size
      case "vector-dynamic" -> centered ? new BenchModelLayer768RuntimeSized(hidden)
          : new BenchModelRms768RuntimeSized(hidden);
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

  static BatchNormLayer batchNorm(String impl, int hidden) {
    return switch (impl) {
      case "normforge" -> switch (hidden) {
        case 768 -> new BenchModelBatch768();
        case 4096 -> new BenchModelBatch4096();
        default -> throw new IllegalArgumentException("no generated BatchNorm site for hidden " + hidden);
      };
      case "scalar" -> new ScalarBatchNorm(hidden);
      default -> throw new IllegalArgumentException("unknown impl " + impl);
    };
  }

  static AddNormBlock addLayerNorm(String impl, int hidden) {
    return switch (impl) {
      case "normforge" -> switch (hidden) {
        case 768 -> new BenchModelPostLayer768();
        case 4096 -> new BenchModelPostLayer4096();
        default -> throw new IllegalArgumentException("no generated Post-Norm site for hidden " + hidden);
      };
      case "scalar" -> new ScalarAddLayerNorm(hidden);
      default -> throw new IllegalArgumentException("unknown impl " + impl);
    };
  }
}
