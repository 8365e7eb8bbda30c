/**
 * The user API of normforge's runtime: the interfaces generated classes implement ({@link
 * dev.normforge.runtime.NormLayer}, {@link dev.normforge.runtime.BatchNormLayer}, {@link
 * dev.normforge.runtime.ResidualBlock}, {@link dev.normforge.runtime.AddNormBlock}, {@link
 * dev.normforge.runtime.BatchNormResidualBlock}), what calls pass to them ({@link
 * dev.normforge.runtime.Sublayer}, {@link dev.normforge.runtime.BlockWorkspace}, {@link
 * dev.normforge.runtime.Parameter}), and the initialisation helpers ({@link dev.normforge.runtime.Init},
 * {@link dev.normforge.runtime.DeepNet}), and what a generated model class offers ({@link
 * dev.normforge.runtime.NormModule}, {@link dev.normforge.runtime.StateDict}, {@link
 * dev.normforge.runtime.NamedTensor}). What generated code extends is in {@code
 * dev.normforge.runtime.internal}, which is not API.
 */
package dev.normforge.runtime;
