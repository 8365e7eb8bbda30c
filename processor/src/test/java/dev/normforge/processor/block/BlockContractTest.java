package dev.normforge.processor.block;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.testing.compile.Compilation;
import dev.normforge.processor.golden.GoldenCase;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.PoolAllocation;
import dev.normforge.processor.testing.Processing;
import dev.normforge.processor.testing.TanhSublayer;
import dev.normforge.runtime.AddNormBlock;
import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.DeepNet;
import dev.normforge.runtime.Init;
import dev.normforge.runtime.ResidualBlock;
import dev.normforge.runtime.internal.exec.RowChunks;
import dev.normforge.testing.Linear;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a block promises besides its numbers: argument checks before any write, the workspace's record of
 * the forward, DeepNet's constants (runtime and generated), the compile errors of invalid DEEP sites, no
 * allocation after the first call, and deterministic generated source.
 */
class BlockContractTest {
  static final int HIDDEN = 24;
  static Map<String, ResidualBlock> blocks;

  @BeforeAll
  static void compile() {
    blocks = Blocks.compile("ContractModel", HIDDEN);
  }

  private static TanhSublayer sublayer(Random random) {
    float[] w = Blocks.gaussian(HIDDEN * HIDDEN, random);
    return new TanhSublayer(HIDDEN, w);
  }

  // ---------------------------------------------------------------------------------------------- checks

  @Test
  void forwardChecksEveryArgumentBeforeWriting() {
    for (ResidualBlock block : blocks.values()) {
      TanhSublayer f = sublayer(new Random(1));
      BlockWorkspace ws = block.newWorkspace();
      float[] x = new float[2 * HIDDEN];
      float[] out = new float[2 * HIDDEN];
      float[] before = out.clone();
      expect(NullPointerException.class, "x", () -> block.forward(null, 0, out, 0, 2, f, ws));
      expect(NullPointerException.class, "out", () -> block.forward(x, 0, null, 0, 2, f, ws));
      expect(NullPointerException.class, "f", () -> block.forward(x, 0, out, 0, 2, null, ws));
      expect(NullPointerException.class, "ws", () -> block.forward(x, 0, out, 0, 2, f, null));
      expect(IllegalArgumentException.class, "rows", () -> block.forward(x, 0, out, 0, -1, f, ws));
      expect(IllegalArgumentException.class, "x", () -> block.forward(x, 1, out, 0, 2, f, ws));
      expect(IllegalArgumentException.class, "x", () -> block.forward(x, -1, out, 0, 1, f, ws));
      expect(IllegalArgumentException.class, "x", () -> block.forward(x, 0, out, 0, 3, f, ws));
      expect(IllegalArgumentException.class, "out", () -> block.forward(x, 0, new float[HIDDEN], 0, 2, f, ws));
      expect(IllegalArgumentException.class, "overlap", () -> block.forward(x, 0, x, HIDDEN / 2, 1, f, ws));
      assertArrayEquals(before, out, "a failed forward wrote out");
      assertNull(ws.block(), "a failed forward filled the workspace");
    }
  }

  @Test
  void backwardNeedsTheMatchingForward() {
    for (ResidualBlock block : blocks.values()) {
      TanhSublayer f = sublayer(new Random(2));
      BlockWorkspace ws = block.newWorkspace();
      float[] dout = new float[2 * HIDDEN];
      float[] dx = new float[2 * HIDDEN];
      expect(IllegalStateException.class, "without a forward", () -> block.backward(dout, 0, dx, 0, f, ws));
      block.forward(Blocks.gaussian(2 * HIDDEN, new Random(3)), 0, new float[2 * HIDDEN], 0, 2, f, ws);
      assertEquals(2, ws.rows());
      assertTrue(ws.block() == block);
      ResidualBlock other = blocks.values().stream().filter(b -> b != block).findFirst().orElseThrow();
      expect(IllegalStateException.class, "another block", () -> other.backward(dout, 0, dx, 0, f, ws));
      expect(IllegalStateException.class, "different sublayer",
          () -> block.backward(dout, 0, dx, 0, sublayer(new Random(4)), ws));
      float[] before = dx.clone();
      expect(IllegalArgumentException.class, "dout", () -> block.backward(new float[HIDDEN], 0, dx, 0, f, ws));
      expect(IllegalArgumentException.class, "dx", () -> block.backward(dout, 0, dx, 1, f, ws));
      expect(NullPointerException.class, "ws", () -> block.backward(dout, 0, dx, 0, f, null));
      assertArrayEquals(before, dx, "a failed backward wrote dx");
      block.backward(dout, 0, dx, 0, f, ws); // the matching call works
    }
  }

  @Test
  void fusedKernelsCheckTheirArguments() {
    AddNormBlock block = (AddNormBlock) blocks.get("postLayer/" + HIDDEN);
    float[] a = new float[HIDDEN];
    float[] b = new float[HIDDEN];
    float[] y = new float[HIDDEN];
    float[] stats = new float[1];
    expect(NullPointerException.class, "mean", () -> block.addNormForward(a, 0, a, 0, b, 0, y, 0, 1, null, stats, 0));
    expect(IllegalArgumentException.class, "rstd",
        () -> block.addNormForward(a, 0, a, 0, b, 0, y, 0, 1, new float[2], stats, 1));
    expect(IllegalArgumentException.class, "f", () -> block.addNormForward(a, 0, new float[1], 0, b, 0, y, 0, 1,
        stats, stats, 0));
    expect(IllegalArgumentException.class, "overlap",
        () -> block.addNormBackward(a, 0, a, 0, b, 0, b, 0, 1, stats, stats, 0));
    // RMSNorm needs no mean
    AddNormBlock rms = (AddNormBlock) blocks.get("postRms/" + HIDDEN);
    rms.addNormForward(a, 0, a, 0, b, 0, y, 0, 1, null, stats, 0);
  }

  private static void expect(Class<? extends Throwable> type, String inMessage, org.junit.jupiter.api.function.Executable call) {
    Throwable t = assertThrows(type, call);
    assertTrue(t.getMessage().contains(inMessage), "message should name '" + inMessage + "': " + t.getMessage());
  }

  // ---------------------------------------------------------------------------------------------- DeepNet

  /** Every entry of {@code deepnet_constants.json} (from the golden directory) against {@link DeepNet}. */
  @Test
  void deepNetConstantsMatchTheGoldenTable() throws IOException {
    Path file = GoldenCase.directory().resolve("deepnet_constants.json");
    JsonObject table = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    Pattern single = Pattern.compile("(encoder|decoder) [NM]=(\\d+)");
    Pattern both = Pattern.compile("encdec N=M=(\\d+) (encoder|decoder)");
    int checked = 0;
    for (String key : table.keySet()) {
      JsonObject want = table.getAsJsonObject(key);
      DeepNet.Stack stack;
      int n;
      int m;
      Matcher s = single.matcher(key);
      Matcher b = both.matcher(key);
      if (s.matches()) {
        stack = DeepNet.Stack.valueOf(s.group(1).toUpperCase());
        int count = Integer.parseInt(s.group(2));
        n = stack == DeepNet.Stack.ENCODER ? count : 0;
        m = stack == DeepNet.Stack.DECODER ? count : 0;
      } else if (b.matches()) {
        stack = DeepNet.Stack.valueOf(b.group(2).toUpperCase());
        n = m = Integer.parseInt(b.group(1));
      } else {
        throw new AssertionError("unrecognised key in deepnet_constants.json: " + key);
      }
      assertEquals(want.get("alpha").getAsDouble(), DeepNet.alpha(stack, n, m), 1e-12, key + " alpha");
      assertEquals(want.get("beta").getAsDouble(), DeepNet.beta(stack, n, m), 1e-12, key + " beta");
      checked++;
    }
    assertTrue(checked >= 4, "too few constants checked: " + checked);
  }

  @Test
  void deepSiteExposesDeepNetConstants() {
    ModelSource source = ModelSource.model("deep", "Encoder6", "hidden = 64, encoderLayers = 6")
        .site("ResidualBlock", "block", "type = NormType.DEEP");
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    ResidualBlock block = Processing.instantiate(compilation, source.generated("block"), ResidualBlock.class);
    assertEquals(1.8612097182041991, block.alpha(), 1e-15);
    assertEquals(0.37991784282579627, block.beta(), 1e-15);
    assertTrue(!block.preNorm() && block instanceof AddNormBlock);
    String text = Processing.generatedSource(compilation, source.generated("block"));
    assertTrue(text.contains("public static final double ALPHA = 1.8612097182041991;"), text);
    assertTrue(text.contains("(DeepNet, encoder stack)"), "javadoc should say where alpha came from");
  }

  @Test
  void explicitAlphaWinsOverDeepNet() {
    ModelSource source = ModelSource.model("deep", "Explicit", "hidden = 8, encoderLayers = 6")
        .site("ResidualBlock", "block", "type = NormType.DEEP, alpha = 3.0");
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    ResidualBlock block = Processing.instantiate(compilation, source.generated("block"), ResidualBlock.class);
    assertEquals(3.0, block.alpha());
    assertEquals(0.37991784282579627, block.beta(), 1e-15);
  }

  // ---------------------------------------------------------------------------------------------- compile errors

  @Test
  void deepWithPreIsAnError() {
    ModelSource source = ModelSource.model("bad", "DeepPre", "hidden = 8, encoderLayers = 6")
        .site("ResidualBlock", "block", "type = NormType.DEEP, placement = Placement.PRE");
    JavaFileObject file = source.file();
    Compilation compilation = Processing.compile(file);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("[normforge.deep.pre]").inFile(file)
        .onLineContaining("placement = Placement.PRE");
  }

  @Test
  void deepWithoutLayerCountsOrConstantsIsAnError() {
    ModelSource source = ModelSource.model("bad", "DeepNoLayers", "hidden = 8")
        .site("ResidualBlock", "block", "type = NormType.DEEP");
    JavaFileObject file = source.file();
    Compilation compilation = Processing.compile(file);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("[normforge.deep.layers]").inFile(file)
        .onLineContaining("@Norm(type = NormType.DEEP)");
    // with both constants given, no layer counts are needed
    ModelSource ok = ModelSource.model("ok", "DeepGiven", "hidden = 8")
        .site("ResidualBlock", "block", "type = NormType.DEEP, alpha = 2.0, beta = 0.5");
    assertThat(Processing.compile(ok.file())).succeeded();
  }

  @Test
  void encoderDecoderDeepNeedsStack() {
    ModelSource source = ModelSource.model("bad", "DeepEncDec", "hidden = 8, encoderLayers = 6, decoderLayers = 6")
        .site("ResidualBlock", "block", "type = NormType.DEEP");
    JavaFileObject file = source.file();
    Compilation compilation = Processing.compile(file);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("[normforge.deep.stack]").inFile(file)
        .onLineContaining("@Norm(type = NormType.DEEP)");
    ModelSource ok = ModelSource.model("ok", "DeepEncDec", "hidden = 8, encoderLayers = 6, decoderLayers = 6")
        .site("ResidualBlock", "block", "type = NormType.DEEP, stack = Stack.DECODER");
    Compilation good = Processing.compile(ok.file());
    assertThat(good).succeeded();
    ResidualBlock block = Processing.instantiate(good, ok.generated("block"), ResidualBlock.class);
    assertEquals(2.0597671439071177, block.alpha(), 1e-15);
    assertEquals(0.34329452398451965, block.beta(), 1e-15);
  }

  // ---------------------------------------------------------------------------------------------- allocation

  /**
   * After the first call (which grows the workspace), forward + backward allocate nothing, on a shape of one
   * chunk (the path that runs on the caller's thread alone; the pooled path, several chunks on several
   * threads, is {@link BlockThreadCountTest#parallelCallsAllocateNothing}). Bytes are counted on the caller
   * and on the pool threads ({@link PoolAllocation}), should a one-chunk call ever reach the pool. The Vector API
   * boxes vectors until C2 has compiled the kernels (escape analysis then removes the boxes), so the test
   * measures batches of {@link #CALLS} forward+backward pairs for up to {@link #WARMUP_LIMIT_NANOS}, passing once one batch
   * allocates at most {@link #SLACK} bytes in total: less than one 16-byte object per call, so any per-call
   * allocation fails it; the slack absorbs the odd allocation of the runtime itself (e.g. a deoptimisation
   * or JIT bookkeeping charged to this thread). The sublayer is {@link Linear}, which allocates nothing.
   */
  static final int CALLS = 1000;
  static final long SLACK = 4096;
  /**
   * How long to wait for C2 per block: on a loaded machine (2 shared cores, hundreds of generated classes
   * compiled earlier in the same JVM) the compile queue can hold the kernels back for seconds. A kernel that
   * is never compiled still fails the test.
   */
  static final long WARMUP_LIMIT_NANOS = 30_000_000_000L;

  @Test
  void noAllocationAfterTheFirstCall() {
    java.util.List<String> failures = new java.util.ArrayList<>();
    for (ResidualBlock block : blocks.values()) {
      Linear f = new Linear(HIDDEN, true);
      Init.xavierNormal(f.weight().value(), HIDDEN, HIDDEN, block.beta(), new Random(5));
      int rows = 4;
      assertEquals(1, RowChunks.count(rows, HIDDEN), "this test is of the one-chunk path");
      float[] x = Blocks.gaussian(rows * HIDDEN, new Random(6));
      float[] dout = Blocks.gaussian(rows * HIDDEN, new Random(7));
      float[] out = new float[rows * HIDDEN];
      float[] dx = new float[rows * HIDDEN];
      BlockWorkspace ws = block.newWorkspace();
      block.forward(x, 0, out, 0, rows, f, ws);
      int capacity = ws.capacity();
      PoolAllocation.Bytes bytes = PoolAllocation.best(() -> {
        for (int i = 0; i < CALLS; i++) {
          block.forward(x, 0, out, 0, rows, f, ws);
          block.backward(dout, 0, dx, 0, f, ws);
        }
      }, SLACK, WARMUP_LIMIT_NANOS);
      long best = bytes.total();
      if (best > SLACK) {
        failures.add(block + ": " + CALLS + " forward+backward calls allocated " + bytes);
      }
      assertEquals(capacity, ws.capacity(), "the workspace grew after the first call");
      System.out.printf("allocation %s: %d bytes per %d forward+backward calls%n", block, best, CALLS);
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  // ---------------------------------------------------------------------------------------------- determinism

  @Test
  void generatedSourceIsDeterministic() {
    for (String site : new String[] {"deep", "preRms"}) {
      ModelSource source = ModelSource.model("det", "Det", "hidden = 100, decoderLayers = 24")
          .site("ResidualBlock", "deep", "type = NormType.DEEP")
          .site("ResidualBlock", "preRms", "type = NormType.RMS, placement = Placement.PRE, alpha = 0.5");
      String first = Processing.generatedSource(Processing.compile(source.file()), source.generated(site));
      String second = Processing.generatedSource(Processing.compile(source.file()), source.generated(site));
      assertEquals(first, second);
    }
  }
}
