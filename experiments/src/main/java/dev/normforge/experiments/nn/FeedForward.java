package dev.normforge.experiments.nn;

import dev.normforge.runtime.Parameter;
import dev.normforge.runtime.Sublayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The transformer's feed-forward sublayer, {@code F(x) = W2·gelu(W1·x + b1) + b2}, from {@code hidden} to
 * {@code inner} features and back ({@link Dense} {@code up}, {@link Gelu}, {@link Dense} {@code down}), as
 * the {@link Sublayer} of a generated residual block.
 *
 * <p>Forward keeps the pre-activation {@code u = W1·x + b1} and {@code gelu(u)} for the backward that
 * follows it: one forward, then its backward, per object (a stack has one per block). Buffers grow to the
 * largest row count seen and are reused.
 */
public final class FeedForward implements Sublayer {
  private final Dense up;
  private final Dense down;
  private float[] preActivation = new float[0];
  private float[] activation = new float[0];

  /** {@code hidden -> inner -> hidden}, parameters at 0 until {@link #init}. */
  public FeedForward(int hidden, int inner) {
    this.up = new Dense("up", hidden, inner);
    this.down = new Dense("down", inner, hidden);
  }

  /** The first layer, {@code W1} and {@code b1}. */
  public Dense up() {
    return up;
  }

  /** The second layer, {@code W2} and {@code b2}. */
  public Dense down() {
    return down;
  }

  /**
   * DeepNet's initialisation of a feed-forward sublayer: both weights Xavier-normal with gain {@code beta}
   * ({@code ResidualBlock.beta()}: DeepNet's beta for DeepNorm blocks, 1 otherwise), biases 0.
   */
  public void init(double beta, Random random) {
    up.initXavier(beta, random);
    down.initXavier(beta, random);
  }

  /** W1, b1, W2, b2. */
  public List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>(up.parameters());
    all.addAll(down.parameters());
    return List.copyOf(all);
  }

  @Override
  public void forward(float[] in, int inOff, float[] out, int outOff, int rows) {
    int size = rows * up.out();
    if (preActivation.length < size) {
      preActivation = new float[size];
      activation = new float[size];
    }
    up.forward(in, inOff, preActivation, 0, rows);
    Gelu.forward(preActivation, 0, activation, 0, size);
    down.forward(activation, 0, out, outOff, rows);
  }

  /** Adds {@code dOut·∂F/∂in} into {@code dIn}; adds the gradients of W1, b1, W2, b2. */
  @Override
  public void backward(float[] in, int inOff, float[] dOut, int dOutOff, float[] dIn, int dInOff, int rows) {
    // gelu(u) is not needed once W2's gradient is taken: its buffer receives the gradient, in place
    down.backward(activation, 0, dOut, dOutOff, activation, 0, rows, false);
    Gelu.backward(preActivation, 0, activation, 0, activation, 0, rows * up.out());
    up.backward(in, inOff, activation, 0, dIn, dInOff, rows, true);
  }

  @Override
  public String toString() {
    return "FeedForward(" + up.in() + " -> " + up.out() + " -> " + down.out() + ")";
  }
}
