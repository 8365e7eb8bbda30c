package dev.normforge.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.normforge.runtime.internal.LayerIndex;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Named tensors, the state dict's order, lookups and checks, and the per-layer bounds check. */
class StateDictTest {
  @Test
  void namedTensorsAreLiveViews() {
    Parameter w = new Parameter("weight", 3, 1f);
    NamedTensor p = NamedTensor.parameter("norm.weight", w);
    float[] running = {0f, 0f};
    NamedTensor b = NamedTensor.buffer("bn.running_mean", running);
    assertSame(w.value(), p.value());
    assertSame(w.grad(), p.grad());
    assertArrayEquals(new int[] {3}, p.shape());
    assertSame(running, b.value());
    assertNull(b.grad());
    assertEquals("norm.weight [3] parameter", p.toString());
    w.grad()[1] = 5f;
    p.zeroGrad();
    assertEquals(0f, w.grad()[1]);
    b.zeroGrad();
  }

  @Test
  void keepsOrderAndSplitsByKind() {
    NamedTensor a = NamedTensor.parameter("a.weight", new Parameter("weight", 2, 1f));
    NamedTensor m = NamedTensor.buffer("a.running_mean", new float[2]);
    NamedTensor c = NamedTensor.parameter("c.bias", new Parameter("bias", 2, 0f));
    StateDict state = StateDict.of(List.of(a, m, c), Set.of("a.num_batches_tracked"));
    assertEquals(List.of("a.weight", "a.running_mean", "c.bias"), List.copyOf(state.names()));
    assertEquals(List.of(a, c), state.parameters());
    assertEquals(List.of(m), state.buffers());
    assertSame(c, state.get("c.bias"));
    assertNull(state.get("nope"));
    assertEquals(Set.of("a.num_batches_tracked"), state.ignored());
  }

  @Test
  void rejectsDuplicateAndIgnoredNames() {
    NamedTensor a = NamedTensor.parameter("a.weight", new Parameter("weight", 2, 1f));
    NamedTensor b = NamedTensor.buffer("a.weight", new float[2]);
    assertEquals("two tensors are named a.weight",
        assertThrows(IllegalArgumentException.class, () -> StateDict.of(List.of(a, b), Set.of())).getMessage());
    assertThrows(IllegalArgumentException.class, () -> StateDict.of(List.of(a), Set.of("a.weight")));
  }

  @Test
  void layerIndexNamesTheValidRange() {
    assertEquals(0, LayerIndex.check(0, 1, "norm"));
    assertEquals(31, LayerIndex.check(31, 32, "norm"));
    assertEquals("norm(32): layer 32 is out of range: this site has 32 layers, 0 to 31",
        assertThrows(IndexOutOfBoundsException.class, () -> LayerIndex.check(32, 32, "norm")).getMessage());
    assertEquals("norm(-1): layer -1 is out of range: this site has 1 layer, 0 to 0",
        assertThrows(IndexOutOfBoundsException.class, () -> LayerIndex.check(-1, 1, "norm")).getMessage());
  }
}
