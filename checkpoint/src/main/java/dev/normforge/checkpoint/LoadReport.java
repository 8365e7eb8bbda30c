package dev.normforge.checkpoint;

import java.util.List;

/**
 * What a successful {@link Checkpoint#load} did.
 *
 * @param loaded the model's tensors, all of them, in the model's order
 * @param skipped the file's tensors that were not loaded, in the file's order: those the model knows and
 *     does not keep ({@code num_batches_tracked}) and, with {@link UnexpectedTensors#IGNORE}, those it does
 *     not have
 */
public record LoadReport(List<String> loaded, List<String> skipped) {
  public LoadReport {
    loaded = List.copyOf(loaded);
    skipped = List.copyOf(skipped);
  }
}
