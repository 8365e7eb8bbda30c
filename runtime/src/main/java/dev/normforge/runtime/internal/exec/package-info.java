/**
 * The runtime's execution plumbing, used by the bases in {@link dev.normforge.runtime.internal}: the
 * thread pool ({@link dev.normforge.runtime.internal.exec.RowParallel}), the shape-only cut of a call into
 * chunks ({@link dev.normforge.runtime.internal.exec.RowChunks}), per-chunk partial sums reduced in chunk
 * order ({@link dev.normforge.runtime.internal.exec.ChunkPartials}), the reusable chunk job, and the
 * argument checks ({@link dev.normforge.runtime.internal.exec.Checks}).
 *
 * <p><b>Not API.</b> Public only because the bases live in another package; for the runtime's own classes
 * (and its tests and benchmarks). The one knob users may want, the thread count, is documented in the
 * README: {@code -Dnormforge.threads=N} or {@code RowParallel.shared().setThreads(n)}.
 */
package dev.normforge.runtime.internal.exec;
