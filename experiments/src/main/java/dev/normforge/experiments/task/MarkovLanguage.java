package dev.normforge.experiments.task;

import java.util.Arrays;
import java.util.Random;

/**
 * The study's task: next-token prediction on a generated language, a Markov chain of order {@code order}
 * over {@code vocab} tokens. After each context (the last {@code order} tokens) the next token follows a
 * Zipf law over a ranking of the vocabulary drawn at random for that context:
 * {@code p(rank j) = j^-s / Σ_i i^-s}, {@code j = 1..vocab}.
 *
 * <p>Every context has the same distribution up to a permutation, so the best possible loss is exactly
 * the entropy of that Zipf law ({@link #entropyFloor()}), whatever the contexts' frequencies. A model that
 * ignores the context can do no better than the entropy of the tokens' overall frequencies
 * ({@link #unigramEntropy()}), and a model that predicts nothing scores {@code ln vocab}. A network must
 * learn the {@code vocab^order} rankings to go below the unigram level.
 *
 * <p>A batch row is one position of one of {@code streams} independent token streams: its input is the
 * context one-hot per position ({@code order·vocab} features), its target the next token. Each call of
 * {@link #next} advances every stream by one token, so training never sees the same sample twice.
 */
public final class MarkovLanguage {
  private final int vocab;
  private final int order;
  private final int contexts;
  /** {@code ranking[c·vocab + j]}: the token of rank j after context c. */
  private final int[] ranking;
  /** Cumulative Zipf probabilities by rank. */
  private final double[] cumulative;
  private final double floor;
  private final double unigram;

  /** The language of {@code vocab} tokens, {@code order} tokens of context, Zipf exponent {@code s}, drawn from {@code seed}. */
  public MarkovLanguage(int vocab, int order, double s, long seed) {
    if (vocab < 2 || order < 1 || Math.pow(vocab, order + 1) > 1 << 24 || !(s >= 0)) {
      throw new IllegalArgumentException("need vocab >= 2, order >= 1, vocab^(order+1) <= 2^24, s >= 0; got "
          + vocab + ", " + order + ", " + s);
    }
    this.vocab = vocab;
    this.order = order;
    this.contexts = (int) Math.pow(vocab, order);
    Random random = new Random(seed);
    this.ranking = new int[contexts * vocab];
    int[] tokens = new int[vocab];
    for (int c = 0; c < contexts; c++) {
      for (int j = 0; j < vocab; j++) {
        tokens[j] = j;
      }
      for (int j = vocab - 1; j > 0; j--) { // Fisher-Yates
        int k = random.nextInt(j + 1);
        int t = tokens[j];
        tokens[j] = tokens[k];
        tokens[k] = t;
      }
      System.arraycopy(tokens, 0, ranking, c * vocab, vocab);
    }
    double[] p = new double[vocab];
    double z = 0;
    for (int j = 0; j < vocab; j++) {
      p[j] = Math.pow(j + 1, -s);
      z += p[j];
    }
    this.cumulative = new double[vocab];
    double acc = 0;
    double h = 0;
    for (int j = 0; j < vocab; j++) {
      p[j] /= z;
      acc += p[j];
      cumulative[j] = acc;
      h -= p[j] * Math.log(p[j]);
    }
    cumulative[vocab - 1] = 1;
    this.floor = h;
    this.unigram = entropy(stationaryTokens(p));
  }

  public int vocab() {
    return vocab;
  }

  public int order() {
    return order;
  }

  /** Input features per row: one one-hot of {@code vocab} per context position. */
  public int features() {
    return order * vocab;
  }

  /** The best achievable loss (nats per token): the entropy of the next token given its context. */
  public double entropyFloor() {
    return floor;
  }

  /** The best loss of a model that ignores the context: the entropy of the tokens' stationary frequencies. */
  public double unigramEntropy() {
    return unigram;
  }

  /** The loss of a uniform prediction, {@code ln vocab}. */
  public double uniformLoss() {
    return Math.log(vocab);
  }

  /** {@code streams} token streams started at random contexts from {@code seed}. */
  public Streams streams(int streams, long seed) {
    return new Streams(streams, new Random(seed));
  }

  /** Independent token streams of this language; each {@link #next} call yields one batch row per stream. */
  public final class Streams {
    private final int[] context;
    private final Random random;

    private Streams(int streams, Random random) {
      this.random = random;
      this.context = new int[streams];
      for (int i = 0; i < streams; i++) {
        context[i] = random.nextInt(contexts);
      }
    }

    /** Rows per batch. */
    public int rows() {
      return context.length;
    }

    /**
     * Writes the next batch: {@code inputs} gets one row of {@link #features()} per stream (the one-hots
     * of its context, oldest token first), {@code targets} the token that follows; advances every stream.
     */
    public void next(float[] inputs, int[] targets) {
      Arrays.fill(inputs, 0, context.length * features(), 0f);
      for (int i = 0; i < context.length; i++) {
        int c = context[i];
        for (int pos = order - 1, rest = c; pos >= 0; pos--, rest /= vocab) {
          inputs[i * features() + pos * vocab + rest % vocab] = 1f;
        }
        int token = ranking[c * vocab + rank(random.nextDouble())];
        targets[i] = token;
        context[i] = (c * vocab + token) % contexts;
      }
    }
  }

  private int rank(double u) {
    int j = Arrays.binarySearch(cumulative, u);
    return Math.min(vocab - 1, j >= 0 ? j : -j - 1);
  }

  /** The tokens' stationary frequencies: power iteration of the chain over contexts. */
  private double[] stationaryTokens(double[] p) {
    double[] pi = new double[contexts];
    Arrays.fill(pi, 1.0 / contexts);
    double[] next = new double[contexts];
    for (int iteration = 0; iteration < 10_000; iteration++) {
      Arrays.fill(next, 0);
      for (int c = 0; c < contexts; c++) {
        for (int j = 0; j < vocab; j++) {
          next[(c * vocab + ranking[c * vocab + j]) % contexts] += pi[c] * p[j];
        }
      }
      double change = 0;
      for (int c = 0; c < contexts; c++) {
        change += Math.abs(next[c] - pi[c]);
      }
      double[] t = pi;
      pi = next;
      next = t;
      if (change < 1e-15) {
        break;
      }
    }
    double[] tokens = new double[vocab];
    for (int c = 0; c < contexts; c++) {
      tokens[c % vocab] += pi[c]; // the newest token of context c
    }
    return tokens;
  }

  private static double entropy(double[] q) {
    double h = 0;
    for (double x : q) {
      if (x > 0) {
        h -= x * Math.log(x);
      }
    }
    return h;
  }
}
