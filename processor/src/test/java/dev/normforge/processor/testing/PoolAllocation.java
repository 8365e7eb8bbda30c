package dev.normforge.processor.testing;

import dev.normforge.runtime.internal.exec.RowChunks;
import dev.normforge.runtime.internal.exec.RowParallel;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Bytes allocated by the calling thread and the {@link RowParallel#shared()} pool threads while running a
 * batch of calls: the best of repeated batches, since the Vector API allocates until C2 has compiled a
 * kernel.
 *
 * <p>The pool threads are found by their class ({@code RowParallel$Worker}, named {@code normforge-<i>});
 * {@link #poolThreads()} waits until exactly {@code threads() - 1} of them are alive (the workers a
 * {@code setThreads} stopped exit shortly after it returns) and fails otherwise, so a measurement never
 * silently leaves out a pool thread. A batch during which a pool thread died is not a measurement: its
 * counter reads -1 and would make the sum negative, so it fails instead of passing.
 */
public final class PoolAllocation {
  private PoolAllocation() {}

  private static final String WORKER_CLASS = RowParallel.class.getName() + "$Worker";

  /** Bytes of one batch: the calling thread's and the pool threads' (all of them). */
  public record Bytes(long caller, long pool) {
    public long total() {
      return caller + pool;
    }
  }

  /**
   * The live pool threads of {@link RowParallel#shared()}: waits up to 5 s for the workers of an earlier
   * size to exit, then requires exactly {@code threads() - 1}.
   */
  public static List<Thread> poolThreads() {
    int want = RowParallel.shared().threads() - 1;
    long deadline = System.nanoTime() + 5_000_000_000L;
    List<Thread> workers;
    do {
      workers = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getClass().getName().equals(WORKER_CLASS) && t.isAlive()).toList();
      if (workers.size() == want) {
        return workers;
      }
      Thread.onSpinWait();
    } while (System.nanoTime() < deadline);
    throw new AssertionError("expected " + want + " RowParallel pool threads, found " + workers.size() + ": "
        + workers);
  }

  /**
   * Fails unless a call over {@code rows} rows of {@code width} floats is cut into several chunks and the
   * shared pool has a thread besides the caller's: the call then reaches the pool threads.
   */
  public static void assertReachesPool(String what, int rows, int width) {
    int chunks = RowChunks.count(rows, width);
    if (chunks < 2) {
      throw new AssertionError(what + ": " + rows + " rows of " + width + " are one chunk: the pool never runs");
    }
    if (RowParallel.shared().threads() < 2) {
      throw new AssertionError(what + ": the shared pool has no thread besides the caller's");
    }
  }

  /** The bytes the caller and every pool thread allocate while {@code batch} runs once. */
  public static Bytes measure(Runnable batch) {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] ids = poolThreads().stream().mapToLong(Thread::threadId).toArray();
    long[] poolBefore = mx.getThreadAllocatedBytes(ids);
    long before = mx.getCurrentThreadAllocatedBytes();
    batch.run();
    long self = mx.getCurrentThreadAllocatedBytes() - before;
    long[] poolAfter = mx.getThreadAllocatedBytes(ids);
    long pool = 0;
    for (int i = 0; i < ids.length; i++) {
      if (poolBefore[i] < 0 || poolAfter[i] < 0) {
        throw new AssertionError("pool thread " + ids[i] + " died during the measurement");
      }
      pool += poolAfter[i] - poolBefore[i];
    }
    return new Bytes(self, pool);
  }

  /**
   * The fewest bytes (caller + pool threads) any batch allocated, repeating {@code batch} until one
   * allocates at most {@code slack} or 20 s pass.
   */
  public static long best(Runnable batch, long slack) {
    return best(batch, slack, 20_000_000_000L).total();
  }

  /** As {@link #best(Runnable, long)}, for up to {@code limitNanos}; the batch with the fewest bytes. */
  public static Bytes best(Runnable batch, long slack, long limitNanos) {
    Bytes best = null;
    long deadline = System.nanoTime() + limitNanos;
    while ((best == null || best.total() > slack) && System.nanoTime() < deadline) {
      Bytes b = measure(batch);
      if (best == null || b.total() < best.total()) {
        best = b;
      }
    }
    return best;
  }
}
