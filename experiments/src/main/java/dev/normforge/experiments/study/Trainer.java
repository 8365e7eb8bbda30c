package dev.normforge.experiments.study;

import dev.normforge.experiments.nn.Adam;
import dev.normforge.experiments.task.MarkovLanguage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Trains one {@link Network} per {@link RunSpec} on a {@link MarkovLanguage} and records what the study
 * plots: the loss per step, the model update on a fixed probe batch, the per-block gradient norms at
 * step 0, the loss before and after on a fixed evaluation set, and the CPU time per step.
 *
 * <p>The model update is measured after every step up to {@value #DENSE_UPDATES}, then every
 * {@value #UPDATE_STRIDE} steps. A run stops at the first loss that is not finite.
 */
public final class Trainer {
  /** Rows of the fixed evaluation set; its first {@value #PROBE_ROWS} rows are the probe batch. */
  static final int EVAL_ROWS = 512;
  static final int PROBE_ROWS = 64;
  static final int DENSE_UPDATES = 100;
  static final int UPDATE_STRIDE = 10;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final MarkovLanguage task;
  private final float[] evalInputs;
  private final int[] evalTargets;

  /** A trainer on {@code task}, with its evaluation set drawn from {@code seed}. */
  public Trainer(MarkovLanguage task, long seed) {
    this.task = task;
    this.evalInputs = new float[EVAL_ROWS * task.features()];
    this.evalTargets = new int[EVAL_ROWS];
    MarkovLanguage.Streams streams = task.streams(EVAL_ROWS, seed);
    for (int i = 0; i < 16; i++) { // past the random starting contexts, towards the chain's own frequencies
      streams.next(evalInputs, evalTargets);
    }
  }

  public MarkovLanguage task() {
    return task;
  }

  /** Runs {@code spec} to the end (or to its first non-finite loss). */
  public RunResult run(RunSpec spec) {
    Network net = new Network(spec.variant(), spec.depth(), task, spec.seed());
    Adam adam = new Adam(net.parameters());
    MarkovLanguage.Streams data = task.streams(spec.batch(), spec.seed() + 1);
    float[] inputs = new float[spec.batch() * task.features()];
    int[] targets = new int[spec.batch()];

    double startLoss = net.loss(evalInputs, evalTargets, EVAL_ROWS);
    float[] start = net.features(evalInputs, PROBE_ROWS).clone();
    double startNorm = norm(start, start.length, null);

    double[] loss = new double[spec.steps()];
    Arrays.fill(loss, Double.NaN);
    int[] updateSteps = new int[spec.steps()];
    double[] update = new double[spec.steps()];
    int updates = 0;
    double[] gradUp = new double[spec.depth()];
    double[] gradDown = new double[spec.depth()];
    long[] cpu = new long[spec.steps()];
    int blewUpAt = -1;
    int step = 0;
    for (; step < spec.steps(); step++) {
      data.next(inputs, targets);
      long t0 = THREADS.getCurrentThreadCpuTime();
      loss[step] = step(net, adam, inputs, targets, spec.batch(), spec.learningRate(step));
      if (!Double.isFinite(loss[step])) {
        blewUpAt = step;
        loss[step] = Double.NaN;
        break;
      }
      if (step == 0) { // the gradients stay in place after Adam's step
        for (int l = 0; l < spec.depth(); l++) {
          gradUp[l] = norm(net.sublayer(l).up().weight().grad());
          gradDown[l] = norm(net.sublayer(l).down().weight().grad());
        }
      }
      cpu[step] = THREADS.getCurrentThreadCpuTime() - t0;
      int done = step + 1;
      if (done <= DENSE_UPDATES || done % UPDATE_STRIDE == 0 || done == spec.steps()) {
        updateSteps[updates] = done;
        update[updates++] = norm(net.features(evalInputs, PROBE_ROWS), start.length, start) / startNorm;
      }
    }
    double finalLoss = blewUpAt >= 0 ? Double.NaN : net.loss(evalInputs, evalTargets, EVAL_ROWS);
    long[] timed = Arrays.copyOfRange(cpu, step / 2, Math.max(step / 2 + 1, step));
    Arrays.sort(timed);
    return new RunResult(spec, loss, Arrays.copyOf(updateSteps, updates), Arrays.copyOf(update, updates),
        gradUp, gradDown, startLoss, finalLoss, blewUpAt, timed[timed.length / 2] / 1e6);
  }

  /**
   * One training step: clears the gradients, forward, backward, Adam with {@code lr}; returns the batch's
   * loss. A loss that is not finite is returned before anything is updated.
   */
  public static double step(Network net, Adam adam, float[] inputs, int[] targets, int rows, double lr) {
    net.zeroGrad();
    double loss = net.forward(inputs, targets, rows);
    if (Double.isFinite(loss)) {
      net.backward();
      adam.step(lr);
    }
    return loss;
  }

  private static double norm(float[] v) {
    return norm(v, v.length, null);
  }

  /** {@code ||v - base||} over the first {@code n} values ({@code ||v||} when {@code base} is null), in double. */
  private static double norm(float[] v, int n, float[] base) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double d = base == null ? v[i] : (double) v[i] - base[i];
      sum += d * d;
    }
    return Math.sqrt(sum);
  }
}
