package dev.normforge.processor.model;

import java.util.List;

/**
 * A validated model description: where its generated classes go and its sites, in source order.
 *
 * @param packageName the model's package (generated classes go there)
 * @param qualifiedName the model type's canonical name, for javadoc
 * @param encoderLayers N, from {@code @NormModel} (0 when none)
 * @param decoderLayers M, from {@code @NormModel} (0 when none)
 * @param modelClass the generated model class; null when there is none (no {@code @NormModel}, or the
 *     model type cannot be implemented, which was reported)
 */
public record ModelSpec(
    String packageName, String qualifiedName, int encoderLayers, int decoderLayers, List<SiteSpec> sites,
    ModelClassSpec modelClass) {
  public ModelSpec {
    sites = List.copyOf(sites);
  }
}
