package dev.normforge.runtime.internal;

import dev.normforge.runtime.Parameter;
import java.util.List;

/**
 * A norm's optional per-feature weight and bias, and the arrays its kernels read and add gradients into:
 * the one copy of this plumbing for the row norms, the row-norm blocks and BatchNorm.
 */
final class NormParameters {
  final Parameter weight;
  final Parameter bias;
  /** The parameters present, weight first: what {@code parameters()} returns, built once. */
  final List<Parameter> all;

  /**
   * {@code hidden} features; a weight (starting at {@code initialWeight}, zero gradient) when
   * {@code affine}, a bias (starting at 0) when {@code bias}; named {@code weight}/{@code bias} followed
   * by {@code suffix} ({@code "2"} for a block's second norm).
   */
  NormParameters(int hidden, boolean affine, boolean bias, float initialWeight, String suffix) {
    this.weight = affine ? new Parameter("weight" + suffix, hidden, initialWeight) : null;
    this.bias = bias ? new Parameter("bias" + suffix, hidden, 0f) : null;
    this.all = Parameter.present(this.weight, this.bias);
  }

  /** The weight's values, or null without a weight. */
  float[] weightValue() {
    return weight == null ? null : weight.value();
  }

  /** The bias's values, or null without a bias. */
  float[] biasValue() {
    return bias == null ? null : bias.value();
  }

  /** The weight's gradient, or null without a weight. */
  float[] dweight() {
    return weight == null ? null : weight.grad();
  }

  /** The bias's gradient, or null without a bias. */
  float[] dbias() {
    return bias == null ? null : bias.grad();
  }

  /** {@code weight=true, bias=false}, for toString. */
  @Override
  public String toString() {
    return "weight=" + (weight != null) + ", bias=" + (bias != null);
  }
}
