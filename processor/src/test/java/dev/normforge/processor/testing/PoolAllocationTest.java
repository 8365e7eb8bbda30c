package dev.normforge.processor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normforge.runtime.internal.exec.RowParallel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The allocation meter the zero-allocation tests use sees what the pool threads allocate, not only the
 * caller: a job whose chunks allocate only when a pool thread runs them must show those bytes.
 */
class PoolAllocationTest {
  @AfterAll
  static void restore() {
    RowParallel.shared().setThreads(Runtime.getRuntime().availableProcessors());
  }

  static volatile Object sink;

  @Test
  void findsExactlyThePoolThreads() {
    for (int threads : new int[] {3, 1, 2}) {
      RowParallel.shared().setThreads(threads);
      assertEquals(threads - 1, PoolAllocation.poolThreads().size(), threads + " threads");
    }
  }

  @Test
  void countsWhatThePoolThreadsAllocate() {
    RowParallel.shared().setThreads(2);
    AtomicInteger onPool = new AtomicInteger();
    Thread caller = Thread.currentThread();
    PoolAllocation.Bytes bytes = PoolAllocation.measure(() -> {
      for (int job = 0; job < 200; job++) {
        RowParallel.shared().run(8, c -> {
          long until = System.nanoTime() + 20_000; // long enough for a pool thread to claim chunks
          while (System.nanoTime() < until) {
            Thread.onSpinWait();
          }
          if (Thread.currentThread() != caller) {
            sink = new byte[1000];
            onPool.incrementAndGet();
          }
        });
      }
    });
    assertTrue(onPool.get() > 0, "no chunk ran on a pool thread in 200 jobs of 8 chunks");
    assertTrue(bytes.pool() >= 1000L * onPool.get(), onPool.get() + " chunks on pool threads each allocated 1000+"
        + " bytes, but the meter saw " + bytes);
    assertTrue(bytes.caller() < 1000L * onPool.get(), "the pool's bytes were charged to the caller: " + bytes);
  }
}
