package dev.normforge.runtime.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The chunk and block arithmetic at row counts near {@link Integer#MAX_VALUE}, where int sums wrap. */
class RowChunksRangeTest {
  static final int MAX = Integer.MAX_VALUE;

  @Test
  void unitsCoverEveryRowWithoutWrapping() {
    assertEquals(16_777_216, RowChunks.units(MAX, 128), "ceil((2^31 - 1) / 128)");
    assertEquals(16_777_216, RowChunks.units(MAX - 126, 128));
    assertEquals(16_777_215, RowChunks.units(MAX - 127, 128));
    assertEquals(MAX, RowChunks.units(MAX, 1));
    assertEquals(1, RowChunks.units(MAX, MAX));
    assertEquals(0, RowChunks.units(0, 128));
    assertEquals(1, RowChunks.units(1, 128));
  }

  /** Blocks walked with blockEnd from any start cover [r0, r1) exactly, ending at r1 = Integer.MAX_VALUE. */
  @Test
  void blocksEndAtTheRangeEndNearIntMax() {
    for (int unit : new int[] {1, 7, 8, 128}) {
      for (int count = 0; count < 300; count++) {
        int r1 = MAX;
        int r0 = r1 - count;
        long covered = 0;
        int blocks = 0;
        for (int b0 = r0, b1; b0 < r1; b0 = b1) {
          b1 = RowChunks.blockEnd(b0, r1, unit);
          assertTrue(b1 > b0 && b1 - b0 <= unit && b1 <= r1, "block [" + b0 + ", " + b1 + ")");
          covered += b1 - b0;
          blocks++;
        }
        assertEquals(count, covered, "rows covered, unit " + unit);
        assertEquals(RowChunks.units(count, unit), blocks, "blocks, unit " + unit);
      }
    }
  }

  @Test
  void chunksOfTheLargestCallsStayInRange() {
    for (int width : new int[] {1, 2, 768}) {
      int rows = width == 1 ? MAX : MAX / width;
      int chunks = RowChunks.count(rows, width);
      assertEquals(RowChunks.MAX_CHUNKS, chunks);
      int previous = 0;
      for (int c = 1; c <= chunks; c++) {
        int start = RowChunks.start(rows, chunks, c);
        assertTrue(start > previous && start <= rows, "chunk " + c + " starts at " + start);
        previous = start;
      }
      assertEquals(rows, previous);
    }
  }
}
