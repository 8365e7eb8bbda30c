/**
 * What generated code extends or calls: the bases of the generated classes ({@link
 * dev.normforge.runtime.internal.RowNormLayer}, {@link dev.normforge.runtime.internal.PreNormBlock},
 * {@link dev.normforge.runtime.internal.PostNormBlock}, {@link dev.normforge.runtime.internal.BatchNormBase},
 * {@link dev.normforge.runtime.internal.BatchNormBlock}), the helpers their kernels call ({@link
 * dev.normforge.runtime.internal.RowStats}, {@link dev.normforge.runtime.internal.Lanes}), what generated
 * model classes call ({@link dev.normforge.runtime.internal.ModelTensors}, {@link
 * dev.normforge.runtime.internal.LayerIndex}), and the start-up check their constructors run first ({@link
 * dev.normforge.runtime.internal.VectorApi}).
 *
 * <p><b>Not API.</b> These types are public only so that classes generated into the user's packages can
 * extend and call them (as {@code dagger.internal} is for Dagger's generated code). They may change in
 * any release without notice; program against {@link dev.normforge.runtime} (e.g. {@code NormLayer},
 * {@code ResidualBlock}, {@code AddNormBlock}) instead.
 */
package dev.normforge.runtime.internal;
