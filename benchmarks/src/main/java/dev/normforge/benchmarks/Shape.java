package dev.normforge.benchmarks;

/**
 * A benchmark's {@code shape} parameter, {@code "<hidden>x<rows>"} (features first, as the {@code @Param}
 * lists and the report write it): parsed in one place for every benchmark state.
 */
record Shape(int hidden, int rows) {
  static Shape of(String text) {
    String[] dims = text.split("x");
    if (dims.length != 2) {
      throw new IllegalArgumentException("shape \"" + text + "\" is not <hidden>x<rows>");
    }
    return new Shape(Integer.parseInt(dims[0]), Integer.parseInt(dims[1]));
  }
}
