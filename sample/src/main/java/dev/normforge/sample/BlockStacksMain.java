package dev.normforge.sample;

import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.Init;
import dev.normforge.testing.Linear;
import dev.normforge.testing.Reference;
import dev.normforge.runtime.ResidualBlock;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Runs the residual blocks the processor generated for {@link DeepStack}: for each placement a stack of 24 blocks around {@link Linear} sublayers (Xavier-normal with the
 * block's beta), forward and backward on random data, the first and last block checked against the
 * float64 {@link Reference}, and one line per stack.
 */
public final class BlockStacksMain {
  private BlockStacksMain() {}

  static final int LAYERS = 24;
  static final int ROWS = 32;
  static final int REPEATS = 20;

  public static void main(String[] args) {
    if (!run()) {
      System.exit(1);
    }
  }

  /** Prints the table: a header, one line per stack, a legend. False when a stack's error is out of bounds. */
  public static boolean run() {
    Locale.setDefault(Locale.ROOT);
    System.out.printf("%-9s %6s %6s %6s %11s %11s %12s %10s %14s%n", "stack", "blocks", "hidden", "alpha",
        "out mean", "out std", "|dx| bottom", "max err", "ns/row/block");
    double worst = Math.max(stack("Pre-LN", DeepStackPreLn::new),
        Math.max(stack("Post-LN", DeepStackPostLn::new), stack("DeepNorm", DeepStackDeepNorm::new)));
    System.out.println("(max err: largest |float - float64| / (1e-5 + 1e-4·|want|) over out and dx of the first and last"
        + " block, given the float inputs they received; ns/row/block: forward + backward, including Linear)");
    return worst <= 1;
  }

  /** Runs one stack, prints its line, returns its max err. */
  private static double stack(String name, Supplier<ResidualBlock> newBlock) {
    Random random = new Random(42);
    ResidualBlock[] blocks = new ResidualBlock[LAYERS];
    Linear[] sublayers = new Linear[LAYERS];
    BlockWorkspace[] ws = new BlockWorkspace[LAYERS];
    for (int l = 0; l < LAYERS; l++) {
      blocks[l] = newBlock.get();
      sublayers[l] = new Linear(blocks[l].hidden(), true);
      Init.xavierNormal(sublayers[l].weight().value(), blocks[l].hidden(), blocks[l].hidden(), blocks[l].beta(), random);
      ws[l] = blocks[l].newWorkspace();
    }
    int hidden = blocks[0].hidden();
    int size = ROWS * hidden;
    float[][] acts = new float[LAYERS + 1][size];
    float[][] grads = new float[LAYERS + 1][size];
    acts[0] = gaussian(size, random);
    grads[LAYERS] = gaussian(size, random);

    long best = Long.MAX_VALUE;
    for (int rep = 0; rep < REPEATS; rep++) {
      long t0 = System.nanoTime();
      for (int l = 0; l < LAYERS; l++) {
        blocks[l].forward(acts[l], 0, acts[l + 1], 0, ROWS, sublayers[l], ws[l]);
      }
      for (int l = LAYERS - 1; l >= 0; l--) {
        blocks[l].backward(grads[l + 1], 0, grads[l], 0, sublayers[l], ws[l]);
      }
      best = Math.min(best, System.nanoTime() - t0);
      for (int l = 0; l < LAYERS; l++) {
        blocks[l].zeroGrad();
        sublayers[l].zeroGrad();
      }
    }

    double err = Math.max(check(blocks[0], sublayers[0], acts[0], grads[1], acts[1], grads[0]),
        check(blocks[LAYERS - 1], sublayers[LAYERS - 1], acts[LAYERS - 1], grads[LAYERS], acts[LAYERS],
            grads[LAYERS - 1]));
    float[] out = acts[LAYERS];
    double mean = 0;
    for (float v : out) {
      mean += v;
    }
    mean /= size;
    double var = 0;
    for (float v : out) {
      var += (v - mean) * (v - mean);
    }
    double dxNorm = 0;
    for (float v : grads[0]) {
      dxNorm += (double) v * v;
    }
    System.out.printf("%-9s %6d %6d %6.3f %11.4f %11.4f %12.4f %10.3g %14.1f%n", name, LAYERS, hidden,
        blocks[0].alpha(), mean, Math.sqrt(var / size), Math.sqrt(dxNorm), err,
        (double) best / ROWS / LAYERS);
    return err;
  }

  /** The block's out and dx given its float input and dout, against the float64 reference. */
  private static double check(ResidualBlock block, Linear f, float[] x, float[] dout, float[] out, float[] dx) {
    int hidden = block.hidden();
    boolean centered = true; // every DeepStack site is a LayerNorm
    float[] weight = block.weight().value();
    float[] bias = block.bias().value();
    double[] wantOut = new double[out.length];
    Reference.block(block.preNorm(), centered, x, ROWS, hidden, block.alpha(), weight, bias, block.eps(),
        Reference.Dense.of(f), wantOut);
    double[] wantDx = new double[dx.length];
    Reference.blockBackward(block.preNorm(), centered, x, dout, ROWS, hidden, block.alpha(), weight, bias,
        block.eps(), Reference.Dense.of(f), wantDx, null, null);
    return Math.max(worst(wantOut, out), worst(wantDx, dx));
  }

  private static double worst(double[] want, float[] got) {
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1e-5 + 1e-4 * Math.abs(want[i])));
    }
    return worst;
  }

  private static float[] gaussian(int n, Random random) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) random.nextGaussian();
    }
    return a;
  }
}
