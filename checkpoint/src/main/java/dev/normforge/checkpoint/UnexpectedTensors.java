package dev.normforge.checkpoint;

/** What {@link Checkpoint#load} does with tensors of the file that the model does not have. */
public enum UnexpectedTensors {
  /** Each is an error (the default): a checkpoint of another model, or a naming mismatch, is caught. */
  REJECT,
  /** They are skipped and listed in {@link LoadReport#skipped()}: e.g. the norms of a full model's checkpoint. */
  IGNORE
}
