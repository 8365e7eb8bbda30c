package dev.normforge.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The element types of the safetensors format, with their sizes (the header names them: {@code "F32"}). Every
 * one is known, so that any valid file validates; {@link #readsAsFloat() F32, F16 and BF16} can be read into
 * a model's float tensors, exactly.
 */
public enum Dtype {
  BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), F8_E8M0(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4),
  F32(4), F64(8), I64(8), U64(8), C64(8);

  private final int bytes;

  Dtype(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** Whether values of this type convert to float without loss: F32, F16 and BF16. */
  public boolean readsAsFloat() {
    return this == F32 || this == F16 || this == BF16;
  }

  /** The dtype named {@code name} in a header, or null for a name the format does not define. */
  static Dtype named(String name) {
    for (Dtype d : values()) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    return null;
  }

  /**
   * Converts {@code out.length} little-endian values of this type from {@code data} into floats: F32 as
   * stored, F16 by {@link Float#float16ToFloat}, BF16 as the high half of a float's bits. All three exact.
   *
   * @throws IllegalStateException for a type that is not {@link #readsAsFloat()}
   */
  void toFloats(ByteBuffer data, float[] out) {
    ByteBuffer le = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    switch (this) {
      case F32 -> le.asFloatBuffer().get(out);
      case F16 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = Float.float16ToFloat(le.getShort(le.position() + 2 * i));
        }
      }
      case BF16 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = Float.intBitsToFloat((le.getShort(le.position() + 2 * i) & 0xffff) << 16);
        }
      }
      default -> throw new IllegalStateException(this + " does not read as float");
    }
  }
}
