package dev.normforge.runtime.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

  /**
   * The cut: chunks are contiguous, non-empty, balanced to within one row, about {@link
   * RowChunks#CHUNK_ELEMENTS} elements each (fewer chunks would exceed it, unless capped at {@link
   * RowChunks#MAX_CHUNKS}), and a few known shapes give the counts the README and tests rely on.
   */
  @Test
  void chunkBoundariesCoverAllRowsInBalancedChunks() {
    for (int rows : new int[] {0, 1, 7, 340, 1001, 87040, 16384}) {
      for (int width : new int[] {1, 24, 768, 4096}) {
        int chunks = RowChunks.count(rows, width);
        String what = rows + " rows of " + width + ": ";
        assertTrue(chunks >= 1 && chunks <= RowChunks.MAX_CHUNKS, what + chunks + " chunks");
        long elements = (long) rows * width;
        if (rows > 0) {
          assertTrue(chunks <= rows, what + "more chunks than rows");
          int smallest = Integer.MAX_VALUE;
          int largest = 0;
          for (int c = 0; c < chunks; c++) {
            int size = RowChunks.start(rows, chunks, c + 1) - RowChunks.start(rows, chunks, c);
            smallest = Math.min(smallest, size);
            largest = Math.max(largest, size);
          }
          assertTrue(smallest >= 1, what + "an empty chunk");
          assertTrue(largest - smallest <= 1, what + "chunks of " + smallest + " and " + largest + " rows");
          // as many chunks as needed to keep each near CHUNK_ELEMENTS, no more
          if (chunks < RowChunks.MAX_CHUNKS && chunks < rows) {
            assertTrue(elements <= chunks * RowChunks.CHUNK_ELEMENTS, what + "chunks larger than CHUNK_ELEMENTS");
          }
          if (chunks > 1) {
            assertTrue(elements > (chunks - 1) * RowChunks.CHUNK_ELEMENTS, what + "more chunks than needed");
          }
        }
      }
    }
    assertEquals(1, RowChunks.count(7, 768));
    assertEquals(4, RowChunks.count(340, 768));
    assertEquals(RowChunks.MAX_CHUNKS, RowChunks.count(87040, 768));
    assertEquals(3, RowChunks.count(16384, 12));
  }

  /** The rows each chunk of a {@link RowJob} gets are the same whatever the pool's size. */
  @Test
  void chunksIgnoreTheThreadCount() {
    int rows = 1001;
    int width = 264;
    int chunks = RowChunks.count(rows, width);
    assertTrue(chunks > 1, "the shape must need several chunks");
    List<String> first = null;
    try {
      for (int threads : new int[] {1, 2, 3, 4}) {
        RowParallel.shared().setThreads(threads);
        List<String> ranges = Collections.synchronizedList(new ArrayList<>());
        RowJob job = new RowJob((kind, chunk, r0, r1, a, aOff, b, bOff, c, cOff, d, dOff, mean, rstd, statsOff,
            dw, db) -> ranges.add(chunk + ":" + r0 + "-" + r1), width);
        job.rows(0, rows, null, 0, null, 0, null, 0, null, 0, null, null, 0);
        List<String> sorted = new ArrayList<>(ranges);
        Collections.sort(sorted);
        assertEquals(chunks, sorted.size(), threads + " threads");
        if (first == null) {
          first = sorted;
        } else {
          assertEquals(first, sorted, threads + " threads cut the rows differently");
        }
      }
    } finally {
      RowParallel.shared().setThreads(Runtime.getRuntime().availableProcessors());
    }
  }
}
