package dev.normforge.processor.golden;

/**
 * How one kind of golden case ({@code op}) is checked: write the model description the case needs, compile
 * it with the real processor, run what it generated on the case's inputs and compare with its outputs.
 */
public interface GoldenCheck {
  void check(GoldenCase c);

  /** The check for {@code op}, or null when the runner knows no such op. */
  static GoldenCheck forOp(String op) {
    return switch (op) {
      case "layer_norm", "rms_norm" -> new RowNormGolden();
      case "batch_norm" -> new BatchNormGolden();
      case "residual_block" -> new BlockGolden();
      default -> null;
    };
  }
}
