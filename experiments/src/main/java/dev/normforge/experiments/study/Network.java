package dev.normforge.experiments.study;

import dev.normforge.experiments.nn.CrossEntropy;
import dev.normforge.experiments.nn.Dense;
import dev.normforge.experiments.nn.FeedForward;
import dev.normforge.experiments.task.MarkovLanguage;
import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.Parameter;
import dev.normforge.runtime.ResidualBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The study's model: an input layer from the context one-hots to {@code hidden} features, {@code depth}
 * generated residual blocks of one {@link Variant} each around a {@link FeedForward} sublayer
 * ({@code hidden -> 4·hidden -> hidden}), the final norm of Pre-Norm and Sandwich stacks, and an output
 * layer to the vocabulary's logits, trained with softmax cross-entropy.
 *
 * <p>Initialisation, the same for every variant but beta: the input layer is an embedding of each context
 * token, {@code N(0, 1/order)}, so that the residual stream starts with unit variance per feature (as a
 * transformer's scaled token embeddings); output and feed-forward weights Xavier-normal, the feed-forward
 * ones with gain {@link ResidualBlock#beta()} (DeepNet's beta for DeepNorm, 1 otherwise); biases 0; norms'
 * weights 1 and biases 0.
 */
public final class Network {
  private final Variant variant;
  private final int depth;
  private final int hidden;
  private final int vocab;
  private final Dense input;
  private final ResidualBlock[] blocks;
  private final FeedForward[] sublayers;
  private final BlockWorkspace[] workspaces;
  private final NormLayer finalNorm;
  private final Dense output;
  private final List<Parameter> parameters;

  // activations and gradients, grown to the largest row count seen
  private int capacity;
  private float[][] residual = new float[0][];
  private float[] top = new float[0];
  private float[] mean = new float[0];
  private float[] rstd = new float[0];
  private float[] logits = new float[0];
  private float[] gradient = new float[0];
  private float[] gradientTop = new float[0];
  private float[] inputs;
  private int rows;

  /** A stack of {@code depth} blocks for {@code task}, every weight drawn from {@code seed}. */
  public Network(Variant variant, int depth, MarkovLanguage task, long seed) {
    this.variant = variant;
    this.depth = depth;
    this.vocab = task.vocab();
    Random random = new Random(seed);
    this.blocks = new ResidualBlock[depth];
    this.sublayers = new FeedForward[depth];
    this.workspaces = new BlockWorkspace[depth];
    for (int l = 0; l < depth; l++) {
      blocks[l] = variant.newBlock(depth);
      sublayers[l] = new FeedForward(blocks[l].hidden(), 4 * blocks[l].hidden());
      workspaces[l] = blocks[l].newWorkspace();
    }
    this.hidden = blocks[0].hidden();
    this.finalNorm = variant.newFinalNorm();
    this.input = new Dense("input", task.features(), hidden);
    this.output = new Dense("output", hidden, vocab);
    input.initNormal(1 / Math.sqrt(task.order()), random); // the sum of `order` embeddings: variance 1
    for (int l = 0; l < depth; l++) {
      sublayers[l].init(blocks[l].beta(), random);
    }
    output.initXavier(1, random);

    List<Parameter> all = new ArrayList<>(input.parameters());
    for (int l = 0; l < depth; l++) {
      all.addAll(blocks[l].parameters());
      all.addAll(sublayers[l].parameters());
    }
    if (finalNorm != null) {
      all.addAll(finalNorm.parameters());
    }
    all.addAll(output.parameters());
    this.parameters = List.copyOf(all);
  }

  public Variant variant() {
    return variant;
  }

  public int depth() {
    return depth;
  }

  public int hidden() {
    return hidden;
  }

  /** Every learnable parameter, input layer first. */
  public List<Parameter> parameters() {
    return parameters;
  }

  /** The feed-forward sublayer of block {@code l} (0 = nearest the input). */
  public FeedForward sublayer(int l) {
    return sublayers[l];
  }

  /** The block {@code l}. */
  public ResidualBlock block(int l) {
    return blocks[l];
  }

  /**
   * Training forward over {@code rows} rows of {@code inputs}: returns the mean cross-entropy against
   * {@code targets} and keeps what {@link #backward} needs ({@code inputs} must not change until then).
   */
  public double forward(float[] inputs, int[] targets, int rows) {
    output.forward(features(inputs, rows), 0, logits, 0, rows);
    this.inputs = inputs;
    this.rows = rows;
    return CrossEntropy.loss(logits, targets, rows, vocab, logits); // the logits now hold their gradient
  }

  /** The mean cross-entropy over {@code rows} rows, without gradients (the next {@link #backward} needs a {@link #forward} first). */
  public double loss(float[] inputs, int[] targets, int rows) {
    output.forward(features(inputs, rows), 0, logits, 0, rows);
    return CrossEntropy.loss(logits, targets, rows, vocab, null);
  }

  /**
   * The model's top hidden states {@code F(x; θ)} for {@code rows} rows (the output layer's input: the
   * final norm's output, or the last Post-Norm block's), as a view valid until the next call.
   */
  public float[] features(float[] inputs, int rows) {
    grow(rows);
    this.inputs = null; // the blocks' saved state is this call's from here on: no backward of an earlier forward
    input.forward(inputs, 0, residual[0], 0, rows);
    for (int l = 0; l < depth; l++) {
      blocks[l].forward(residual[l], 0, residual[l + 1], 0, rows, sublayers[l], workspaces[l]);
    }
    if (finalNorm == null) {
      return residual[depth];
    }
    finalNorm.forwardTraining(residual[depth], 0, top, 0, rows, mean, rstd, 0);
    return top;
  }

  /** Backward of the last {@link #forward}: adds every parameter's gradient. */
  public void backward() {
    if (inputs == null) {
      throw new IllegalStateException("backward needs a forward(...) just before it");
    }
    float[] features = finalNorm == null ? residual[depth] : top;
    if (finalNorm == null) {
      output.backward(features, 0, logits, 0, gradient, 0, rows, false);
    } else {
      output.backward(features, 0, logits, 0, gradientTop, 0, rows, false);
      finalNorm.backward(residual[depth], 0, gradientTop, 0, gradient, 0, rows, mean, rstd, 0);
    }
    for (int l = depth - 1; l >= 0; l--) {
      blocks[l].backward(gradient, 0, gradient, 0, sublayers[l], workspaces[l]);
    }
    input.backward(inputs, 0, gradient, 0, null, 0, rows, false);
    inputs = null;
  }

  /** Sets every gradient to zero. */
  public void zeroGrad() {
    for (Parameter p : parameters) {
      p.zeroGrad();
    }
  }

  private void grow(int rows) {
    if (rows <= capacity) {
      return;
    }
    capacity = rows;
    residual = new float[depth + 1][rows * hidden];
    top = new float[rows * hidden];
    mean = new float[rows];
    rstd = new float[rows];
    logits = new float[rows * vocab];
    gradient = new float[rows * hidden];
    gradientTop = new float[rows * hidden];
  }

  @Override
  public String toString() {
    return variant.label() + " × " + depth + " (hidden " + hidden + ")";
  }
}
