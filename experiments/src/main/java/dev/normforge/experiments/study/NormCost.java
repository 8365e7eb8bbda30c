package dev.normforge.experiments.study;

import dev.normforge.experiments.StudyBlocksFinalLn;
import dev.normforge.experiments.StudyBlocksFinalRms;
import dev.normforge.experiments.StudyBlocksPostLn;
import dev.normforge.experiments.StudyBlocksPostRms;
import dev.normforge.experiments.StudyBlocksPreLn;
import dev.normforge.experiments.StudyBlocksPreRms;
import dev.normforge.experiments.nn.Adam;
import dev.normforge.experiments.task.MarkovLanguage;
import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.ResidualBlock;
import dev.normforge.runtime.Sublayer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * What RMSNorm saves over LayerNorm, in thread CPU time on the calling thread (the machine may be shared):
 * the norms alone on the study's batch shape (a standalone norm's training forward and backward, and a
 * Pre-Norm and a Post-Norm block's forward and backward around a sublayer that does nothing,
 * {@code F(x) = 0}, which leaves the norm, the residual add and the block's own work), and whole training
 * steps of the study's stacks.
 */
public final class NormCost {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** One comparison: the CPU time of the LayerNorm and the RMSNorm version, in {@code unit}. */
  public record Timing(String what, String unit, double layerNorm, double rmsNorm) {
    /** RMSNorm's time over LayerNorm's. */
    public double ratio() {
      return rmsNorm / layerNorm;
    }
  }

  private NormCost() {}

  /**
   * The norms alone over {@code rows} rows, CPU ns per row: {@code rounds} rounds of {@code calls} calls
   * after a warm-up, the median round.
   */
  public static List<Timing> norms(int rows, int calls, int rounds) {
    String unit = "ns per row";
    return List.of(
        new Timing("standalone norm", unit, time(layer(new StudyBlocksFinalLn(), rows), rows, calls, rounds),
            time(layer(new StudyBlocksFinalRms(), rows), rows, calls, rounds)),
        new Timing("Pre-Norm block, F = 0", unit, time(block(new StudyBlocksPreLn(), rows), rows, calls, rounds),
            time(block(new StudyBlocksPreRms(), rows), rows, calls, rounds)),
        new Timing("Post-Norm block, F = 0", unit, time(block(new StudyBlocksPostLn(), rows), rows, calls, rounds),
            time(block(new StudyBlocksPostRms(), rows), rows, calls, rounds)));
  }

  /**
   * Whole training steps (forward, backward, Adam) of stacks of {@code depth} blocks on {@code task},
   * CPU ms per step: Pre-LN against Pre-RMS and Post-LN against Post-RMS, the two stacks' steps taken in
   * turn (so that both see the same load on a shared machine), {@code steps} timed steps each after as
   * many untimed; the median step.
   */
  public static List<Timing> steps(MarkovLanguage task, int depth, int batch, int steps, long seed) {
    return List.of(
        stepPair("Pre-Norm stack", task, depth, batch, steps, seed, Variant.PRE_LN, Variant.PRE_RMS),
        stepPair("Post-Norm stack", task, depth, batch, steps, seed, Variant.POST_LN, Variant.POST_RMS));
  }

  private static Timing stepPair(String what, MarkovLanguage task, int depth, int batch, int steps, long seed,
      Variant layerNorm, Variant rmsNorm) {
    Network[] nets = {new Network(layerNorm, depth, task, seed), new Network(rmsNorm, depth, task, seed)};
    Adam[] adams = {new Adam(nets[0].parameters()), new Adam(nets[1].parameters())};
    MarkovLanguage.Streams data = task.streams(batch, seed + 1);
    float[] inputs = new float[batch * task.features()];
    int[] targets = new int[batch];
    long[][] cpu = new long[2][steps];
    for (int step = -steps; step < steps; step++) {
      data.next(inputs, targets);
      for (int k = 0; k < 2; k++) {
        long t0 = THREADS.getCurrentThreadCpuTime();
        Trainer.step(nets[k], adams[k], inputs, targets, batch, 1e-4);
        if (step >= 0) {
          cpu[k][step] = THREADS.getCurrentThreadCpuTime() - t0;
        }
      }
    }
    Arrays.sort(cpu[0]);
    Arrays.sort(cpu[1]);
    return new Timing(what + " × " + depth + ", whole step", "ms per step", cpu[0][steps / 2] / 1e6,
        cpu[1][steps / 2] / 1e6);
  }

  /** Median CPU nanoseconds per row of {@code pass} (one forward and backward over {@code rows} rows). */
  private static double time(Runnable pass, int rows, int calls, int rounds) {
    for (int i = 0; i < 20 * calls; i++) { // let the JIT compile the kernels before timing them
      pass.run();
    }
    long[] perRound = new long[rounds];
    for (int r = 0; r < rounds; r++) {
      long t0 = THREADS.getCurrentThreadCpuTime();
      for (int i = 0; i < calls; i++) {
        pass.run();
      }
      perRound[r] = THREADS.getCurrentThreadCpuTime() - t0;
    }
    Arrays.sort(perRound);
    return (double) perRound[rounds / 2] / calls / rows;
  }

  private static Runnable layer(NormLayer norm, int rows) {
    int hidden = norm.hidden();
    float[] x = gaussian(rows * hidden);
    float[] dy = gaussian(rows * hidden);
    float[] y = new float[rows * hidden];
    float[] dx = new float[rows * hidden];
    float[] mean = new float[rows];
    float[] rstd = new float[rows];
    return () -> {
      norm.forwardTraining(x, 0, y, 0, rows, mean, rstd, 0);
      norm.backward(x, 0, dy, 0, dx, 0, rows, mean, rstd, 0);
    };
  }

  private static Runnable block(ResidualBlock block, int rows) {
    int hidden = block.hidden();
    float[] x = gaussian(rows * hidden);
    float[] dout = gaussian(rows * hidden);
    float[] out = new float[rows * hidden];
    float[] dx = new float[rows * hidden];
    BlockWorkspace ws = block.newWorkspace();
    Sublayer zero = new Sublayer() {
      @Override
      public void forward(float[] in, int inOff, float[] o, int outOff, int n) {
        Arrays.fill(o, outOff, outOff + n * hidden, 0f);
      }

      @Override
      public void backward(float[] in, int inOff, float[] d, int dOff, float[] dIn, int dInOff, int n) {}
    };
    return () -> {
      block.forward(x, 0, out, 0, rows, zero, ws);
      block.backward(dout, 0, dx, 0, zero, ws);
    };
  }

  private static float[] gaussian(int n) {
    Random random = new Random(n);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) random.nextGaussian();
    }
    return a;
  }
}
