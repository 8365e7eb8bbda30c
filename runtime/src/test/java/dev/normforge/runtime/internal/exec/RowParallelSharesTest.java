package dev.normforge.runtime.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Each thread starts with its own contiguous share of a job's chunks (the caller the first, a pool thread
 * the next), so that a thread meets the same rows on every call; a thread done with its share takes the
 * chunks left in another from that share's end. Both are shown by chunks that wait for one another: a
 * schedule that handed out chunks in one queue, or took others' chunks from the front, would leave both
 * threads waiting (each wait gives up after {@value #WAIT_SECONDS} s and fails the test).
 */
class RowParallelSharesTest {
  private static final long WAIT_SECONDS = 20;

  /**
   * Chunks 0 and 1 (the caller's share) wait until chunk 2 (the first of the pool thread's) has started. A
   * single queue would give the caller 0 and the pool thread 1, and neither could start chunk 2.
   */
  @Test
  void aPoolThreadStartsWithTheFirstChunkOfItsOwnShare() {
    RowParallel pool = new RowParallel(2);
    try {
      for (int rep = 0; rep < 100; rep++) {
        CountDownLatch chunk2Started = new CountDownLatch(1);
        AtomicIntegerArray released = new AtomicIntegerArray(4);
        AtomicIntegerArray hits = new AtomicIntegerArray(4);
        pool.run(4, c -> {
          hits.incrementAndGet(c);
          if (c == 2) {
            chunk2Started.countDown();
          }
          released.set(c, c < 2 ? (await(chunk2Started) ? 1 : 0) : 1);
        });
        for (int c = 0; c < 4; c++) {
          assertEquals(1, hits.get(c), "rep " + rep + ": chunk " + c + " ran once");
          assertEquals(1, released.get(c), "rep " + rep + ": chunk " + c + " waited in vain for chunk 2");
        }
      }
    } finally {
      pool.setThreads(1);
    }
  }

  /**
   * Of six chunks, the pool thread's share is [3, 6); chunks 3 and 4 wait until chunk 5 has finished. Only a
   * thread that takes another share's chunks from its end can run chunk 5 while the pool thread waits in 3:
   * taken from the front, the caller would get chunk 4 and wait as well.
   */
  @Test
  void aThreadDoneWithItsShareTakesTheOthersFromTheirEnd() {
    RowParallel pool = new RowParallel(2);
    try {
      for (int rep = 0; rep < 100; rep++) {
        CountDownLatch chunk5Done = new CountDownLatch(1);
        AtomicIntegerArray released = new AtomicIntegerArray(6);
        AtomicIntegerArray hits = new AtomicIntegerArray(6);
        pool.run(6, c -> {
          hits.incrementAndGet(c);
          released.set(c, c == 3 || c == 4 ? (await(chunk5Done) ? 1 : 0) : 1);
          if (c == 5) {
            chunk5Done.countDown();
          }
        });
        for (int c = 0; c < 6; c++) {
          assertEquals(1, hits.get(c), "rep " + rep + ": chunk " + c + " ran once");
          assertEquals(1, released.get(c), "rep " + rep + ": chunk " + c + " waited in vain for chunk 5");
        }
      }
    } finally {
      pool.setThreads(1);
    }
  }

  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
