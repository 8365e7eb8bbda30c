/**
 * The annotations a user writes on a model description: {@code @NormModel}, {@code @Norm} and their enums.
 * They are read at compile time only (source retention): a user module needs {@code requires static
 * dev.normforge.annotations}.
 */
module dev.normforge.annotations {
  exports dev.normforge.annotations;
}
