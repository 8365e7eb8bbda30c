package dev.normforge.processor.block;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.normforge.processor.testing.Tolerance;
import dev.normforge.runtime.AddNormBlock;
import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.Init;
import dev.normforge.runtime.ResidualBlock;
import dev.normforge.testing.Linear;
import dev.normforge.testing.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Generated blocks against {@link Reference} (float64) for every kind, hidden sizes around the vector
 * widths and unroll steps, and 0, 1 and 3 rows, with every array at a non-zero offset inside a larger array
 * whose other elements must stay untouched. The sublayer is the runtime's {@link Linear} with a bias
 * (Xavier-normal, gain = the block's beta), its float64 twin {@link Reference.Dense}. Tolerance
 * {@link Tolerance#FLOAT}: Linear's float dot products over up to 4099 terms are the largest error source.
 */
class BlockReferenceTest {
  static final int[] HIDDEN = {1, 7, 16, 17, 100, 768, 1021, 4099};
  static final int[] ROWS = {0, 1, 3};
  static final Tolerance TOLERANCE = Tolerance.FLOAT;

  static Map<String, ResidualBlock> blocks;

  /** The worst error seen, as a fraction of the tolerance, and where. */
  static double worst;
  static String worstWhere = "";

  @org.junit.jupiter.api.AfterAll
  static void report() {
    System.out.printf("generated vs Reference: worst error %.3g of the tolerance (%s)%n", worst, worstWhere);
  }

  private static void note(String what, double[] want, float[] got, int off, int count) {
    TOLERANCE.check(what, want, got, off, count);
    double w = TOLERANCE.worst(want, got, off, count);
    if (w > worst) {
      worst = w;
      worstWhere = what;
    }
  }

  @BeforeAll
  static void compile() {
    blocks = Blocks.compile("RefModel", HIDDEN);
  }

  @TestFactory
  Stream<DynamicTest> againstReference() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Blocks.Kind kind : Blocks.KINDS) {
      for (int hidden : HIDDEN) {
        ResidualBlock block = blocks.get(kind.name() + "/" + hidden);
        for (int rows : ROWS) {
          tests.add(DynamicTest.dynamicTest(kind + " hidden " + hidden + " rows " + rows,
              () -> check(kind, block, rows)));
        }
      }
    }
    return tests.stream();
  }

  private static void check(Blocks.Kind kind, ResidualBlock block, int rows) {
    int hidden = block.hidden();
    String n = kind + "/" + hidden + "/" + rows + " ";
    Random random = new Random(hidden * 1000L + rows);
    Blocks.randomizeNorm(block, random);
    block.zeroGrad();
    Linear f = new Linear(hidden, true);
    Init.xavierNormal(f.weight().value(), hidden, hidden, block.beta(), random);
    for (int i = 0; i < hidden; i++) {
      f.bias().value()[i] = (float) (0.1 * random.nextGaussian());
    }
    int size = rows * hidden;
    float[] xRows = Blocks.gaussian(size, random);
    float[] doutRows = Blocks.gaussian(size, random);
    float[] x = embed(xRows, 3, 4);
    float[] dout = embed(doutRows, 7, 1);
    float[] out = sentinels(size, 5, 2);
    float[] dx = sentinels(size, 2, 6);
    BlockWorkspace ws = block.newWorkspace();
    block.forward(x, 3, out, 5, rows, f, ws);
    assertEquals(rows, ws.rows());
    block.backward(dout, 7, dx, 2, f, ws);

    if (kind.sandwich()) {
      checkSandwich(n, block, f, xRows, doutRows, out, dx, rows);
      return;
    }
    double[] wantOut = new double[size];
    float[] weight = block.weight() == null ? null : block.weight().value();
    float[] bias = block.bias() == null ? null : block.bias().value();
    Reference.block(kind.pre(), kind.centered(), xRows, rows, hidden, block.alpha(), weight, bias, block.eps(),
        Reference.Dense.of(f), wantOut);
    Reference.Dense ref = Reference.Dense.of(f);
    double[] wantDx = new double[size];
    double[] wantDw = weight == null ? null : new double[hidden];
    double[] wantDb = bias == null ? null : new double[hidden];
    Reference.blockBackward(kind.pre(), kind.centered(), xRows, doutRows, rows, hidden, block.alpha(), weight,
        bias, block.eps(), ref, wantDx, wantDw, wantDb);

    note(n + "out", wantOut, out, 5, size);
    note(n + "dx", wantDx, dx, 2, size);
    untouched(n + "out", out, 5, size);
    untouched(n + "dx", dx, 2, size);
    if (weight != null) {
      note(n + "dweight", wantDw, block.weight().grad(), 0, hidden);
    }
    if (bias != null) {
      note(n + "dbias", wantDb, block.bias().grad(), 0, hidden);
    }
    note(n + "dW", ref.dw, f.weight().grad(), 0, hidden * hidden);
    note(n + "db", ref.db, f.bias().grad(), 0, hidden);
  }

  /** A Sandwich block against {@link Reference#sandwichBlock}: both norms' parameters, out, dx and F's. */
  private static void checkSandwich(String n, ResidualBlock block, Linear f, float[] xRows, float[] doutRows,
      float[] out, float[] dx, int rows) {
    int hidden = block.hidden();
    int size = rows * hidden;
    java.util.Map<String, dev.normforge.runtime.Parameter> p = new java.util.HashMap<>();
    block.parameters().forEach(q -> p.put(q.name(), q));
    // the offset is the generated class's: read it back from the initial weight of a fresh block
    double offset = 1 - Blocks.freshWeight(block);
    Reference.Norm norm1 = norm(block, p.get("weight"), p.get("bias"), offset);
    Reference.Norm norm2 = norm(block, p.get("weight2"), p.get("bias2"), offset);
    double[] wantOut = new double[size];
    Reference.sandwichBlock(norm1, norm2, xRows, rows, hidden, block.alpha(), Reference.Dense.of(f), wantOut);
    Reference.Dense ref = Reference.Dense.of(f);
    double[] wantDx = new double[size];
    java.util.Map<String, double[]> want = new java.util.HashMap<>();
    for (String name : p.keySet()) {
      want.put(name, new double[hidden]);
    }
    Reference.sandwichBlockBackward(norm1, norm2, xRows, doutRows, rows, hidden, block.alpha(), ref, wantDx,
        want.get("weight"), want.get("bias"), want.get("weight2"), want.get("bias2"));
    note(n + "out", wantOut, out, 5, size);
    note(n + "dx", wantDx, dx, 2, size);
    untouched(n + "out", out, 5, size);
    untouched(n + "dx", dx, 2, size);
    for (String name : p.keySet()) {
      note(n + "d" + name, want.get(name), p.get(name).grad(), 0, hidden);
    }
    note(n + "dW", ref.dw, f.weight().grad(), 0, hidden * hidden);
  }

  private static Reference.Norm norm(ResidualBlock block, dev.normforge.runtime.Parameter weight,
      dev.normforge.runtime.Parameter bias, double offset) {
    boolean centered = block instanceof dev.normforge.runtime.internal.RowNormBlock b && b.centered();
    return new Reference.Norm(centered, weight == null ? null : weight.value(), bias == null ? null : bias.value(),
        weight == null ? 0 : offset, block.hidden(), block.eps());
  }

  @TestFactory
  Stream<DynamicTest> fusedAddNormKernels() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Blocks.Kind kind : Blocks.KINDS) {
      if (kind.pre()) {
        continue;
      }
      for (int hidden : new int[] {1, 17, 100, 1021}) {
        AddNormBlock block = (AddNormBlock) blocks.get(kind.name() + "/" + hidden);
        tests.add(DynamicTest.dynamicTest(kind + " hidden " + hidden, () -> checkAddNorm(kind, block)));
      }
    }
    return tests.stream();
  }

  /**
   * The public add+norm kernels at offsets: {@code s} is exactly {@code fma(alpha, x, f)} in float,
   * {@code y} is the norm of that {@code s}, {@code ds} is the norm's backward at {@code s},
   * {@code dx = alpha·ds} exactly.
   */
  private static void checkAddNorm(Blocks.Kind kind, AddNormBlock block) {
    int hidden = block.hidden();
    int rows = 3;
    int size = rows * hidden;
    Random random = new Random(hidden);
    Blocks.randomizeNorm(block, random);
    block.zeroGrad();
    float[] xRows = Blocks.gaussian(size, random);
    float[] fRows = Blocks.gaussian(size, random);
    float[] dyRows = Blocks.gaussian(size, random);
    float[] x = embed(xRows, 1, 1);
    float[] f = embed(fRows, 2, 0);
    float[] s = sentinels(size, 3, 3);
    float[] y = sentinels(size, 4, 1);
    float[] mean = sentinels(rows, 1, 1);
    float[] rstd = sentinels(rows, 1, 1);
    block.addNormForward(x, 1, f, 2, s, 3, y, 4, rows, kind.centered() ? mean : null, rstd, 1);
    float alpha = (float) block.alpha();
    float[] sRows = new float[size];
    for (int i = 0; i < size; i++) {
      sRows[i] = Math.fma(alpha, xRows[i], fRows[i]);
      assertEquals(sRows[i], s[3 + i], "s[" + i + "]");
    }
    float[] weight = block.weight() == null ? null : block.weight().value();
    float[] bias = block.bias() == null ? null : block.bias().value();
    double[] wantY = new double[size];
    double[] wantRstd = new double[rows];
    Reference.rowNorm(kind.centered(), sRows, rows, hidden, weight, bias, block.eps(), wantY, null, wantRstd);
    TOLERANCE.check("y", wantY, y, 4, size);
    TOLERANCE.check("rstd", wantRstd, rstd, 1, rows);
    untouched("y", y, 4, size);

    float[] dy = embed(dyRows, 5, 2);
    float[] ds = sentinels(size, 1, 1);
    float[] dx = sentinels(size, 6, 2);
    block.addNormBackward(s, 3, dy, 5, ds, 1, dx, 6, rows, kind.centered() ? mean : null, rstd, 1);
    double[] wantDs = new double[size];
    double[] wantDw = weight == null ? null : new double[hidden];
    double[] wantDb = bias == null ? null : new double[hidden];
    Reference.rowNormBackward(kind.centered(), sRows, dyRows, rows, hidden, weight, block.eps(), wantDs, wantDw,
        wantDb);
    TOLERANCE.check("ds", wantDs, ds, 1, size);
    for (int i = 0; i < size; i++) {
      assertEquals(ds[1 + i] * alpha, dx[6 + i], "dx[" + i + "] = alpha·ds");
    }
    untouched("dx", dx, 6, size);
    if (weight != null) {
      TOLERANCE.check("dweight", wantDw, block.weight().grad(), 0, hidden);
    }
    if (bias != null) {
      TOLERANCE.check("dbias", wantDb, block.bias().grad(), 0, hidden);
    }
  }

  /** {@code rows} copied into a larger array at {@code before}, sentinels around it. */
  static float[] embed(float[] rows, int before, int after) {
    float[] a = sentinels(rows.length, before, after);
    System.arraycopy(rows, 0, a, before, rows.length);
    return a;
  }

  /** An array of {@code before + size + after} sentinels. */
  static float[] sentinels(int size, int before, int after) {
    float[] a = new float[before + size + after];
    java.util.Arrays.fill(a, -12345f);
    return a;
  }

  static void untouched(String what, float[] a, int off, int size) {
    for (int i = 0; i < a.length; i++) {
      if ((i < off || i >= off + size) && a[i] != -12345f) {
        throw new AssertionError(what + ": wrote outside its rows, at index " + i + " (rows at " + off + ".."
            + (off + size) + ")");
      }
    }
  }
}
