package dev.normforge.runtime;

import dev.normforge.runtime.internal.exec.Checks;
import java.util.Arrays;

/**
 * One named tensor of a model, as an entry of PyTorch's {@code state_dict}: a learnable {@link Kind#PARAMETER}
 * (a norm's {@code weight} or {@code bias}, with its gradient) or a {@link Kind#BUFFER} (BatchNorm's
 * {@code running_mean} and {@code running_var}: state, not learned). The value array is the live one the
 * kernels read, not a copy: writing to it changes the model.
 */
public final class NamedTensor {
  /** Whether a tensor is learned (has a gradient) or is state. */
  public enum Kind {
    /** Learned: a {@link Parameter}, with a gradient. */
    PARAMETER,
    /** State updated by forward passes (running statistics): no gradient. */
    BUFFER
  }

  private final String name;
  private final Kind kind;
  private final float[] value;
  private final Parameter parameter;

  private NamedTensor(String name, Kind kind, float[] value, Parameter parameter) {
    this.name = Checks.notNull("name", name);
    this.kind = kind;
    this.value = value;
    this.parameter = parameter;
  }

  /** The parameter {@code parameter} under the model-wide name {@code name} ({@code layers.3.attention_norm.weight}). */
  public static NamedTensor parameter(String name, Parameter parameter) {
    Checks.notNull("parameter", parameter);
    return new NamedTensor(name, Kind.PARAMETER, parameter.value(), parameter);
  }

  /** The live array {@code values} as the buffer {@code name} ({@code bn.running_mean}). */
  public static NamedTensor buffer(String name, float[] values) {
    Checks.notNull("values", values);
    return new NamedTensor(name, Kind.BUFFER, values, null);
  }

  /** The name, unique within its model: dot-separated, PyTorch style ({@code model.layers.0.input_layernorm.weight}). */
  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  /** The shape, as PyTorch reports it: {@code [hidden]} for every per-feature tensor of a norm. */
  public int[] shape() {
    return new int[] {value.length};
  }

  /** Number of values. */
  public int size() {
    return value.length;
  }

  /** The values themselves (not a copy). */
  public float[] value() {
    return value;
  }

  /** The accumulated gradient (not a copy) of a parameter; null for a buffer. */
  public float[] grad() {
    return parameter == null ? null : parameter.grad();
  }

  /** The parameter behind a {@link Kind#PARAMETER} tensor; null for a buffer. */
  public Parameter parameter() {
    return parameter;
  }

  /** Sets a parameter's gradient to zero; nothing for a buffer. */
  public void zeroGrad() {
    if (parameter != null) {
      parameter.zeroGrad();
    }
  }

  /** {@code layers.0.attention_norm.weight [64] parameter}. */
  @Override
  public String toString() {
    return name + " " + Arrays.toString(shape()) + " " + kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
