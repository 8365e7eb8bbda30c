package dev.normforge.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A norm site of a {@link NormModel}: a standalone norm or a fused residual block (Add &amp; Norm). The
 * annotated method (or field) declares what the generated class implements: {@code NormLayer} for a
 * standalone LayerNorm/RMSNorm, {@code BatchNormLayer} for a standalone BatchNorm, {@code ResidualBlock}
 * for a block. A method without parameters is one instance per model; a method with one {@code int}
 * parameter ({@code NormLayer attentionNorm(int layer)}) is one instance per layer (see {@link #layers()}).
 *
 * <p>Only attributes that are written in the source count as given; the others take the defaults stated
 * here, some of which depend on {@link #type()}.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target({ElementType.METHOD, ElementType.FIELD})
public @interface Norm {
  /** The normalization. Default {@link NormType#LAYER}. */
  NormType type() default NormType.LAYER;

  /**
   * Where the norm sits relative to the residual connection: {@code PRE} ({@code out = alpha·x +
   * F(norm(x))}), {@code POST} ({@code out = norm(alpha·x + F(x))}) or {@code NONE} (standalone). Default
   * {@link Placement#AUTO}: POST for DEEP; PRE for a site returning a {@code ResidualBlock}; NONE otherwise.
   * DEEP with PRE is an error.
   */
  Placement placement() default Placement.AUTO;

  /**
   * The residual scale {@code alpha} in {@code alpha·x + F(...)}; must be finite and &gt; 0. Default: for
   * DEEP, DeepNet's constant from the model's layer counts (encoder-only {@code (2N)^1/4}, decoder-only
   * {@code (2M)^1/4}, encoder-decoder encoder {@code 0.81·(N⁴M)^1/16}, decoder {@code (3M)^1/4});
   * otherwise 1. {@code NaN} means "not given".
   */
  double alpha() default Double.NaN;

  /**
   * DeepNet's initialisation gain {@code beta}: the gain of the Xavier-normal initialisation of the
   * sublayer's ffn, v_proj and out_proj weights (not q/k). Must be &gt; 0. Default: for DEEP, DeepNet's
   * constant (encoder-only {@code (8N)^-1/4}, decoder-only {@code (8M)^-1/4}, encoder-decoder encoder
   * {@code 0.87·(N⁴M)^-1/16}, decoder {@code (12M)^-1/4}); otherwise 1. {@code NaN} means "not given".
   */
  double beta() default Double.NaN;

  /**
   * Added to the variance (LayerNorm, BatchNorm) or mean square (RMSNorm) before the square root:
   * {@code rstd = 1/sqrt(var + eps)}. Must be finite and &gt;= 0 (0 is allowed with a warning). Default
   * 1e-5, as PyTorch.
   */
  double eps() default 1e-5;

  /**
   * Whether the norm has a learnable per-feature {@code weight} (PyTorch's {@code elementwise_affine}),
   * initialised to 1. Default true.
   */
  boolean affine() default true;

  /**
   * Whether the norm has a learnable per-feature {@code bias}, initialised to 0. Default true for LAYER
   * and DEEP; false for RMS (RMSNorm usually has none) unless given. BATCH follows {@link #affine()}
   * (PyTorch has one flag): giving a different value is an error.
   */
  boolean bias() default true;

  /**
   * A zero-centred weight: the weight multiplies as {@code (weight + weightOffset)} and starts at
   * {@code 1 - weightOffset}, so the product starts at 1 and weight decay pulls it towards
   * {@code weightOffset}. Gemma's RMSNorm, {@code y = x·rstd·(1 + w)} with {@code w} initialised to 0, is
   * {@code weightOffset = 1}. Row norms with a weight only (LAYER, RMS, DEEP with {@code affine}); finite.
   * Default 0: the plain weight.
   */
  double weightOffset() default 0;

  /**
   * RMS only: partial RMSNorm (pRMSNorm, Zhang &amp; Sennrich 2019). The RMS is estimated from the first
   * {@code k = max(1, floor(partial·hidden))} features, {@code rstd = 1/sqrt(mean(x[0..k)²) + eps)}, and
   * every feature is scaled by it. In (0, 1]. Default 1: every feature (plain RMSNorm).
   */
  double partial() default 1;

  /**
   * This site's hidden size (row length), overriding {@link NormModel#hidden()}. Default 0: the model's.
   */
  int hidden() default 0;

  /**
   * BATCH only: the running statistics' update rate,
   * {@code running = (1 - momentum)·running + momentum·batch}; in (0, 1]. Default 0.1, as PyTorch.
   */
  double momentum() default 0.1;

  /**
   * Which stack this site belongs to, in a model with encoder and decoder layers: for DEEP it picks
   * DeepNet's constants; for a per-layer site (a method with one {@code int} parameter) it picks the layer
   * count and the name prefix ({@code encoder.} or {@code decoder.}). DEEP and per-layer sites only. Default
   * {@link Stack#AUTO}: the model's only stack.
   */
  Stack stack() default Stack.AUTO;

  /**
   * Per-layer sites only (a method with one {@code int} parameter, the layer index, such as
   * {@code NormLayer attentionNorm(int layer)}): the number of instances, 1 to 100,000. Default 0: the
   * model's layer count ({@link NormModel#decoderLayers()} or {@link NormModel#encoderLayers()}, by
   * {@link #stack()} when the model has both).
   */
  int layers() default 0;

  /**
   * The site's name in the model's state dict and checkpoints: its tensors are {@code <name>.weight},
   * {@code <name>.bias} (and a BatchNorm's {@code <name>.running_mean}, {@code <name>.running_var}). A
   * per-layer site's name holds {@code {layer}} exactly once, where the layer index goes, e.g. LLaMA's
   * {@code "model.layers.{layer}.input_layernorm"}; a single site's name holds none. Dot-separated parts,
   * no whitespace. Default "": the element's name in snake_case ({@code final_norm}), for a per-layer site
   * {@code layers.{layer}.<snake_case>} (with {@code encoder.} or {@code decoder.} first in a model with
   * both stacks).
   */
  String name() default "";
}
