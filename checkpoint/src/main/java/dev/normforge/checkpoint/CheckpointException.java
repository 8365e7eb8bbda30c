package dev.normforge.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A checkpoint that cannot be loaded: a file that is not valid safetensors (truncated, a corrupt header),
 * or one that does not fit the model (missing or unexpected tensors, other shapes, a dtype that does not
 * read as float). {@link #problems()} lists every problem found, each naming the tensor; nothing was
 * changed in the model.
 */
public final class CheckpointException extends IOException {
  private final transient Path file;
  private final List<String> problems;

  CheckpointException(Path file, List<String> problems) {
    super(file + ": " + (problems.size() == 1 ? problems.get(0)
        : problems.size() + " problems:\n  " + String.join("\n  ", problems)));
    this.file = file;
    this.problems = List.copyOf(problems);
  }

  CheckpointException(Path file, String problem) {
    this(file, List.of(problem));
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** Every problem, one sentence each. */
  public List<String> problems() {
    return problems;
  }
}
