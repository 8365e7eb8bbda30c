package dev.normforge.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class or interface as a model description. Each of its methods or fields annotated with
 * {@link Norm} is a norm site; the processor generates one class per site, named after the model and the
 * site ({@code TinyGpt} + {@code attentionNorm} -> {@code TinyGptAttentionNorm}) in the model's package,
 * and the model class {@code NormforgeTinyGpt}, which implements the interface (or extends the abstract
 * class): {@code TinyGpt model = NormforgeTinyGpt.create();}. Its site methods return the site instances
 * (one per model, or one per layer for a method with an {@code int} parameter); it names every tensor
 * ({@code NormModule.stateDict()}) and describes itself ({@code describe()}).
 *
 * <pre>{@code
 * @NormModel(hidden = 768, decoderLayers = 12)
 * public interface TinyGpt {
 *   @Norm(type = NormType.RMS, eps = 1e-6) NormLayer attentionNorm();
 *   @Norm(type = NormType.LAYER)           NormLayer finalNorm();
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface NormModel {
  /**
   * The model's hidden size: the length of one row, which every site normalizes unless it sets its own
   * {@link Norm#hidden()}. Default 0: no model-wide size, so each site must give one.
   */
  int hidden() default 0;

  /**
   * N, the number of encoder layers: DeepNet's constants depend on it, and per-layer sites of the encoder
   * have one instance per layer. Default 0: no encoder.
   */
  int encoderLayers() default 0;

  /**
   * M, the number of decoder layers: DeepNet's constants depend on it, and per-layer sites of the decoder
   * have one instance per layer. Default 0: no decoder.
   */
  int decoderLayers() default 0;
}
