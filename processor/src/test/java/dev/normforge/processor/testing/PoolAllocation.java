package dev.normforge.processor.testing;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by the calling thread and the {@code RowParallel} pool threads ({@code normforge-*})
 * while running a batch of calls: the best of repeated batches, since the Vector API allocates until C2
 * has compiled a kernel.
 */
public final class PoolAllocation {
  private PoolAllocation() {}

  /** The fewest bytes any batch allocated, repeating {@code batch} until one allocates at most {@code slack} or 20 s pass. */
  public static long best(Runnable batch, long slack) {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] ids = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("normforge-")).mapToLong(Thread::threadId).toArray();
    long best = Long.MAX_VALUE;
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (best > slack && System.nanoTime() < deadline) {
      long[] poolBefore = mx.getThreadAllocatedBytes(ids);
      long before = mx.getCurrentThreadAllocatedBytes();
      batch.run();
      long self = mx.getCurrentThreadAllocatedBytes() - before;
      long[] poolAfter = mx.getThreadAllocatedBytes(ids);
      long pool = 0;
      for (int i = 0; i < ids.length; i++) {
        pool += poolAfter[i] - poolBefore[i];
      }
      best = Math.min(best, self + pool);
    }
    return best;
  }
}
