package dev.normforge.sample;

import dev.normforge.checkpoint.Checkpoint;
import dev.normforge.checkpoint.LoadReport;
import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.Init;
import dev.normforge.runtime.NamedTensor;
import dev.normforge.runtime.ResidualBlock;
import dev.normforge.testing.Linear;
import dev.normforge.testing.Reference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The generated model class in use: {@link Llama}'s norms load from a safetensors checkpoint (BF16, as
 * Hugging Face ships them), a forward and backward pass runs through its 4 layers (stand-in {@link Linear}
 * sublayers for attention and MLP) and the final norm, one block and the final norm are checked against the
 * float64 {@link Reference}, a gradient step updates the norms' weights, and the model is saved and
 * loaded back.
 */
public final class LlamaMain {
  private LlamaMain() {}

  /** The checkpoint, relative to the sample module (where {@code mvn exec:exec} and the tests run). */
  static final Path CHECKPOINT = Path.of("checkpoints", "llama_norms_bf16.safetensors");

  static final int ROWS = 16;
  static final float LEARNING_RATE = 0.01f;

  /** Largest accepted |float - float64| / (1e-5 + 1e-4·|float64|), as {@link BlockStacksMain}. */
  static final double MAX_ERROR = 1;

  public static void main(String[] args) throws IOException {
    if (!run(CHECKPOINT, Path.of("target", "llama_norms_trained.safetensors"))) {
      System.exit(1);
    }
  }

  /** Loads {@code checkpoint}, trains one step, saves to {@code trained}; prints what it did. False when off. */
  public static boolean run(Path checkpoint, Path trained) throws IOException {
    Locale.setDefault(Locale.ROOT);
    Llama model = Llama.create();
    System.out.print(model.describe());
    System.out.println();
    LoadReport report = Checkpoint.load(checkpoint, model);
    float[] finalWeight = model.finalNorm().weight().value();
    System.out.printf("loaded %d tensors from %s: model.norm.weight = [%s, %s, ...]%n", report.loaded().size(),
        checkpoint, finalWeight[0], finalWeight[1]);

    int hidden = model.finalNorm().hidden();
    Random random = new Random(1);
    Linear[] attention = new Linear[Llama.LAYERS];
    Linear[] mlp = new Linear[Llama.LAYERS];
    BlockWorkspace[] attentionWs = new BlockWorkspace[Llama.LAYERS];
    BlockWorkspace[] mlpWs = new BlockWorkspace[Llama.LAYERS];
    for (int l = 0; l < Llama.LAYERS; l++) {
      attention[l] = sublayer(hidden, random);
      mlp[l] = sublayer(hidden, random);
      attentionWs[l] = model.attention(l).newWorkspace();
      mlpWs[l] = model.mlp(l).newWorkspace();
    }

    // forward: x -> (attention block, MLP block) per layer -> final norm; loss = ½Σy², so dy = y
    int n = ROWS * hidden;
    float[][] stream = new float[2 * Llama.LAYERS + 1][n];
    for (int i = 0; i < n; i++) {
      stream[0][i] = (float) random.nextGaussian();
    }
    for (int l = 0; l < Llama.LAYERS; l++) {
      model.attention(l).forward(stream[2 * l], 0, stream[2 * l + 1], 0, ROWS, attention[l], attentionWs[l]);
      model.mlp(l).forward(stream[2 * l + 1], 0, stream[2 * l + 2], 0, ROWS, mlp[l], mlpWs[l]);
    }
    float[] last = stream[2 * Llama.LAYERS];
    float[] y = new float[n];
    float[] rstd = new float[ROWS];
    model.finalNorm().forwardTraining(last, 0, y, 0, ROWS, null, rstd, 0);
    double loss = 0;
    for (float v : y) {
      loss += 0.5 * v * v;
    }

    // backward
    model.zeroGrad();
    float[][] grads = new float[2 * Llama.LAYERS + 1][n];
    model.finalNorm().backward(last, 0, y, 0, grads[2 * Llama.LAYERS], 0, ROWS, null, rstd, 0);
    for (int l = Llama.LAYERS - 1; l >= 0; l--) {
      model.mlp(l).backward(grads[2 * l + 2], 0, grads[2 * l + 1], 0, mlp[l], mlpWs[l]);
      model.attention(l).backward(grads[2 * l + 1], 0, grads[2 * l], 0, attention[l], attentionWs[l]);
    }
    double error = Math.max(checkFinalNorm(model, last, y, grads[2 * Llama.LAYERS]),
        checkBlock(model.mlp(Llama.LAYERS - 1), mlp[Llama.LAYERS - 1], stream[2 * Llama.LAYERS - 1],
            grads[2 * Llama.LAYERS], grads[2 * Llama.LAYERS - 1]));
    System.out.printf("forward + backward of %d rows through %d blocks and the final norm: loss %.4f, |dx| %.4f, "
        + "max err vs float64 %.3g%n", ROWS, 2 * Llama.LAYERS, loss, norm(grads[0]), error);

    // a step of gradient descent on the norms' weights, then save and load back
    for (NamedTensor p : model.parameters()) {
      for (int i = 0; i < p.size(); i++) {
        p.value()[i] -= LEARNING_RATE * p.grad()[i];
      }
    }
    Checkpoint.save(model, trained);
    Llama reloaded = Llama.create();
    Checkpoint.load(trained, reloaded);
    boolean same = true;
    for (NamedTensor p : model.stateDict()) {
      same &= Arrays.equals(p.value(), reloaded.stateDict().get(p.name()).value());
    }
    System.out.printf("one SGD step (lr %s) on the %d weight tensors; saved to %s (F32) and loaded back: %s%n",
        LEARNING_RATE, model.parameters().size(), trained, same ? "identical" : "DIFFERENT");
    return error <= MAX_ERROR && same;
  }

  /** A stand-in sublayer: Xavier-normal weights with a small gain, so the residual stream stays of order 1. */
  private static Linear sublayer(int hidden, Random random) {
    Linear f = new Linear(hidden, true);
    Init.xavierNormal(f.weight().value(), hidden, hidden, 0.5, random);
    return f;
  }

  /** The final norm's dx and dweight against float64, given its float input and dy. */
  private static double checkFinalNorm(Llama model, float[] x, float[] dy, float[] dx) {
    int hidden = model.finalNorm().hidden();
    double[] wantDx = new double[x.length];
    double[] wantDw = new double[hidden];
    Reference.rowNormBackward(false, x, dy, ROWS, hidden, model.finalNorm().weight().value(), model.finalNorm().eps(),
        wantDx, wantDw, null);
    return Math.max(worst(wantDx, dx), worst(wantDw, model.finalNorm().weight().grad()));
  }

  /** A Pre-RMSNorm block's dx and dweight against float64, given its float input and dout. */
  private static double checkBlock(ResidualBlock block, Linear f, float[] x, float[] dout, float[] dx) {
    int hidden = block.hidden();
    double[] wantDx = new double[x.length];
    double[] wantDw = new double[hidden];
    Reference.blockBackward(true, false, x, dout, ROWS, hidden, block.alpha(), block.weight().value(), null,
        block.eps(), Reference.Dense.of(f), wantDx, wantDw, null);
    return Math.max(worst(wantDx, dx), worst(wantDw, block.weight().grad()));
  }

  private static double worst(double[] want, float[] got) {
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1e-5 + 1e-4 * Math.abs(want[i])));
    }
    return worst;
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}
