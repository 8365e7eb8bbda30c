package dev.normforge.experiments.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MarkovLanguageTest {
  @Test
  void floorIsTheZipfEntropy() {
    MarkovLanguage lang = new MarkovLanguage(16, 2, 1.5, 1);
    double z = 0;
    for (int j = 1; j <= 16; j++) {
      z += Math.pow(j, -1.5);
    }
    double h = 0;
    for (int j = 1; j <= 16; j++) {
      double p = Math.pow(j, -1.5) / z;
      h -= p * Math.log(p);
    }
    assertEquals(h, lang.entropyFloor(), 1e-12);
    assertEquals(Math.log(16), lang.uniformLoss(), 1e-15);
    assertTrue(lang.entropyFloor() < lang.unigramEntropy() && lang.unigramEntropy() <= lang.uniformLoss() + 1e-12);
    MarkovLanguage uniform = new MarkovLanguage(8, 1, 0, 1);
    assertEquals(Math.log(8), uniform.entropyFloor(), 1e-12);
    assertEquals(Math.log(8), uniform.unigramEntropy(), 1e-12);
  }

  /** Rows are one-hots of each stream's last tokens; the next batch's context ends with this batch's target. */
  @Test
  void batchesFollowTheStreams() {
    MarkovLanguage lang = new MarkovLanguage(5, 3, 1.0, 2);
    MarkovLanguage.Streams streams = lang.streams(4, 3);
    int f = lang.features();
    float[] x = new float[4 * f];
    int[] y = new int[4];
    streams.next(x, y);
    int[][] previous = tokens(x, 4, lang);
    int[] targets = y.clone();
    for (int step = 0; step < 20; step++) {
      streams.next(x, y);
      int[][] now = tokens(x, 4, lang);
      for (int i = 0; i < 4; i++) {
        assertEquals(previous[i][1], now[i][0], "shifted");
        assertEquals(previous[i][2], now[i][1], "shifted");
        assertEquals(targets[i], now[i][2], "the last target is the newest context token");
      }
      previous = now;
      targets = y.clone();
    }
  }

  /** Empirical conditional and token entropies of a long sample match the exact values. */
  @Test
  void samplesHaveTheStatedEntropies() {
    MarkovLanguage lang = new MarkovLanguage(8, 2, 1.5, 4);
    int contexts = 64;
    int rows = 64;
    int batches = 4000; // 256,000 tokens: the plug-in estimate's bias is ~(8-1)/(2·4000) nats per context
    long[][] counts = new long[contexts][8];
    long[] tokens = new long[8];
    MarkovLanguage.Streams streams = lang.streams(rows, 5);
    float[] x = new float[rows * lang.features()];
    int[] y = new int[rows];
    for (int b = 0; b < batches; b++) {
      streams.next(x, y);
      int[][] ctx = tokens(x, rows, lang);
      for (int i = 0; i < rows; i++) {
        counts[ctx[i][0] * 8 + ctx[i][1]][y[i]]++;
        tokens[y[i]]++;
      }
    }
    double total = (double) rows * batches;
    double conditional = 0;
    for (long[] c : counts) {
      long n = 0;
      for (long k : c) {
        n += k;
      }
      for (long k : c) {
        if (k > 0) {
          conditional -= k / total * Math.log((double) k / n);
        }
      }
    }
    double unigram = 0;
    for (long k : tokens) {
      unigram -= k / total * Math.log(k / total);
    }
    assertEquals(lang.entropyFloor(), conditional, 0.01);
    assertEquals(lang.unigramEntropy(), unigram, 0.005);
  }

  @Test
  void sameSeedSameData() {
    MarkovLanguage a = new MarkovLanguage(16, 2, 1.5, 9);
    MarkovLanguage b = new MarkovLanguage(16, 2, 1.5, 9);
    float[] xa = new float[7 * a.features()];
    float[] xb = new float[7 * b.features()];
    int[] ya = new int[7];
    int[] yb = new int[7];
    MarkovLanguage.Streams sa = a.streams(7, 1);
    MarkovLanguage.Streams sb = b.streams(7, 1);
    for (int i = 0; i < 5; i++) {
      sa.next(xa, ya);
      sb.next(xb, yb);
      assertArrayEquals(xa, xb);
      assertArrayEquals(ya, yb);
    }
  }

  /** Each row's context tokens, oldest first, checking that every position holds exactly one 1. */
  private static int[][] tokens(float[] x, int rows, MarkovLanguage lang) {
    int[][] t = new int[rows][lang.order()];
    for (int i = 0; i < rows; i++) {
      for (int pos = 0; pos < lang.order(); pos++) {
        int ones = 0;
        for (int v = 0; v < lang.vocab(); v++) {
          float value = x[i * lang.features() + pos * lang.vocab() + v];
          assertTrue(value == 0f || value == 1f);
          if (value == 1f) {
            ones++;
            t[i][pos] = v;
          }
        }
        assertEquals(1, ones, "one-hot");
      }
    }
    return t;
  }
}
