package dev.normforge.checkpoint;

import java.util.Arrays;

/**
 * One tensor of a safetensors header: its name, {@link Dtype}, shape and byte range in the data section
 * ({@code data_offsets}, relative to the first byte after the header).
 */
public record TensorInfo(String name, Dtype dtype, long[] shape, long begin, long end) {
  public TensorInfo {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of elements: the product of the shape (1 for a scalar, shape {@code []}). */
  public long elements() {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Whether the shape is {@code dims}. */
  boolean hasShape(int[] dims) {
    if (dims.length != shape.length) {
      return false;
    }
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] != shape[i]) {
        return false;
      }
    }
    return true;
  }

  /** {@code [64]}, {@code []}, {@code [2, 3]}. */
  public String shapeText() {
    return Arrays.toString(shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
        && begin == t.begin && end == t.end;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + dtype + " " + shapeText() + " @[" + begin + ", " + end + ")";
  }
}
