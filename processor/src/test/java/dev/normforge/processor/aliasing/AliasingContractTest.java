package dev.normforge.processor.aliasing;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.normforge.processor.testing.Data.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.runtime.AddNormBlock;
import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.Parameter;
import dev.normforge.runtime.internal.exec.RowChunks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The aliasing contract of every array-and-offset entry point of the standalone norms, BatchNorm and the
 * fused add+norm kernels. For each one, every output against every other argument: the exact aliases the
 * contract allows (same array, same offset) give bitwise the result of separate arrays, gradients and
 * running statistics included; every other overlap (the same region where it is not allowed, or partly
 * overlapping ranges at three shifts) throws {@link IllegalArgumentException} and leaves every array and
 * every gradient and statistic of the layer untouched. Shapes span several chunks, so a call that were let
 * through would run rows on several threads.
 */
class AliasingContractTest {
  static final int H = 40;
  static final int ROWS = 4000;
  static final int N = ROWS * H;
  static ModelSource source;
  static ClassLoader loader;

  @BeforeAll
  static void compile() {
    source = ModelSource.model("aliasing", "Alias", "hidden = " + H + ", encoderLayers = 6")
        .site("NormLayer", "ln", "type = NormType.LAYER")
        .site("NormLayer", "rms", "type = NormType.RMS")
        .site("BatchNormLayer", "bn", "type = NormType.BATCH")
        .site("AddNormBlock", "post", "type = NormType.LAYER, alpha = 1.5")
        .site("AddNormBlock", "deep", "type = NormType.DEEP")
        .site("AddNormBlock", "postRms", "type = NormType.RMS, placement = Placement.POST");
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    loader = Processing.loader(compilation);
    assertTrue(RowChunks.count(ROWS, H) > 1, "the shape must span several chunks");
  }

  /** A named argument region: its length in floats and whether the call writes it. */
  record Region(String name, int length, boolean output) {}

  /** Where each argument lives for one call: its array and offset. */
  record Slot(float[] array, int offset) {}

  /** The state of the layer a call changes besides its arguments: gradients, running statistics. */
  interface Target {
    void call(Map<String, Slot> args);

    List<float[]> state();
  }

  /**
   * An entry point: its regions, the input data a call needs (the statistics from a forward), the exact
   * aliases it allows (each a set of argument names sharing one region), and a fresh layer per call.
   */
  record EntryPoint(String name, List<Region> regions, Supplier<Map<String, float[]>> inputs,
      List<Set<String>> allowed, Supplier<Target> target) {
    Region region(String n) {
      return regions.stream().filter(r -> r.name().equals(n)).findFirst().orElseThrow();
    }
  }

  static <T> T make(String site, Class<T> type) {
    return Processing.instantiate(loader, source.generated(site), type);
  }

  /** Weights and biases that are not 1 and 0, the same for every fresh layer. */
  static List<float[]> randomize(List<Parameter> parameters) {
    List<float[]> state = new ArrayList<>();
    long seed = 50;
    for (Parameter p : parameters) {
      p.set(gaussian(p.value().length, seed++, 1));
      state.add(p.grad());
    }
    return state;
  }

  static Target rowNorm(String site, String method) {
    NormLayer layer = make(site, NormLayer.class);
    List<float[]> state = randomize(layer.parameters());
    return new Target() {
      @Override
      public void call(Map<String, Slot> a) {
        switch (method) {
          case "forward" -> layer.forward(a.get("x").array(), a.get("x").offset(), a.get("y").array(),
              a.get("y").offset(), ROWS);
          case "forwardTraining" -> layer.forwardTraining(a.get("x").array(), a.get("x").offset(),
              a.get("y").array(), a.get("y").offset(), ROWS, a.get("mean").array(), a.get("rstd").array(),
              a.get("mean").offset());
          default -> layer.backward(a.get("x").array(), a.get("x").offset(), a.get("dy").array(),
              a.get("dy").offset(), a.get("dx").array(), a.get("dx").offset(), ROWS, a.get("mean").array(),
              a.get("rstd").array(), a.get("mean").offset());
        }
      }

      @Override
      public List<float[]> state() {
        return state;
      }
    };
  }

  static Target batchNorm(String method) {
    BatchNormLayer bn = make("bn", BatchNormLayer.class);
    List<float[]> state = new ArrayList<>(randomize(bn.parameters()));
    state.add(bn.runningMean());
    state.add(bn.runningVar());
    return new Target() {
      @Override
      public void call(Map<String, Slot> a) {
        switch (method) {
          case "forwardTraining" -> bn.forwardTraining(a.get("x").array(), a.get("x").offset(), a.get("y").array(),
              a.get("y").offset(), ROWS, view(a.get("mean"), H), view(a.get("invstd"), H));
          case "forwardEval" -> bn.forwardEval(a.get("x").array(), a.get("x").offset(), a.get("y").array(),
              a.get("y").offset(), ROWS);
          default -> bn.backward(a.get("x").array(), a.get("x").offset(), a.get("dy").array(), a.get("dy").offset(),
              a.get("dx").array(), a.get("dx").offset(), ROWS, view(a.get("mean"), H), view(a.get("invstd"), H));
        }
      }

      @Override
      public List<float[]> state() {
        return state;
      }
    };
  }

  /**
   * BatchNorm's per-feature arrays have no offset argument: a slot at offset 0 is passed as is; a slot at
   * another offset cannot be expressed, so the layouts below put those regions at offset 0 of their array.
   */
  static float[] view(Slot slot, int length) {
    if (slot.offset() != 0) {
      throw new IllegalStateException("BatchNorm statistics are at offset 0");
    }
    return slot.array();
  }

  static Target addNorm(String site, boolean forward) {
    AddNormBlock block = make(site, AddNormBlock.class);
    List<float[]> state = randomize(block.parameters());
    return new Target() {
      @Override
      public void call(Map<String, Slot> a) {
        if (forward) {
          block.addNormForward(a.get("x").array(), a.get("x").offset(), a.get("f").array(), a.get("f").offset(),
              a.get("s").array(), a.get("s").offset(), a.get("y").array(), a.get("y").offset(), ROWS,
              a.get("mean").array(), a.get("rstd").array(), a.get("mean").offset());
        } else {
          block.addNormBackward(a.get("s").array(), a.get("s").offset(), a.get("dy").array(), a.get("dy").offset(),
              a.get("ds").array(), a.get("ds").offset(), a.get("dx").array(), a.get("dx").offset(), ROWS,
              a.get("mean").array(), a.get("rstd").array(), a.get("mean").offset());
        }
      }

      @Override
      public List<float[]> state() {
        return state;
      }
    };
  }

  static Region in(String name, int length) {
    return new Region(name, length, false);
  }

  static Region out(String name, int length) {
    return new Region(name, length, true);
  }

  /** Row statistics written by a training forward over the common x: mean, rstd at offset 0. */
  static Map<String, float[]> rowStats(String site) {
    NormLayer layer = make(site, NormLayer.class);
    randomize(layer.parameters());
    Map<String, float[]> inputs = new LinkedHashMap<>();
    inputs.put("x", gaussian(N, 1, 1));
    inputs.put("dy", gaussian(N, 2, 1));
    float[] mean = new float[ROWS];
    float[] rstd = new float[ROWS];
    layer.forwardTraining(inputs.get("x"), 0, new float[N], 0, ROWS, mean, rstd, 0);
    inputs.put("mean", mean);
    inputs.put("rstd", rstd);
    return inputs;
  }

  static Map<String, float[]> batchStats() {
    BatchNormLayer bn = make("bn", BatchNormLayer.class);
    randomize(bn.parameters());
    Map<String, float[]> inputs = new LinkedHashMap<>();
    inputs.put("x", gaussian(N, 1, 1));
    inputs.put("dy", gaussian(N, 2, 1));
    float[] mean = new float[H];
    float[] invstd = new float[H];
    bn.forwardTraining(inputs.get("x"), 0, new float[N], 0, ROWS, mean, invstd);
    inputs.put("mean", mean);
    inputs.put("invstd", invstd);
    return inputs;
  }

  static Map<String, float[]> addNormInputs(String site) {
    AddNormBlock block = make(site, AddNormBlock.class);
    randomize(block.parameters());
    Map<String, float[]> inputs = new LinkedHashMap<>();
    inputs.put("x", gaussian(N, 1, 1));
    inputs.put("f", gaussian(N, 3, 1));
    inputs.put("dy", gaussian(N, 2, 1));
    float[] s = new float[N];
    float[] mean = new float[ROWS];
    float[] rstd = new float[ROWS];
    block.addNormForward(inputs.get("x"), 0, inputs.get("f"), 0, s, 0, new float[N], 0, ROWS, mean, rstd, 0);
    inputs.put("s", s);
    inputs.put("mean", mean);
    inputs.put("rstd", rstd);
    return inputs;
  }

  static List<EntryPoint> entryPoints() {
    List<EntryPoint> all = new ArrayList<>();
    for (String site : new String[] {"ln", "rms"}) {
      all.add(new EntryPoint(site + ".forward", List.of(in("x", N), out("y", N)), () -> rowStats(site),
          List.of(Set.of("y", "x")), () -> rowNorm(site, "forward")));
      all.add(new EntryPoint(site + ".forwardTraining",
          List.of(in("x", N), out("y", N), out("mean", ROWS), out("rstd", ROWS)), () -> rowStats(site),
          List.of(Set.of("y", "x")), () -> rowNorm(site, "forwardTraining")));
      all.add(new EntryPoint(site + ".backward",
          List.of(in("x", N), in("dy", N), out("dx", N), in("mean", ROWS), in("rstd", ROWS)), () -> rowStats(site),
          List.of(Set.of("dx", "dy"), Set.of("dx", "x"), Set.of("dx", "dy", "x")), () -> rowNorm(site, "backward")));
    }
    all.add(new EntryPoint("bn.forwardTraining", List.of(in("x", N), out("y", N), out("mean", H), out("invstd", H)),
        AliasingContractTest::batchStats, List.of(Set.of("y", "x")), () -> batchNorm("forwardTraining")));
    all.add(new EntryPoint("bn.forwardEval", List.of(in("x", N), out("y", N)), AliasingContractTest::batchStats,
        List.of(Set.of("y", "x")), () -> batchNorm("forwardEval")));
    all.add(new EntryPoint("bn.backward",
        List.of(in("x", N), in("dy", N), out("dx", N), in("mean", H), in("invstd", H)), AliasingContractTest::batchStats,
        List.of(Set.of("dx", "dy"), Set.of("dx", "x"), Set.of("dx", "dy", "x")), () -> batchNorm("backward")));
    for (String site : new String[] {"post", "deep", "postRms"}) {
      all.add(new EntryPoint(site + ".addNormForward",
          List.of(in("x", N), in("f", N), out("s", N), out("y", N), out("mean", ROWS), out("rstd", ROWS)),
          () -> addNormInputs(site),
          List.of(Set.of("s", "x"), Set.of("s", "f"), Set.of("y", "x"), Set.of("y", "f"), Set.of("y", "s"),
              Set.of("x", "f", "s", "y")),
          () -> addNorm(site, true)));
      all.add(new EntryPoint(site + ".addNormBackward",
          List.of(in("s", N), in("dy", N), out("ds", N), out("dx", N), in("mean", ROWS), in("rstd", ROWS)),
          () -> addNormInputs(site), List.of(Set.of("ds", "dy")), () -> addNorm(site, false)));
    }
    return all;
  }

  /** Result of one call: every argument array (after), and the layer's state. */
  record Run(Map<String, float[]> regions, List<float[]> state) {}

  /** Separate arrays, each region at offset 3 of its own array (inputs filled, outputs NaN). */
  static Map<String, Slot> separate(EntryPoint e, Map<String, float[]> inputs) {
    Map<String, Slot> slots = new LinkedHashMap<>();
    for (Region r : e.regions()) {
      int off = batchStatistic(e, r) ? 0 : 3;
      float[] a = new float[r.length() + off + 2];
      Arrays.fill(a, Float.NaN);
      if (!r.output()) {
        System.arraycopy(inputs.get(r.name()), 0, a, off, r.length());
      }
      slots.put(r.name(), new Slot(a, off));
    }
    return slots;
  }

  static boolean batchStatistic(EntryPoint e, Region r) {
    return e.name().startsWith("bn.") && (r.name().equals("mean") || r.name().equals("invstd"));
  }

  static Map<String, float[]> read(EntryPoint e, Map<String, Slot> slots) {
    Map<String, float[]> regions = new LinkedHashMap<>();
    for (Region r : e.regions()) {
      Slot s = slots.get(r.name());
      regions.put(r.name(), Arrays.copyOfRange(s.array(), s.offset(), s.offset() + r.length()));
    }
    return regions;
  }

  static List<float[]> copies(List<float[]> arrays) {
    return arrays.stream().map(float[]::clone).toList();
  }

  @TestFactory
  Stream<DynamicTest> everyEntryPoint() {
    List<DynamicTest> tests = new ArrayList<>();
    for (EntryPoint e : entryPoints()) {
      for (Set<String> group : e.allowed()) {
        tests.add(DynamicTest.dynamicTest(e.name() + ": " + String.join(" = ", group) + " is exact in-place",
            () -> exactAliasIsBitwiseTheSeparateResult(e, group)));
      }
      for (Region o : e.regions()) {
        for (Region r : e.regions()) {
          if (!o.output() || r == o) {
            continue;
          }
          for (int shift : shifts(o, r)) {
            if ((shift == 0 && e.allowed().contains(Set.of(o.name(), r.name()))) || offsets(e, o, r, shift) == null) {
              continue;
            }
            tests.add(DynamicTest.dynamicTest(e.name() + ": " + o.name() + " overlapping " + r.name() + " at shift "
                + shift + " is refused", () -> overlapIsRefused(e, o, r, shift)));
          }
        }
      }
    }
    return tests.stream();
  }

  /**
   * Offsets of output {@code o} relative to {@code r} in one array at which the two overlap: the same
   * start (exact when the lengths agree), one float in, {@code o} ending one float into {@code r}, and
   * {@code o} starting at {@code r}'s last float.
   */
  static int[] shifts(Region o, Region r) {
    return new int[] {0, 1, -(o.length() - 1), r.length() - 1};
  }

  /**
   * Arguments that share a region hold one thing: inputs in a group get the data of the first of them (in
   * the entry point's order) in the separate-arrays reference too, and of outputs in a group the region
   * ends up holding the one written last (the last in that order: {@code y} after {@code s}).
   */
  void exactAliasIsBitwiseTheSeparateResult(EntryPoint e, Set<String> group) {
    Map<String, float[]> inputs = new LinkedHashMap<>(e.inputs().get());
    List<Region> members = e.regions().stream().filter(r -> group.contains(r.name())).toList();
    String input = members.stream().filter(r -> !r.output()).map(Region::name).findFirst().orElse(null);
    String last = members.stream().filter(Region::output).reduce((a, b) -> b).orElseThrow().name();
    for (Region r : members) {
      if (!r.output()) {
        inputs.put(r.name(), inputs.get(input));
      }
    }
    Target reference = e.target().get();
    Map<String, Slot> separate = separate(e, inputs);
    reference.call(separate);
    Run expected = new Run(read(e, separate), copies(reference.state()));

    Map<String, Slot> slots = separate(e, inputs);
    float[] shared = new float[N + 5];
    Arrays.fill(shared, Float.NaN);
    if (input != null) {
      System.arraycopy(inputs.get(input), 0, shared, 5, N);
    }
    for (String n : group) {
      slots.put(n, new Slot(shared, 5));
    }
    Target target = e.target().get();
    target.call(slots);
    Map<String, float[]> after = read(e, slots);
    for (Region r : e.regions()) {
      if (r.output() && (!group.contains(r.name()) || r.name().equals(last))) {
        assertArrayEquals(expected.regions().get(r.name()), after.get(r.name()),
            e.name() + " with " + group + ": output " + r.name() + " differs from separate arrays");
      }
    }
    for (int i = 0; i < expected.state().size(); i++) {
      assertArrayEquals(expected.state().get(i), target.state().get(i),
          e.name() + " with " + group + ": gradient or running statistic " + i + " differs");
    }
  }

  /**
   * The offsets of {@code o} and {@code r} in one array, {@code o} at {@code shift} from {@code r}, or null
   * when the entry point cannot express it: BatchNorm's statistics have no offset argument (they sit at 0),
   * and a row norm's mean and rstd share one offset (so they can only coincide).
   */
  static int[] offsets(EntryPoint e, Region o, Region r, int shift) {
    boolean oAtZero = batchStatistic(e, o);
    boolean rAtZero = batchStatistic(e, r);
    if (rowStatistic(e, o) && rowStatistic(e, r) && shift != 0) {
      return null;
    }
    if (oAtZero && rAtZero) {
      return shift == 0 ? new int[] {0, 0} : null;
    }
    if (oAtZero) {
      return shift <= 0 ? new int[] {0, -shift} : null;
    }
    if (rAtZero) {
      return shift >= 0 ? new int[] {shift, 0} : null;
    }
    int rOff = Math.max(0, -shift) + 2;
    return new int[] {rOff + shift, rOff};
  }

  static boolean rowStatistic(EntryPoint e, Region r) {
    return !e.name().startsWith("bn.") && (r.name().equals("mean") || r.name().equals("rstd"));
  }

  void overlapIsRefused(EntryPoint e, Region o, Region r, int shift) {
    Map<String, float[]> inputs = e.inputs().get();
    Map<String, Slot> slots = separate(e, inputs);
    int[] at = offsets(e, o, r, shift);
    float[] shared = new float[Math.max(at[0] + o.length(), at[1] + r.length()) + 3];
    Arrays.fill(shared, 7.25f);
    if (!r.output()) {
      System.arraycopy(inputs.get(r.name()), 0, shared, at[1], r.length());
    }
    slots.put(r.name(), new Slot(shared, at[1]));
    slots.put(o.name(), new Slot(shared, at[0]));
    for (Region moved : new Region[] {o, r}) {
      if (rowStatistic(e, moved)) {
        // mean and rstd share statsOff: the other one moves to the same offset, in an array of its own
        Region partner = e.region(moved.name().equals("mean") ? "rstd" : "mean");
        if (partner != o && partner != r) {
          float[] p = new float[slots.get(moved.name()).offset() + partner.length() + 2];
          Arrays.fill(p, Float.NaN);
          if (!partner.output()) {
            System.arraycopy(inputs.get(partner.name()), 0, p, slots.get(moved.name()).offset(), partner.length());
          }
          slots.put(partner.name(), new Slot(p, slots.get(moved.name()).offset()));
        }
      }
    }
    Target target = e.target().get();
    List<float[]> arraysBefore = slots.values().stream().map(sl -> sl.array().clone()).toList();
    List<float[]> stateBefore = copies(target.state());
    IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> target.call(slots),
        e.name() + ": " + o.name() + " overlapping " + r.name() + " at shift " + shift + " was accepted");
    assertTrue(thrown.getMessage().contains("overlap"), thrown.getMessage());
    List<float[]> arraysAfter = slots.values().stream().map(Slot::array).toList();
    for (int i = 0; i < arraysBefore.size(); i++) {
      assertArrayEquals(arraysBefore.get(i), arraysAfter.get(i), e.name() + ": an argument array was written");
    }
    for (int i = 0; i < stateBefore.size(); i++) {
      assertArrayEquals(stateBefore.get(i), target.state().get(i), e.name() + ": the layer's state was written");
    }
  }
}
