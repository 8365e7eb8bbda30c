package dev.normforge.annotations;

/** Which stack of an encoder-decoder model a {@link Norm} site belongs to; it selects DeepNet's constants. */
public enum Stack {
  /** Inferred: the only stack the model has ({@link NormModel#encoderLayers()} or {@link NormModel#decoderLayers()}). */
  AUTO,
  /** An encoder block. */
  ENCODER,
  /** A decoder block. */
  DECODER
}
