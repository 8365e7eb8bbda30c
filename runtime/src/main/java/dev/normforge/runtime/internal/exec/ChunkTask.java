package dev.normforge.runtime.internal.exec;

/**
 * One unit of a {@link RowParallel} job: does chunk {@code chunk} of {@code chunks}. A task object is meant
 * to be kept and reused across calls (fields hold the call's arguments), so that a parallel call allocates
 * nothing. It may run on any pool thread or on the caller's thread, in any order with the other chunks.
 */
@FunctionalInterface
public interface ChunkTask {
  /** Does chunk {@code chunk}; runs at most once per chunk per job. */
  void run(int chunk);
}
