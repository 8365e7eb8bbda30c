package dev.normforge.runtime.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
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
    assertNoChunkWaitsInVain(4, 2, true, 0, 1);
  }

  /**
   * Of six chunks, the pool thread's share is [3, 6); chunks 3 and 4 wait until chunk 5 has finished. Only a
   * thread that takes another share's chunks from its end can run chunk 5 while the pool thread waits in 3:
   * taken from the front, the caller would get chunk 4 and wait as well.
   */
  @Test
  void aThreadDoneWithItsShareTakesTheOthersFromTheirEnd() {
    assertNoChunkWaitsInVain(6, 5, false, 3, 4);
  }

  /**
   * On a pool of two threads, 100 jobs of {@code chunks} chunks in which the {@code waiting} chunks wait for
   * chunk {@code awaited} to start ({@code onStart}) or to finish: every chunk runs once and no wait times out.
   */
  private static void assertNoChunkWaitsInVain(int chunks, int awaited, boolean onStart, int... waiting) {
    RowParallel pool = new RowParallel(2);
    try {
      for (int rep = 0; rep < 100; rep++) {
        CountDownLatch signal = new CountDownLatch(1);
        AtomicIntegerArray released = new AtomicIntegerArray(chunks);
        AtomicIntegerArray hits = new AtomicIntegerArray(chunks);
        pool.run(chunks, c -> {
          hits.incrementAndGet(c);
          if (c == awaited && onStart) {
            signal.countDown();
          }
          released.set(c, IntStream.of(waiting).anyMatch(w -> w == c) ? (await(signal) ? 1 : 0) : 1);
          if (c == awaited && !onStart) {
            signal.countDown();
          }
        });
        for (int c = 0; c < chunks; c++) {
          assertEquals(1, hits.get(c), "rep " + rep + ": chunk " + c + " ran once");
          assertEquals(1, released.get(c), "rep " + rep + ": chunk " + c + " waited in vain for chunk " + awaited);
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
