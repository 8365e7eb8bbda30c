package dev.normforge.runtime.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The executor runs every chunk exactly once, rethrows failures, and survives nesting and resizing. */
class RowParallelTest {
  @Test
  void runsEveryChunkOnceForManyJobs() {
    RowParallel pool = new RowParallel(3);
    for (int job = 0; job < 2000; job++) {
      int chunks = 1 + job % 40;
      AtomicIntegerArray hits = new AtomicIntegerArray(chunks);
      pool.run(chunks, hits::incrementAndGet);
      for (int c = 0; c < chunks; c++) {
        assertEquals(1, hits.get(c), "job " + job + " chunk " + c);
      }
    }
    pool.setThreads(1);
  }

  @Test
  void rethrowsTheFailureOfAChunk() {
    RowParallel pool = new RowParallel(2);
    IllegalStateException boom = new IllegalStateException("boom");
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> pool.run(8, c -> {
      if (c == 5) {
        throw boom;
      }
    }));
    assertSame(boom, thrown);
    AtomicIntegerArray hits = new AtomicIntegerArray(4);
    pool.run(4, hits::incrementAndGet); // still usable
    assertEquals(4, hits.get(0) + hits.get(1) + hits.get(2) + hits.get(3));
    pool.setThreads(1);
  }

  @Test
  void nestedJobsRunOnTheCallerInsteadOfDeadlocking() {
    RowParallel pool = new RowParallel(2);
    for (int rep = 0; rep < 200; rep++) { // nested calls land on the caller's thread and on pool threads
      AtomicIntegerArray hits = new AtomicIntegerArray(64);
      pool.run(8, outer -> pool.run(8, inner -> hits.incrementAndGet(outer * 8 + inner)));
      for (int i = 0; i < 64; i++) {
        assertEquals(1, hits.get(i), "rep " + rep + " cell " + i);
      }
    }
    pool.setThreads(1);
  }

  @Test
  void chunkBoundariesCoverAllRowsAndIgnoreThreads() {
    for (int rows : new int[] {0, 1, 7, 340, 87040, 16384}) {
      for (int width : new int[] {1, 768, 4096}) {
        int chunks = RowChunks.count(rows, width);
        assertEquals(0, RowChunks.start(rows, chunks, 0));
        assertEquals(rows, RowChunks.start(rows, chunks, chunks));
      }
    }
  }
}
