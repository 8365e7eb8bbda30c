package dev.normforge.runtime;

import dev.normforge.runtime.internal.exec.Checks;
import java.util.Arrays;

/**
 * A learnable per-feature vector and its gradient, as PyTorch's {@code Parameter} with {@code .grad}.
 * Backward passes add into {@link #grad()}; {@link #zeroGrad()} clears it between steps.
 */
public final class Parameter {
  private final String name;
  private final float[] value;
  private final float[] grad;

  /** A parameter of {@code size} values, all {@code initial}, with a zero gradient. */
  public Parameter(String name, int size, float initial) {
    if (size <= 0) {
      throw new IllegalArgumentException(name + ": size must be > 0, got " + size);
    }
    this.name = name;
    this.value = new float[size];
    this.grad = new float[size];
    Arrays.fill(value, initial);
  }

  /** The parameter's name, {@code weight} or {@code bias}. */
  public String name() {
    return name;
  }

  /** Number of values. */
  public int size() {
    return value.length;
  }

  /** The values themselves (not a copy): write to them to load or update the parameter. */
  public float[] value() {
    return value;
  }

  /** The accumulated gradient (not a copy). */
  public float[] grad() {
    return grad;
  }

  /** Sets the gradient to zero. */
  public void zeroGrad() {
    Arrays.fill(grad, 0f);
  }

  /** Copies {@code values} into this parameter; its length must be {@link #size()}. */
  public void set(float[] values) {
    Checks.notNull(name, values);
    if (values.length != value.length) {
      throw new IllegalArgumentException(
          name + ": expected " + value.length + " values, got " + values.length);
    }
    System.arraycopy(values, 0, value, 0, value.length);
  }

  /** The given parameters that are not null, in order, as an unmodifiable list. */
  public static java.util.List<Parameter> present(Parameter... parameters) {
    java.util.List<Parameter> present = new java.util.ArrayList<>(parameters.length);
    for (Parameter p : parameters) {
      if (p != null) {
        present.add(p);
      }
    }
    return java.util.List.copyOf(present);
  }

  @Override
  public String toString() {
    return name + "[" + value.length + "]";
  }
}
