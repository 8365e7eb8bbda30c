package dev.normforge.runtime.internal;

import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.runtime.BatchNormResidualBlock;
import dev.normforge.runtime.NamedTensor;
import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.Parameter;
import dev.normforge.runtime.ResidualBlock;
import dev.normforge.runtime.StateDict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the named tensors of a generated model's site instances into its {@link StateDict}: each
 * site's parameters under {@code <site name>.<parameter name>} ({@code final_norm.weight}), and a
 * BatchNorm's running statistics as the buffers {@code running_mean} and {@code running_var}. Called by the
 * generated model class's constructor, site by site in declaration order.
 */
public final class ModelTensors {
  /** The placeholder a per-layer site's name holds for its layer index. */
  public static final String LAYER = "{layer}";

  private final List<NamedTensor> tensors = new ArrayList<>();
  private final Set<String> ignored = new HashSet<>();

  /** The tensors of a standalone row norm named {@code name}. */
  public ModelTensors add(String name, NormLayer site) {
    return parameters(name, site.parameters());
  }

  /** The tensors of a residual block named {@code name} (and a BatchNorm block's running statistics). */
  public ModelTensors add(String name, ResidualBlock site) {
    parameters(name, site.parameters());
    return site instanceof BatchNormResidualBlock b ? buffers(name, b.norm()) : this;
  }

  /** The tensors of a standalone BatchNorm named {@code name}: weight and bias, then its running statistics. */
  public ModelTensors add(String name, BatchNormLayer site) {
    return parameters(name, site.parameters()).buffers(name, site);
  }

  /** {@link #add(String, NormLayer)} for layer {@code layer} of a per-layer site named {@code pattern}. */
  public ModelTensors add(String pattern, int layer, NormLayer site) {
    return add(layerName(pattern, layer), site);
  }

  /** {@link #add(String, ResidualBlock)} for layer {@code layer} of a per-layer site named {@code pattern}. */
  public ModelTensors add(String pattern, int layer, ResidualBlock site) {
    return add(layerName(pattern, layer), site);
  }

  /** {@link #add(String, BatchNormLayer)} for layer {@code layer} of a per-layer site named {@code pattern}. */
  public ModelTensors add(String pattern, int layer, BatchNormLayer site) {
    return add(layerName(pattern, layer), site);
  }

  /** The state dict of everything added, in order. */
  public StateDict build() {
    return StateDict.of(tensors, ignored);
  }

  /** {@code pattern} with its {@link #LAYER} placeholder replaced by {@code layer}. */
  static String layerName(String pattern, int layer) {
    return pattern.replace(LAYER, Integer.toString(layer));
  }

  private ModelTensors parameters(String name, List<Parameter> parameters) {
    for (Parameter p : parameters) {
      tensors.add(NamedTensor.parameter(name + "." + p.name(), p));
    }
    return this;
  }

  /** BatchNorm's buffers; PyTorch's {@code num_batches_tracked} is a name the model knows and does not keep. */
  private ModelTensors buffers(String name, BatchNormLayer norm) {
    tensors.add(NamedTensor.buffer(name + ".running_mean", norm.runningMean()));
    tensors.add(NamedTensor.buffer(name + ".running_var", norm.runningVar()));
    ignored.add(name + ".num_batches_tracked");
    return this;
  }
}
