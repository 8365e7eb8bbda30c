/**
 * JMH benchmarks of the generated norm classes against baselines, one benchmark class per operation
 * family: {@link dev.normforge.benchmarks.LayerNormBench}, {@link dev.normforge.benchmarks.RmsNormBench}
 * (row norms over {@code NormLayer}), {@link dev.normforge.benchmarks.BatchNormBench} (over
 * {@code BatchNormLayer}) and {@link dev.normforge.benchmarks.AddLayerNormBench} (the fused add + LayerNorm
 * kernels of a Post-Norm {@code PostNormBlock}). Each class's methods are the directions ({@code fwd},
 * {@code bwd}, {@code fwdbwd}); its parameters are the shape, the thread count and the implementation
 * ({@link dev.normforge.benchmarks.Impls}: the generated class, and baselines on the same runtime base
 * classes).
 *
 * <p>Adding an operation is one more site in {@link dev.normforge.benchmarks.BenchModel}, one more class
 * here with its own state holding its arrays, a factory in {@code Impls}, and one line mapping the class
 * to its op prefix in {@code benchmarks/report.py} ({@code JMH_CLASSES}), plus its bytes per element in
 * {@code TRAFFIC} if the op is new to the anchors.
 */
package dev.normforge.benchmarks;
