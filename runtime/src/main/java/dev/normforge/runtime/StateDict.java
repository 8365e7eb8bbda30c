package dev.normforge.runtime;

import dev.normforge.runtime.internal.exec.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every named tensor of a model, in a fixed order (the model's sites in declaration order, layers in
 * order; each site's parameters, then its buffers), as PyTorch's {@code state_dict}: what a checkpoint
 * holds. Immutable; the tensors' arrays are live.
 *
 * <p>{@link #ignored()} names tensors a checkpoint of the same model may hold but this model deliberately
 * does not keep: PyTorch's {@code BatchNorm.num_batches_tracked}, a counter that only its cumulative
 * average ({@code momentum=None}) reads, while normforge's BatchNorm always has a momentum.
 */
public final class StateDict implements Iterable<NamedTensor> {
  private final Map<String, NamedTensor> tensors;
  private final Set<String> ignored;

  private StateDict(Map<String, NamedTensor> tensors, Set<String> ignored) {
    this.tensors = tensors;
    this.ignored = ignored;
  }

  /**
   * A state dict of {@code tensors} in this order, with the {@code ignored} names.
   *
   * @throws IllegalArgumentException if two tensors have one name, or an ignored name is a tensor's
   */
  public static StateDict of(List<NamedTensor> tensors, Set<String> ignored) {
    Checks.notNull("tensors", tensors);
    Checks.notNull("ignored", ignored);
    Map<String, NamedTensor> byName = new LinkedHashMap<>();
    for (NamedTensor t : tensors) {
      if (byName.putIfAbsent(t.name(), t) != null) {
        throw new IllegalArgumentException("two tensors are named " + t.name());
      }
    }
    for (String name : ignored) {
      if (byName.containsKey(name)) {
        throw new IllegalArgumentException(name + " is a tensor of the model and cannot be ignored");
      }
    }
    return new StateDict(Collections.unmodifiableMap(byName), Collections.unmodifiableSet(new TreeSet<>(ignored)));
  }

  /** Every tensor, in order. */
  public List<NamedTensor> tensors() {
    return List.copyOf(tensors.values());
  }

  /** The tensors of kind {@link NamedTensor.Kind#PARAMETER}, in order. */
  public List<NamedTensor> parameters() {
    return ofKind(NamedTensor.Kind.PARAMETER);
  }

  /** The tensors of kind {@link NamedTensor.Kind#BUFFER}, in order. */
  public List<NamedTensor> buffers() {
    return ofKind(NamedTensor.Kind.BUFFER);
  }

  private List<NamedTensor> ofKind(NamedTensor.Kind kind) {
    List<NamedTensor> list = new ArrayList<>();
    for (NamedTensor t : tensors.values()) {
      if (t.kind() == kind) {
        list.add(t);
      }
    }
    return List.copyOf(list);
  }

  /** The tensor named {@code name}, or null. */
  public NamedTensor get(String name) {
    return tensors.get(name);
  }

  /** The names, in order. */
  public Set<String> names() {
    return Collections.unmodifiableSet(tensors.keySet());
  }

  /** Names a checkpoint may hold that this model does not keep, sorted (see the class comment). */
  public Set<String> ignored() {
    return ignored;
  }

  /** Number of tensors. */
  public int size() {
    return tensors.size();
  }

  @Override
  public Iterator<NamedTensor> iterator() {
    return tensors.values().iterator();
  }

  @Override
  public String toString() {
    return tensors.values().toString();
  }
}
