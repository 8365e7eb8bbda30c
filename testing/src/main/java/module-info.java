/** Test support: the float64 oracles ({@code Reference}, {@code BatchNormReference}) and a {@code Linear} sublayer. */
module dev.normforge.testing {
  requires transitive dev.normforge.runtime;

  exports dev.normforge.testing;
}
