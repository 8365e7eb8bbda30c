package dev.normforge.runtime.internal;

/** The bounds check of a generated model's per-layer site methods. */
public final class LayerIndex {
  private LayerIndex() {}

  /**
   * Returns {@code layer} when it is in {@code [0, layers)}.
   *
   * @throws IndexOutOfBoundsException naming the site and the valid range otherwise
   */
  public static int check(int layer, int layers, String site) {
    if (layer < 0 || layer >= layers) {
      throw new IndexOutOfBoundsException(site + "(" + layer + "): layer " + layer + " is out of range: this site has "
          + layers + " layer" + (layers == 1 ? "" : "s") + ", 0 to " + (layers - 1));
    }
    return layer;
  }
}
