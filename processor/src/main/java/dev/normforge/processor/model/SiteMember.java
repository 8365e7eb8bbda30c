package dev.normforge.processor.model;

import com.palantir.javapoet.TypeName;
import dev.normforge.annotations.NormType;
import dev.normforge.annotations.Placement;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * How the generated model class reaches one site, and what the site's tensors are called.
 *
 * @param site the validated site
 * @param field whether the site is a field of the model class (set by the model class's constructor)
 *     rather than a method it overrides
 * @param declaredType the method's return type or the field's type, as declared
 * @param access the method's access modifier ({@code PUBLIC}, {@code PROTECTED}), empty for package access
 * @param layerParameter the name of a per-layer method's {@code int} parameter; null for a single site
 * @param layers the number of instances of a per-layer site; 1 for a single site
 * @param layersFrom where the count came from, for javadoc and {@code describe()} ({@code decoderLayers = 32})
 * @param tensorName the prefix of the site's tensor names ({@code final_norm}), with {@code {layer}} for a
 *     per-layer site ({@code layers.{layer}.attention_norm})
 * @param alphaFrom where a block's alpha came from: {@code given}, {@code default}, or DeepNet's formula
 *     ({@code DeepNet (2M)^1/4, M = 24}); empty for a standalone norm
 * @param betaFrom the same for beta
 */
public record SiteMember(
    SiteSpec site,
    boolean field,
    TypeName declaredType,
    List<Modifier> access,
    String layerParameter,
    int layers,
    String layersFrom,
    String tensorName,
    String alphaFrom,
    String betaFrom) {
  /** The placeholder of a per-layer site's name. */
  public static final String LAYER = dev.normforge.runtime.internal.ModelTensors.LAYER;

  public SiteMember {
    access = List.copyOf(access);
  }

  /** Whether the site has one instance per layer. */
  public boolean perLayer() {
    return layerParameter != null;
  }

  /** The names of one instance's parameters, as the runtime names them: {@code weight}, {@code bias} (and {@code weight2}, {@code bias2}). */
  public List<String> parameterNames() {
    List<String> names = new ArrayList<>();
    boolean weight = site.affine();
    boolean bias = site.bias();
    names.addAll(weight ? List.of("weight") : List.of());
    names.addAll(bias ? List.of("bias") : List.of());
    if (site.placement() == Placement.SANDWICH) {
      names.addAll(weight ? List.of("weight2") : List.of());
      names.addAll(bias ? List.of("bias2") : List.of());
    }
    return names;
  }

  /** The names of one instance's buffers: BatchNorm's {@code running_mean} and {@code running_var}. */
  public List<String> bufferNames() {
    return site.type() == NormType.BATCH ? List.of("running_mean", "running_var") : List.of();
  }

  /** The full names of every tensor of one instance, with {@code {layer}} for a per-layer site. */
  public List<String> tensorNames() {
    List<String> names = new ArrayList<>();
    for (String p : parameterNames()) {
      names.add(tensorName + "." + p);
    }
    for (String b : bufferNames()) {
      names.add(tensorName + "." + b);
    }
    return names;
  }

  /** The full tensor names of {@code layer} (the names themselves for a single site). */
  public List<String> tensorNames(int layer) {
    return tensorNames().stream().map(n -> n.replace(LAYER, Integer.toString(layer))).toList();
  }

  /** Learnable values over all instances: hidden per parameter, times the layers. */
  public long parameterCount() {
    return (long) parameterNames().size() * site.hidden() * layers;
  }

  /** The site as users call it: {@code finalNorm()}, {@code attentionNorm(int layer)}, or the field {@code bn}. */
  public String call() {
    return field ? site.siteName() : site.siteName() + "(" + (perLayer() ? "int " + layerParameter : "") + ")";
  }
}
