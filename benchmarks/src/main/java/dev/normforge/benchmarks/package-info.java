/**
 * JMH benchmarks of the generated norm classes against baselines, one benchmark class per operation
 * family: {@link dev.normforge.benchmarks.LayerNormBench}, {@link dev.normforge.benchmarks.RmsNormBench}.
 * Each class's methods are the directions ({@code fwd}, {@code bwd}, {@code fwdbwd}); its parameters are
 * the shape, the thread count and the implementation.
 *
 * <p>Adding an operation (BatchNorm, fused add + LayerNorm) is one more site in
 * {@link dev.normforge.benchmarks.BenchModel}, one more class here ({@code BatchNormBench} over
 * {@code BatchNormLayer}, {@code AddLayerNormBench} over {@code ResidualBlock}) with its own state holding
 * its extra arrays, and one line mapping the class to its op prefix ({@code bn}, {@code addln}) in
 * {@code benchmarks/report.py}, which already knows their bytes per element and their peers' names.
 */
package dev.normforge.benchmarks;
